import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrorsOf } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { messageOf } from "../api";
import { Alert, Button, Field } from "../ui";

/**
 * "The phone is with someone else": the recipient names a colleague and gets a single-use
 * link (30 minutes) that opens this same live browser on the colleague's device. This page
 * stays and continues by itself once the portal accepts the code.
 */
export function HandoffOffer({
  token,
  loginSessionId,
  onHanded,
}: {
  token: string;
  loginSessionId: string;
  onHanded: (name: string) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [copied, setCopied] = useState(false);
  const create = useMutation(
    trpc.handoff.create.mutationOptions({ onSuccess: (link) => onHanded(link.helperName) }),
  );
  if (!open) {
    return (
      <Button variant="link" onClick={() => setOpen(true)}>
        {t("handoff.offer")}
      </Button>
    );
  }
  const link = create.data;
  return (
    <div className="flex flex-col gap-3 rounded-md bg-slate-50 p-4" data-testid="handoff-offer">
      <p className="text-slate-700">{t("handoff.explain")}</p>
      {link ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium text-slate-700">
            {t("handoff.linkFor", { name: link.helperName })}
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <code className="break-all text-sm text-slate-900" data-testid="handoff-link">
              {link.url}
            </code>
            <Button
              variant="secondary"
              className="min-h-9 px-3 py-1 text-sm"
              onClick={() => {
                void navigator.clipboard
                  ?.writeText(link.url)
                  .then(() => setCopied(true))
                  .catch(() => undefined);
              }}
            >
              {copied ? t("mfa.copied") : t("mfa.copy")}
            </Button>
          </div>
          <p className="text-sm text-slate-500">{t("handoff.validity")}</p>
        </div>
      ) : (
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({ token, loginSessionId, name });
          }}
        >
          <Field
            label={t("handoff.name")}
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={fieldErrorsOf(create.error).name}
            autoComplete="off"
          />
          <Button type="submit" busy={create.isPending}>
            {t("handoff.create")}
          </Button>
        </form>
      )}
      {create.error && !fieldErrorsOf(create.error).name ? (
        <Alert>{messageOf(create.error) ?? t("errors.unknown.body")}</Alert>
      ) : null}
    </div>
  );
}
