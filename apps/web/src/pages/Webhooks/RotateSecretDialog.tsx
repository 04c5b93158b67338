// Rotating an endpoint's signing secret: pick how long the old secret keeps signing
// beside the new one (so the receiver can deploy the new one without missing an event;
// "no overlap" after a leak), then the new secret is shown once, like at creation.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { CopyField } from "../../components/CopyField";
import { buttonClass, Dialog } from "../../components/Dialog";
import { useToast } from "../../components/Toast";
import { errorMessage, useTRPC } from "../../lib/trpc";
import type { TWebhookEndpoint } from "../../lib/webhooks";

const OVERLAPS = [
  { seconds: 24 * 60 * 60, label: "24 hours (recommended)" },
  { seconds: 60 * 60, label: "1 hour" },
  { seconds: 7 * 24 * 60 * 60, label: "7 days" },
  { seconds: 0, label: "No overlap: the old secret stops now (after a leak)" },
] as const;

export function RotateSecretDialog({
  endpoint,
  onClose,
}: {
  endpoint: TWebhookEndpoint;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const id = useId();
  const [overlapSeconds, setOverlapSeconds] = useState<number>(OVERLAPS[0].seconds);
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.admin.webhooks.rotateSecret.mutationOptions({
      onSuccess: (rotated) => {
        setSecret(rotated.secret);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.webhooks.list.queryKey() });
        toast({ title: "Signing secret rotated", tone: "success" });
      },
    }),
  );
  const close = (open: boolean) => (open ? undefined : onClose());

  if (secret) {
    return (
      <Dialog
        open
        onOpenChange={close}
        title="Copy the new signing secret"
        description="Deploy it to your server; during the overlap both secrets verify."
        footer={
          <button type="button" className={buttonClass("primary")} onClick={onClose}>
            Done
          </button>
        }
      >
        <CopyField
          label="New signing secret"
          value={secret}
          secret
          copiedTitle="Signing secret copied"
        />
      </Dialog>
    );
  }
  return (
    <Dialog
      open
      onOpenChange={close}
      title="Rotate the signing secret?"
      description={<span className="font-mono break-all">{endpoint.url}</span>}
      footer={
        <>
          <button type="button" className={buttonClass("secondary")} onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={buttonClass("primary")}
            disabled={rotate.isPending}
            onClick={() => rotate.mutate({ id: endpoint.id, overlapSeconds })}
          >
            {rotate.isPending ? "Rotating…" : "Rotate secret"}
          </button>
        </>
      }
    >
      <fieldset>
        <legend className="text-sm font-medium">The old secret keeps signing for</legend>
        {OVERLAPS.map((overlap) => (
          <label key={overlap.seconds} className="mt-2 flex items-center gap-2 text-sm">
            <input
              type="radio"
              name={`${id}-overlap`}
              checked={overlapSeconds === overlap.seconds}
              onChange={() => setOverlapSeconds(overlap.seconds)}
            />
            {overlap.label}
          </label>
        ))}
      </fieldset>
      {rotate.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {errorMessage(rotate.error)}
        </p>
      ) : null}
    </Dialog>
  );
}
