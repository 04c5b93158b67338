// Step 4: everything the invitation will do, in words, with what the API still refuses.
import { UTILITY_LABELS } from "../../lib/format";
import { emailList, INVITATION_LOCALES, type TDraft } from "./draft";

export function ReviewStep({
  draft,
  errors,
  targetName,
  sites,
}: {
  draft: TDraft;
  errors: Record<string, string>;
  /** The provider name of the connection to reconnect. */
  targetName: string | undefined;
  sites: { id: string; name: string }[] | undefined;
}) {
  return (
    <div>
      <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-2 text-sm">
        <dt className="text-slate-500">Flow</dt>
        <dd>
          {draft.kind === "reconnect" ? `Reconnect ${targetName ?? "a connection"}` : "Contributor"}
        </dd>
        <dt className="text-slate-500">Allowed emails</dt>
        <dd>{emailList(draft.allowedEmails).join(", ") || "Anyone with the link"}</dd>
        <dt className="text-slate-500">Expiry</dt>
        <dd>
          {draft.expiryKind === "never"
            ? "Never"
            : draft.expiryKind === "duration"
              ? `After ${draft.expiryDays} days`
              : `On ${draft.expiryDate}`}
        </dd>
        <dt className="text-slate-500">Uses</dt>
        <dd>{draft.usesKind === "unlimited" ? "Unlimited" : `Up to ${draft.maxUses}`}</dd>
        {draft.kind === "contributor" ? (
          <>
            <dt className="text-slate-500">Provider</dt>
            <dd className="break-all">{draft.providerUrl || "Recipient chooses"}</dd>
            <dt className="text-slate-500">Country</dt>
            <dd>{draft.country || "—"}</dd>
            <dt className="text-slate-500">Sites</dt>
            <dd>
              {draft.siteIds
                .map((siteId) => sites?.find((s) => s.id === siteId)?.name)
                .join(", ") || "—"}
            </dd>
            <dt className="text-slate-500">Utility types</dt>
            <dd>{draft.utilityTypes.map((t) => UTILITY_LABELS[t]).join(", ") || "—"}</dd>
            <dt className="text-slate-500">Owner email</dt>
            <dd>{draft.ownerEmail || "—"}</dd>
            <dt className="text-slate-500">Collect from</dt>
            <dd>{draft.collectionStartDate || "—"}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">Delivery</dt>
        <dd>
          {draft.deliveryKind === "email"
            ? `Email to ${emailList(draft.recipients).join(", ")}`
            : "Shared manually"}
        </dd>
        {draft.name.trim() ? (
          <>
            <dt className="text-slate-500">Name</dt>
            <dd>{draft.name.trim()}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">Language</dt>
        <dd>{INVITATION_LOCALES.find((l) => l.code === draft.locale)?.label}</dd>
        {draft.message.trim() ? (
          <>
            <dt className="text-slate-500">Message</dt>
            <dd>{draft.message}</dd>
          </>
        ) : null}
      </dl>
      {Object.keys(errors).length ? (
        <ul
          role="alert"
          className="mt-4 list-disc rounded-md bg-red-50 py-2 pr-3 pl-7 text-sm text-red-800"
        >
          {Object.entries(errors).map(([path, message]) => (
            <li key={path}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
