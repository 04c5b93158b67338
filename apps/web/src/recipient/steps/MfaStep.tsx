import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useTRPC } from "../../lib/trpc";
import { Button, StepHeading } from "../ui";

/** How often the step asks whether a forwarded message arrived (until one did). */
const RECEIVED_POLL_MS = 2000;

type TChannel = "sms" | "email";

/**
 * After signing in to a utility that sends one-time codes (live, or typed by hand): weekly
 * automatic collection needs those codes forwarded, often by whoever holds the phone. The
 * step shows where to forward (address and number), concrete steps per phone and mailbox,
 * then proves it: "forward any message now" turns into "received ✓" when one arrives.
 * Skipping is allowed; the admin then sees that forwarding is not set up.
 */
export function MfaStep({
  token,
  provider,
  company,
  channel,
  onContinue,
}: {
  token: string;
  provider: string;
  company: string;
  /** The utility's kind of code, "any" when unknown. */
  channel: string;
  onContinue: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const channels: TChannel[] =
    channel === "sms" ? ["sms"] : channel === "email" ? ["email"] : ["sms", "email"];
  // Without an SMS number, texts are forwarded to the address (phones can send them as
  // email), so an email is the proof then.
  const proofOf = (sms: string | null | undefined): TChannel[] =>
    channels.includes("sms") && !sms ? [...new Set<TChannel>([...channels, "email"])] : channels;
  const forwarding = useQuery({
    ...trpc.recipient.forwarding.queryOptions({ token }),
    refetchInterval: (query) => {
      const data = query.state.data;
      const done = data && proofOf(data.sms).some((c) => data.received[c]);
      return done ? false : RECEIVED_POLL_MS;
    },
  });
  const data = forwarding.data;
  const vars = { provider, company };
  const received = data ? proofOf(data.sms).some((c) => data.received[c]) : false;
  // Texts are forwarded to the number when the deployment has one, else to the address.
  const smsTarget = data?.sms ?? data?.email ?? "";
  const address = data?.email ?? t("mfa.mailAddressLater", vars);
  const mailto = `mailto:?subject=${encodeURIComponent(t("mfa.mailSubject", vars))}&body=${encodeURIComponent(
    t("mfa.mailBody", { ...vars, address }),
  )}`;

  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <StepHeading>{t("mfa.heading")}</StepHeading>
      <p className="text-slate-700">{t("mfa.intro", vars)}</p>

      <div className="flex flex-col gap-3 rounded-md bg-slate-50 p-4">
        {channels.includes("email") || !data?.sms ? (
          <Target
            label={t("mfa.address")}
            value={data?.email ?? null}
            testId="forwarding-address"
          />
        ) : null}
        {channels.includes("sms") && data?.sms ? (
          <Target label={t("mfa.number")} value={data.sms} testId="forwarding-number" />
        ) : null}
        {!data && forwarding.isError ? (
          <p className="text-slate-900">{t("mfa.addressLater", vars)}</p>
        ) : null}
      </div>

      <div>
        <h2 className="font-semibold">{t("mfa.how")}</h2>
        <div className="mt-2 flex flex-col gap-2">
          {channels.includes("sms") ? (
            <>
              <Steps
                title={t("mfa.iphone.title")}
                steps={t("mfa.iphone.steps", { ...vars, target: smsTarget })}
              />
              <Steps
                title={t("mfa.android.title")}
                steps={t("mfa.android.steps", { ...vars, target: smsTarget })}
              />
            </>
          ) : null}
          {channels.includes("email") ? (
            <>
              <Steps
                title={t("mfa.gmail.title")}
                steps={t("mfa.gmail.steps", { ...vars, target: address })}
              />
              <Steps
                title={t("mfa.outlook.title")}
                steps={t("mfa.outlook.steps", { ...vars, target: address })}
              />
            </>
          ) : null}
        </div>
      </div>

      <div
        className="rounded-md border border-slate-200 p-4"
        aria-live="polite"
        data-testid="forwarding-check"
      >
        <h2 className="font-semibold">{t("mfa.testHeading")}</h2>
        {received ? (
          <p className="mt-1 font-semibold text-green-700" data-testid="forwarding-received">
            {t("mfa.received")}
          </p>
        ) : (
          <>
            <p className="mt-1 text-slate-700">{t("mfa.testBody", vars)}</p>
            {channels.includes("sms") && data?.sms && data.smsWord ? (
              <SmsWord
                line={t(data.unclaimedSms ? "mfa.testUnclaimed" : "mfa.testWord", {
                  word: data.smsWord,
                })}
                word={data.smsWord}
                unclaimed={data.unclaimedSms}
              />
            ) : null}
          </>
        )}
        {!received ? <p className="mt-2 text-sm text-slate-500">{t("mfa.waiting")}</p> : null}
      </div>

      <a href={mailto} className="text-slate-800 underline underline-offset-2">
        {t("mfa.colleague")}
      </a>
      <div className="flex flex-wrap items-center gap-4">
        <Button onClick={onContinue} disabled={!received}>
          {t("mfa.continue")}
        </Button>
        <Button variant="secondary" onClick={onContinue}>
          {t("mfa.skip")}
        </Button>
      </div>
    </section>
  );
}

function Target({ label, value, testId }: { label: string; value: string | null; testId: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <p className="text-sm font-medium text-slate-700">{label}</p>
      {value ? (
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <code className="break-all text-base font-semibold text-slate-900" data-testid={testId}>
            {value}
          </code>
          <Button
            variant="secondary"
            className="min-h-9 px-3 py-1 text-sm"
            onClick={() => {
              void navigator.clipboard
                ?.writeText(value)
                .then(() => setCopied(true))
                .catch(() => undefined);
            }}
          >
            {copied ? t("mfa.copied") : t("mfa.copy")}
          </Button>
        </div>
      ) : (
        <p className="mt-1 text-slate-500">…</p>
      )}
    </div>
  );
}

/** One device's or mailbox's steps, folded: the recipient opens the one they use. */
function Steps({ title, steps }: { title: string; steps: string }) {
  return (
    <details className="rounded-md border border-slate-200 px-4 py-2">
      <summary className="cursor-pointer font-medium text-slate-900">{title}</summary>
      <ol className="mt-2 list-decimal space-y-1 pl-5 text-slate-700">
        {steps.split("\n").map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
    </details>
  );
}

/**
 * The line asking for the word, with the word itself set apart to read off and type;
 * `unclaimed`: a text came that could have been someone else's, so it asks again.
 */
function SmsWord({ line, word, unclaimed }: { line: string; word: string; unclaimed: boolean }) {
  const at = line.indexOf(word);
  return (
    <p
      className={unclaimed ? "mt-2 rounded bg-amber-50 p-2 text-amber-900" : "mt-2 text-slate-700"}
      data-testid="forwarding-word"
      data-unclaimed={unclaimed || undefined}
    >
      {at < 0 ? (
        line
      ) : (
        <>
          {line.slice(0, at)}
          <strong className="font-mono tracking-wider">{word}</strong>
          {line.slice(at + word.length)}
        </>
      )}
    </p>
  );
}
