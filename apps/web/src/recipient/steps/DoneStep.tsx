import { useTranslation } from "react-i18next";
import { StepHeading } from "../ui";

export function DoneStep({
  company,
  provider,
  kind,
  collectsNow,
  billsIn,
  returnUrl,
}: {
  company: string;
  /** Null when the utility is not known by name. */
  provider: string | null;
  kind: "contributor" | "reconnect";
  /** A live sign-in to a catalog utility reads the first bills at once; anything else waits. */
  collectsNow: boolean;
  /** The live session's first bills are already the connection's. */
  /** What the live session's first read found: bills, none yet, or not read (manual entry). */
  billsIn: "in" | "none" | null;
  /**
   * The integrator's way back (the invitation's redirectUrl, on the company's registered
   * origins, with status and connection id added by the API); null: nowhere to go back to.
   */
  returnUrl: string | null;
}) {
  const { t } = useTranslation();
  const vars = { company, provider };
  return (
    <section className="flex flex-col gap-5 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      <div className="grid size-12 place-items-center rounded-full bg-brand text-[var(--brand-on,#fff)]">
        <svg viewBox="0 0 20 20" className="size-7" fill="currentColor" aria-hidden="true">
          <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
        </svg>
      </div>
      <StepHeading>
        {kind === "contributor"
          ? t("done.heading")
          : provider === null
            ? t("done.headingReconnectGeneric")
            : t("done.headingReconnect", vars)}
      </StepHeading>
      <p className="text-slate-700">
        {kind === "reconnect"
          ? t("done.bodyReconnect", vars)
          : provider === null
            ? t("done.bodyGeneric", vars)
            : t("done.body", vars)}
      </p>
      <div>
        <h2 className="font-semibold">{t("done.next")}</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700">
          <li>
            {billsIn === "in"
              ? t("done.next1In", vars)
              : billsIn === "none"
                ? t("done.next1None", vars)
                : collectsNow
                  ? t("done.next1")
                  : t("done.next1Later", vars)}
          </li>
          <li>{t("done.next2")}</li>
          <li>{t("done.next3", vars)}</li>
        </ul>
      </div>
      {returnUrl ? (
        // _top: inside the company's own page (iframe) the way back replaces that page.
        <a
          href={returnUrl}
          target="_top"
          className="inline-flex min-h-11 items-center justify-center self-start rounded-md bg-brand px-5 py-2.5 font-medium text-[var(--brand-on,#fff)] shadow-sm hover:brightness-110"
        >
          {t("done.back", vars)}
        </a>
      ) : (
        <p className="text-sm text-slate-600">{t("done.close")}</p>
      )}
    </section>
  );
}
