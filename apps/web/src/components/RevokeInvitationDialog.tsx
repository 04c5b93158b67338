// "Revoke this invitation?" with an optional reason, kept on the `revoked` event and
// shown in the invitation's activity log. Used by the list and the detail sheet.

import type { ReactNode } from "react";
import { useId, useState } from "react";
import { ConfirmDialog } from "./Dialog";

export const REVOKE_REASON_MAX = 500;

export function RevokeInvitationDialog({
  open,
  onOpenChange,
  description,
  pending,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  description: ReactNode;
  pending?: boolean;
  onConfirm: (reason: string | undefined) => void;
}) {
  const reasonId = useId();
  const [reason, setReason] = useState("");
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setReason("");
        onOpenChange(next);
      }}
      title="Revoke this invitation?"
      description={description}
      confirmLabel="Revoke invitation"
      pending={pending}
      onConfirm={() => {
        onConfirm(reason.trim() || undefined);
        setReason("");
      }}
    >
      <label htmlFor={reasonId} className="block text-sm font-medium text-slate-700">
        Reason <span className="font-normal text-slate-500">(optional, shown in the activity)</span>
      </label>
      <textarea
        id={reasonId}
        value={reason}
        maxLength={REVOKE_REASON_MAX}
        rows={2}
        onChange={(event) => setReason(event.target.value)}
        className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
    </ConfirmDialog>
  );
}
