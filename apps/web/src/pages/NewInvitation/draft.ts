// The wizard's draft: what the admin has typed, as strings, and how it becomes the API
// input. The draft is validated with the same ZCreateInvitation the API uses, so a step
// only lets the admin continue once the server would accept that part.
import { type TCreateInvitation, type TUtilityType, ZCreateInvitation } from "@meterlink/shared";

export const INVITATION_LOCALES = [
  { code: "en", label: "English" },
  { code: "fr", label: "Français" },
  { code: "de", label: "Deutsch" },
  { code: "es", label: "Español" },
  { code: "ja", label: "日本語" },
] as const;
export type TInvitationLocale = (typeof INVITATION_LOCALES)[number]["code"];

export const STEPS = ["Flow", "Access & prefill", "Delivery", "Review", "Created"] as const;

export type TDraft = {
  kind: "contributor" | "reconnect";
  targetConnectionId: string;
  allowedEmails: string;
  expiryKind: "never" | "duration" | "date";
  expiryDays: string;
  expiryDate: string;
  usesKind: "limited" | "unlimited";
  maxUses: string;
  providerUrl: string;
  country: string;
  siteIds: string[];
  utilityTypes: TUtilityType[];
  ownerEmail: string;
  collectionStartDate: string;
  deliveryKind: "email" | "manual";
  recipients: string;
  message: string;
  /** The admin's own label for it (lists show it instead of "Shared link …"). */
  name: string;
  /** Language of the emails and, unless the recipient switches, of the recipient's pages. */
  locale: TInvitationLocale;
};

export type TUpdateDraft = <K extends keyof TDraft>(key: K, value: TDraft[K]) => void;

export type TCreated = { id: string; url: string; emailsQueued: number };

export function initialDraft(params: URLSearchParams): TDraft {
  return {
    kind: params.get("kind") === "reconnect" ? "reconnect" : "contributor",
    targetConnectionId: params.get("connection") ?? "",
    allowedEmails: "",
    expiryKind: "duration",
    expiryDays: params.get("expiresInDays") ?? "14",
    expiryDate: "",
    usesKind: "limited",
    maxUses: "1",
    providerUrl: "",
    country: "",
    siteIds: [],
    utilityTypes: [],
    ownerEmail: "",
    collectionStartDate: "",
    deliveryKind: "email",
    recipients: "",
    message: "",
    name: "",
    locale: "en",
  };
}

export function emailList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((value) => value.trim())
    .filter(Boolean);
}

/** The draft as the API input (unparsed: zod reports what is wrong, field by field). */
export function toInput(
  draft: TDraft,
  providers: { id: string; loginUrl: string }[],
): TCreateInvitation {
  const expiry =
    draft.expiryKind === "never"
      ? { kind: "never" as const }
      : draft.expiryKind === "duration"
        ? { kind: "duration" as const, days: Number(draft.expiryDays) }
        : {
            kind: "date" as const,
            // The end of the chosen day, in the admin's time zone.
            at: draft.expiryDate ? new Date(`${draft.expiryDate}T23:59:59`).toISOString() : "",
          };
  const common = {
    allowedEmails: emailList(draft.allowedEmails),
    expiry,
    maxUses: draft.usesKind === "unlimited" ? null : Number(draft.maxUses),
    delivery:
      draft.deliveryKind === "email"
        ? { kind: "email" as const, recipients: emailList(draft.recipients) }
        : { kind: "manual" as const },
    message: draft.message.trim() || undefined,
    name: draft.name.trim() || undefined,
    locale: draft.locale,
  };
  if (draft.kind === "reconnect") {
    return { ...common, kind: "reconnect", targetConnectionId: draft.targetConnectionId };
  }
  const providerUrl = draft.providerUrl.trim();
  const catalog = providers.find((p) => providerUrl && p.loginUrl === providerUrl);
  return {
    ...common,
    kind: "contributor",
    prefill: {
      providerId: catalog?.id ?? null,
      providerUrl: providerUrl || null,
      country: draft.country.trim().toUpperCase() || null,
      siteIds: draft.siteIds,
      utilityTypes: draft.utilityTypes,
      ownerEmail: draft.ownerEmail.trim() || null,
      collectionStartDate: draft.collectionStartDate || null,
    },
  };
}

export const ERROR_PATH: Record<keyof TDraft, string> = {
  kind: "kind",

  targetConnectionId: "targetConnectionId",
  allowedEmails: "allowedEmails",
  expiryKind: "expiry",
  expiryDays: "expiry",
  expiryDate: "expiry",
  usesKind: "maxUses",
  maxUses: "maxUses",
  providerUrl: "prefill.providerUrl",
  country: "prefill.country",
  siteIds: "prefill.siteIds",
  utilityTypes: "prefill.utilityTypes",
  ownerEmail: "prefill.ownerEmail",
  collectionStartDate: "prefill.collectionStartDate",
  deliveryKind: "delivery",
  recipients: "delivery.recipients",
  message: "message",
  name: "name",
  locale: "locale",
};

const STEP_FIELDS: Record<number, (path: string) => boolean> = {
  0: (path) => path === "targetConnectionId" || path === "kind",
  1: (path) => /^(allowedEmails|expiry|maxUses|prefill)/.test(path),
  2: (path) => /^(delivery|message|locale|name)/.test(path),
};

export function fieldErrors(input: TCreateInvitation, step: number): Record<string, string> {
  const result = ZCreateInvitation.safeParse(input);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join(".");
    if (step >= 3 || STEP_FIELDS[step]?.(path)) errors[path] ??= issue.message;
  }
  return errors;
}
