import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TCredential } from "../types";
import { ActionBar, Alert, Button, Field, StepHeading } from "../ui";

/** Username, password, notes: for unknown utilities, or when the live browser won't do. */
export function ManualCredentialForm({
  provider,
  company,
  busy,
  error,
  fieldErrors,
  onSubmit,
  footer,
}: {
  /** Null when the utility is not known by name. */
  provider: string | null;
  company: string;
  busy: boolean;
  error: string | null;
  fieldErrors?: Record<string, string>;
  onSubmit: (credential: Extract<TCredential, { method: "manual" }>) => void;
  footer?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [notes, setNotes] = useState("");
  const [show, setShow] = useState(false);
  const [errors, setErrors] = useState<{ username?: string; password?: string }>({});
  const notesId = useId();
  const showId = useId();

  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>
        {provider === null ? t("manual.headingGeneric") : t("manual.heading", { provider })}
      </StepHeading>
      <p className="text-slate-700">{t("manual.intro", { company })}</p>
      <form
        className="flex flex-col gap-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const next: typeof errors = {};
          if (!username.trim()) next.username = t("manual.usernameError");
          if (!password) next.password = t("manual.passwordError");
          setErrors(next);
          if (next.username || next.password) return;
          onSubmit({
            method: "manual",
            username: username.trim(),
            password,
            ...(notes.trim() ? { notes: notes.trim() } : {}),
          });
        }}
      >
        <Field
          label={t("manual.username")}
          value={username}
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
          onChange={(event) => setUsername(event.target.value)}
          error={errors.username ?? fieldErrors?.["credential.username"]}
        />
        <div className="flex flex-col gap-2">
          <Field
            label={t("manual.password")}
            value={password}
            type={show ? "text" : "password"}
            autoComplete="current-password"
            required
            onChange={(event) => setPassword(event.target.value)}
            error={errors.password ?? fieldErrors?.["credential.password"]}
          />
          <div className="flex items-center gap-2 text-sm">
            <input
              id={showId}
              type="checkbox"
              className="size-4 accent-[var(--color-brand)]"
              checked={show}
              onChange={(event) => setShow(event.target.checked)}
            />
            <label htmlFor={showId}>{t("manual.showPassword")}</label>
          </div>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={notesId} className="text-sm font-medium">
            {t("manual.notes")}
          </label>
          <textarea
            id={notesId}
            rows={3}
            className="rounded-md border border-slate-400 px-3 py-2 text-base"
            value={notes}
            aria-describedby={`${notesId}-hint`}
            onChange={(event) => setNotes(event.target.value)}
          />
          <p id={`${notesId}-hint`} className="text-sm text-slate-600">
            {t("manual.notesHint")}
          </p>
        </div>
        {error ? <Alert>{error}</Alert> : null}
        <ActionBar>
          <Button type="submit" busy={busy} disabled={busy}>
            {t("common.continue")}
          </Button>
        </ActionBar>
      </form>
      {footer}
    </section>
  );
}
