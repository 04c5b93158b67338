// Step 2: who may use the link, for how long and how often, and (for a contributor) what
// the admin already knows about the account.
import { FieldError, firstMatching, Radio, TextArea } from "../../components/Form";
import type { TDraft, TUpdateDraft } from "./draft";
import { PrefillFields, type TPrefillOptions } from "./PrefillFields";

export function AccessStep({
  draft,
  update,
  errors,
  options,
}: {
  draft: TDraft;
  update: TUpdateDraft;
  errors: Record<string, string>;
  options: TPrefillOptions;
}) {
  return (
    <div className="space-y-5">
      <TextArea
        label="Allowed emails"
        hint="Only these addresses can use the link (they confirm their address with a link we email them). Leave empty to let anyone with the link use it."
        value={draft.allowedEmails}
        onChange={(value) => update("allowedEmails", value)}
        error={errors.allowedEmails ?? firstMatching(errors, "allowedEmails.")}
      />
      <fieldset>
        <legend className="text-sm font-medium">Expiry</legend>
        <div className="mt-2 space-y-2">
          <Radio
            name="expiry"
            label="Never expires"
            checked={draft.expiryKind === "never"}
            onChange={() => update("expiryKind", "never")}
          />
          <div className="flex flex-wrap items-center gap-2">
            <Radio
              name="expiry"
              label="Expires after"
              checked={draft.expiryKind === "duration"}
              onChange={() => update("expiryKind", "duration")}
            />
            <label className="sr-only" htmlFor="expiry-days">
              Days until expiry
            </label>
            <input
              id="expiry-days"
              type="number"
              min={1}
              max={365}
              value={draft.expiryDays}
              disabled={draft.expiryKind !== "duration"}
              onChange={(e) => update("expiryDays", e.target.value)}
              className="w-20 rounded-md border border-slate-300 px-2 py-1 disabled:bg-slate-100"
            />
            <span className="text-sm">days</span>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Radio
              name="expiry"
              label="Expires on"
              checked={draft.expiryKind === "date"}
              onChange={() => update("expiryKind", "date")}
            />
            <label className="sr-only" htmlFor="expiry-date">
              Expiry date
            </label>
            <input
              id="expiry-date"
              type="date"
              value={draft.expiryDate}
              disabled={draft.expiryKind !== "date"}
              onChange={(e) => update("expiryDate", e.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1 disabled:bg-slate-100"
            />
          </div>
        </div>
        <FieldError message={errors["expiry.days"] ?? errors["expiry.at"] ?? errors.expiry} />
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium">Uses</legend>
        <div className="mt-2 space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <Radio
              name="uses"
              label="Can be used up to"
              checked={draft.usesKind === "limited"}
              onChange={() => update("usesKind", "limited")}
            />
            <label className="sr-only" htmlFor="max-uses">
              Max uses
            </label>
            <input
              id="max-uses"
              type="number"
              min={1}
              value={draft.maxUses}
              disabled={draft.usesKind !== "limited"}
              onChange={(e) => update("maxUses", e.target.value)}
              className="w-20 rounded-md border border-slate-300 px-2 py-1 disabled:bg-slate-100"
            />
            <span className="text-sm">times</span>
          </div>
          <Radio
            name="uses"
            label="Unlimited uses"
            checked={draft.usesKind === "unlimited"}
            onChange={() => update("usesKind", "unlimited")}
          />
        </div>
        <FieldError message={errors.maxUses} />
      </fieldset>

      {draft.kind === "contributor" ? (
        <PrefillFields draft={draft} update={update} errors={errors} options={options} />
      ) : null}
    </div>
  );
}
