// The optional prefill of a contributor invitation: provider, country, sites, utility
// types, owner and collection start, so the recipient has less to enter.
import { UTILITY_TYPES } from "@meterlink/shared";
import { Check, Input } from "../../components/Form";
import { UTILITY_LABELS } from "../../lib/format";
import type { TDraft, TUpdateDraft } from "./draft";
import { ProviderCombobox } from "./ProviderCombobox";

export type TPrefillOptions = {
  /** Unused since the combobox searches the catalog itself; kept for the wizard's call. */
  providers: { id: string; name: string; loginUrl: string }[] | undefined;
  sites: { id: string; name: string }[] | undefined;
};

export function PrefillFields({
  draft,
  update,
  errors,
  options: { sites },
}: {
  draft: TDraft;
  update: TUpdateDraft;
  errors: Record<string, string>;
  options: TPrefillOptions;
}) {
  return (
    <fieldset className="space-y-4 border-t border-slate-200 pt-4">
      <legend className="sr-only">Prefill (optional)</legend>
      <div>
        <p className="text-sm font-semibold">Prefill (optional)</p>
        <p className="text-sm text-slate-600">
          What you already know, so the recipient has less to enter.
        </p>
      </div>
      <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
        <ProviderCombobox
          value={draft.providerUrl}
          chosenName={draft.providerName}
          error={errors["prefill.providerUrl"] ?? errors["prefill.providerId"]}
          onChange={({ url, name, country }) => {
            update("providerUrl", url);
            update("providerName", name);
            if (country) update("country", country);
          }}
        />
        <Input
          label="Country"
          placeholder="US"
          maxLength={2}
          value={draft.country}
          onChange={(v) => update("country", v.toUpperCase())}
          error={errors["prefill.country"]}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium">Sites</legend>
        <div className="mt-2 grid gap-1.5 sm:grid-cols-2">
          {sites?.map((s) => (
            <Check
              key={s.id}
              label={s.name}
              checked={draft.siteIds.includes(s.id)}
              onChange={(on) =>
                update(
                  "siteIds",
                  on ? [...draft.siteIds, s.id] : draft.siteIds.filter((x) => x !== s.id),
                )
              }
            />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium">Utility types</legend>
        <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1.5">
          {UTILITY_TYPES.map((type) => (
            <Check
              key={type}
              label={UTILITY_LABELS[type] ?? type}
              checked={draft.utilityTypes.includes(type)}
              onChange={(on) =>
                update(
                  "utilityTypes",
                  on ? [...draft.utilityTypes, type] : draft.utilityTypes.filter((x) => x !== type),
                )
              }
            />
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Account owner email"
          type="email"
          value={draft.ownerEmail}
          onChange={(v) => update("ownerEmail", v)}
          error={errors["prefill.ownerEmail"]}
        />
        <Input
          label="Collect bills from"
          type="date"
          value={draft.collectionStartDate}
          onChange={(v) => update("collectionStartDate", v)}
          error={errors["prefill.collectionStartDate"]}
        />
      </div>
    </fieldset>
  );
}
