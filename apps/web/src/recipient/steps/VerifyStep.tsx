import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Field, Spinner, StepHeading } from "../ui";

/**
 * Restricted invitations: the recipient asks for a one-click link. The page then waits;
 * the parent polls `open`, so clicking the link in another tab or on a phone moves this
 * page on by itself.
 */
export function VerifyStep({
  sentTo,
  busy,
  error,
  onRequest,
  onReset,
}: {
  sentTo: string | null;
  busy: boolean;
  error: string | null;
  onRequest: (email: string) => void;
  onReset: () => void;
}) {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");

  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      {sentTo ? (
        <>
          <StepHeading>{t("verify.sent")}</StepHeading>
          <p className="text-slate-700">{t("verify.sentBody", { email: sentTo })}</p>
          <Spinner label={t("verify.waiting")} />
          <div>
            <Button variant="link" onClick={onReset}>
              {t("verify.resend")}
            </Button>
          </div>
        </>
      ) : (
        <>
          <StepHeading>{t("verify.heading")}</StepHeading>
          <p className="text-slate-700">{t("verify.intro")}</p>
          <form
            className="flex flex-col gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              if (email.trim()) onRequest(email.trim());
            }}
          >
            <Field
              label={t("verify.email")}
              type="email"
              autoComplete="email"
              inputMode="email"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={error}
            />
            <div>
              <Button type="submit" busy={busy} disabled={busy}>
                {t("verify.send")}
              </Button>
            </div>
          </form>
        </>
      )}
      {sentTo && error ? <Alert>{error}</Alert> : null}
    </section>
  );
}
