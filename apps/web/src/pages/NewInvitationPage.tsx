// The create wizard: flow → access and prefill → delivery → review → created.
// The draft is validated with the same ZCreateInvitation the API uses, so a step only
// lets the admin continue once the server would accept that part.
import {
  type TCreateInvitation,
  type TUtilityType,
  UTILITY_TYPES,
  ZCreateInvitation,
} from "@meterlink/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import clsx from "clsx";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { buttonClass } from "../components/Dialog";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import { useToast } from "../components/Toast";
import { copyText, embedSnippet, UTILITY_LABELS } from "../lib/format";
import { errorMessage, useTRPC } from "../lib/trpc";

const STEPS = ["Flow", "Access & prefill", "Delivery", "Review", "Created"] as const;

type TDraft = {
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
};

function emailList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((value) => value.trim())
    .filter(Boolean);
}

/** The draft as the API input (unparsed: zod reports what is wrong, field by field). */
function toInput(draft: TDraft, providers: { id: string; loginUrl: string }[]): TCreateInvitation {
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

const ERROR_PATH: Record<keyof TDraft, string> = {
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
};

const STEP_FIELDS: Record<number, (path: string) => boolean> = {
  0: (path) => path === "targetConnectionId" || path === "kind",
  1: (path) => /^(allowedEmails|expiry|maxUses|prefill)/.test(path),
  2: (path) => /^(delivery|message)/.test(path),
};

function fieldErrors(input: TCreateInvitation, step: number): Record<string, string> {
  const result = ZCreateInvitation.safeParse(input);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join(".");
    if (step >= 3 || STEP_FIELDS[step]?.(path)) errors[path] ??= issue.message;
  }
  return errors;
}

export function NewInvitationPage() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const connections = useQuery(trpc.admin.connections.list.queryOptions());
  const sites = useQuery(trpc.admin.sites.list.queryOptions());
  const providers = useQuery(trpc.admin.providers.list.queryOptions({}));
  const initialDays = params.get("expiresInDays");
  const [draft, setDraft] = useState<TDraft>(() => ({
    kind: params.get("kind") === "reconnect" ? "reconnect" : "contributor",
    targetConnectionId: params.get("connection") ?? "",
    allowedEmails: "",
    expiryKind: "duration",
    expiryDays: initialDays ?? "14",
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
  }));
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ id: string; url: string; emailsQueued: number } | null>(
    null,
  );
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Reconnect defaults to a connection in error: those are the ones that need it.
  const sortedConnections = [...(connections.data ?? [])].sort(
    (a, b) => Number(b.status === "error") - Number(a.status === "error"),
  );
  useEffect(() => {
    if (draft.kind !== "reconnect" || draft.targetConnectionId || !connections.data) return;
    const firstError = connections.data.find((c) => c.status === "error") ?? connections.data[0];
    if (firstError) setDraft((d) => ({ ...d, targetConnectionId: firstError.id }));
  }, [draft.kind, draft.targetConnectionId, connections.data]);

  // Each step change moves focus to the step's heading, so keyboard and screen-reader
  // users start at the top of the new content.
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    headingRef.current?.focus();
  });

  const create = useMutation(
    trpc.admin.invitations.create.mutationOptions({
      onSuccess: (result) => {
        setCreated(result);
        setStep(4);
        toast({ title: "Invitation created", tone: "success" });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.invitations.list.pathKey() });
      },
      onError: (error) => {
        const fields =
          error instanceof TRPCClientError
            ? ((error.data as { fields?: { path: string; message: string }[] } | undefined)
                ?.fields ?? [])
            : [];
        setErrors(Object.fromEntries(fields.map((f) => [f.path, f.message])));
        toast({
          title: "Could not create the invitation",
          description: errorMessage(error),
          tone: "error",
        });
      },
    }),
  );

  const input = toInput(draft, providers.data ?? []);
  const target = connections.data?.find((c) => c.id === draft.targetConnectionId);

  function update<K extends keyof TDraft>(key: K, value: TDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
    // An error stays only until the admin touches the field it is about.
    const prefix = ERROR_PATH[key];
    setErrors((current) =>
      Object.fromEntries(Object.entries(current).filter(([path]) => !path.startsWith(prefix))),
    );
  }

  function next() {
    const found = fieldErrors(input, step);
    setErrors(found);
    if (Object.keys(found).length) return;
    if (step === 1 && !draft.recipients.trim()) {
      // Suggest the people most likely to receive it; the admin can change them.
      const suggested =
        draft.allowedEmails.trim() ||
        (draft.kind === "reconnect" ? (target?.ownerEmail ?? "") : draft.ownerEmail.trim());
      if (suggested) update("recipients", suggested);
    }
    setStep((s) => s + 1);
  }

  function reset() {
    setCreated(null);
    setErrors({});
    setStep(0);
    setDraft((d) => ({ ...d, allowedEmails: "", recipients: "", ownerEmail: "", message: "" }));
  }

  return (
    <>
      <PageHeader
        title="New invitation"
        description="Create a link that lets someone connect a utility account, without ever sharing a password with you."
        actions={
          <Link to="/invitations" className={buttonClass("ghost")}>
            Back to invitations
          </Link>
        }
      />
      <ol aria-label="Steps" className="mb-6 flex flex-wrap gap-2 text-sm">
        {STEPS.map((label, index) => (
          <li
            key={label}
            aria-current={index === step ? "step" : undefined}
            className={clsx(
              "rounded-full px-3 py-1",
              index === step
                ? "bg-brand text-white"
                : index < step
                  ? "bg-brand/10 text-brand"
                  : "bg-slate-200 text-slate-600",
            )}
          >
            <span className="sr-only">Step </span>
            {index + 1}. {label}
          </li>
        ))}
      </ol>

      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (step < 3) next();
          else if (step === 3) {
            const found = fieldErrors(input, 3);
            setErrors(found);
            if (!Object.keys(found).length) create.mutate(input);
          }
        }}
        className="max-w-3xl rounded-xl border border-slate-200 bg-white p-5 md:p-6"
      >
        <h2 ref={headingRef} tabIndex={-1} className="mb-4 text-lg font-semibold outline-none">
          {step === 0
            ? "Who is this invitation for?"
            : step === 1
              ? "Access and prefill"
              : step === 2
                ? "How should it reach them?"
                : step === 3
                  ? "Review"
                  : "Your invitation is ready"}
        </h2>

        {step === 0 ? (
          <div className="space-y-4">
            <fieldset className="grid gap-3 sm:grid-cols-2">
              <legend className="sr-only">Flow</legend>
              <Choice
                name="kind"
                checked={draft.kind === "contributor"}
                onChange={() => update("kind", "contributor")}
                title="Contributor"
                text="Someone connects a new utility account for your buildings."
              />
              <Choice
                name="kind"
                checked={draft.kind === "reconnect"}
                onChange={() => update("kind", "reconnect")}
                title="Reconnect"
                text="The owner of an existing connection signs in again, e.g. after a password change."
              />
            </fieldset>
            {draft.kind === "reconnect" ? (
              <fieldset>
                <legend className="mb-2 text-sm font-medium">Connection to reconnect</legend>
                {connections.isPending ? (
                  <div className="h-16 animate-pulse rounded bg-slate-200" />
                ) : sortedConnections.length === 0 ? (
                  <p className="text-slate-600">
                    You have no connections yet. Send a contributor invitation first.
                  </p>
                ) : (
                  <div className="space-y-2">
                    {sortedConnections.map((c) => (
                      <label
                        key={c.id}
                        className={clsx(
                          "flex cursor-pointer items-start gap-3 rounded-md border p-3",
                          draft.targetConnectionId === c.id
                            ? "border-brand bg-brand/5"
                            : "border-slate-200",
                        )}
                      >
                        <input
                          type="radio"
                          name="targetConnectionId"
                          className="mt-1"
                          checked={draft.targetConnectionId === c.id}
                          onChange={() => update("targetConnectionId", c.id)}
                        />
                        <span className="min-w-0 flex-1">
                          <span className="flex flex-wrap items-center gap-2">
                            <span className="font-medium">{c.providerName}</span>
                            <StatusBadge status={c.status} />
                          </span>
                          <span className="block text-sm text-slate-600">
                            {c.ownerEmail ?? "No owner email"}
                            {c.sites.length ? ` · ${c.sites.map((s) => s.name).join(", ")}` : ""}
                          </span>
                          {c.statusReason ? (
                            <span className="block text-xs text-red-700">{c.statusReason}</span>
                          ) : null}
                        </span>
                      </label>
                    ))}
                  </div>
                )}
                <FieldError message={errors.targetConnectionId} />
              </fieldset>
            ) : null}
          </div>
        ) : null}

        {step === 1 ? (
          <div className="space-y-5">
            <TextArea
              label="Allowed emails"
              hint="Only these addresses can use the link (they confirm with a code). Leave empty to let anyone with the link use it."
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
              <fieldset className="space-y-4 border-t border-slate-200 pt-4">
                <legend className="sr-only">Prefill (optional)</legend>
                <div>
                  <p className="text-sm font-semibold">Prefill (optional)</p>
                  <p className="text-sm text-slate-600">
                    What you already know, so the recipient has less to enter.
                  </p>
                </div>
                <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
                  <Input
                    label="Provider website"
                    type="url"
                    placeholder="https://"
                    list="provider-urls"
                    value={draft.providerUrl}
                    onChange={(v) => update("providerUrl", v)}
                    error={errors["prefill.providerUrl"]}
                  />
                  <datalist id="provider-urls">
                    {providers.data?.map((p) => (
                      <option key={p.id} value={p.loginUrl}>
                        {p.name}
                      </option>
                    ))}
                  </datalist>
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
                    {sites.data?.map((s) => (
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
                            on
                              ? [...draft.utilityTypes, type]
                              : draft.utilityTypes.filter((x) => x !== type),
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
            ) : null}
          </div>
        ) : null}

        {step === 2 ? (
          <div className="space-y-4">
            <fieldset className="grid gap-3 sm:grid-cols-2">
              <legend className="sr-only">Delivery</legend>
              <Choice
                name="delivery"
                checked={draft.deliveryKind === "email"}
                onChange={() => update("deliveryKind", "email")}
                title="Send by email (recommended)"
                text="We email the link from your company's name, and you can resend it."
              />
              <Choice
                name="delivery"
                checked={draft.deliveryKind === "manual"}
                onChange={() => update("deliveryKind", "manual")}
                title="I'll share the link myself"
                text="Copy the link or embed it in your own site."
              />
            </fieldset>
            {draft.deliveryKind === "email" ? (
              <TextArea
                label="Recipients"
                hint="One or more addresses, separated by commas or new lines."
                value={draft.recipients}
                onChange={(v) => update("recipients", v)}
                error={
                  errors["delivery.recipients"] ?? firstMatching(errors, "delivery.recipients.")
                }
              />
            ) : null}
            <TextArea
              label="Personal message (optional)"
              hint="Shown in the email and on the invitation page."
              value={draft.message}
              onChange={(v) => update("message", v)}
              error={errors.message}
            />
          </div>
        ) : null}

        {step === 3 ? (
          <div>
            <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-2 text-sm">
              <dt className="text-slate-500">Flow</dt>
              <dd>
                {draft.kind === "reconnect"
                  ? `Reconnect ${target?.providerName ?? "a connection"}`
                  : "Contributor"}
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
                      .map((siteId) => sites.data?.find((s) => s.id === siteId)?.name)
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
        ) : null}

        {step === 4 && created ? <CreatedStep created={created} onAnother={reset} /> : null}

        {step < 4 ? (
          <div className="mt-6 flex flex-wrap justify-between gap-2 border-t border-slate-200 pt-4">
            <button
              type="button"
              className={buttonClass("secondary")}
              disabled={step === 0}
              onClick={() => {
                setErrors({});
                setStep((s) => s - 1);
              }}
            >
              Back
            </button>
            <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
              {step === 3 ? (create.isPending ? "Creating…" : "Create invitation") : "Continue"}
            </button>
          </div>
        ) : null}
      </form>
    </>
  );
}

function firstMatching(errors: Record<string, string>, prefix: string): string | undefined {
  return Object.entries(errors).find(([path]) => path.startsWith(prefix))?.[1];
}

function CreatedStep({
  created,
  onAnother,
}: {
  created: { id: string; url: string; emailsQueued: number };
  onAnother: () => void;
}) {
  const toast = useToast();
  const linkId = useId();
  const snippetId = useId();
  const snippet = embedSnippet(created.url);
  async function copy(text: string, what: string) {
    const ok = await copyText(text);
    toast(
      ok
        ? { title: `${what} copied`, tone: "success" }
        : { title: `Select the ${what.toLowerCase()} and copy it`, tone: "info" },
    );
  }
  return (
    <div className="space-y-5">
      <p className="text-slate-700">
        {created.emailsQueued
          ? `We are emailing it to ${created.emailsQueued} recipient${created.emailsQueued === 1 ? "" : "s"}. You can also share the link yourself.`
          : "Share this link with the recipient, or embed it in your own site."}
      </p>
      <div>
        <label htmlFor={linkId} className="block text-sm font-medium">
          Invitation link
        </label>
        <div className="mt-1 flex gap-2">
          <input
            id={linkId}
            readOnly
            value={created.url}
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
          />
          <button
            type="button"
            className={buttonClass("primary")}
            onClick={() => copy(created.url, "Link")}
          >
            Copy link
          </button>
        </div>
      </div>
      <div>
        <label htmlFor={snippetId} className="block text-sm font-medium">
          Embed snippet
        </label>
        <p className="text-sm text-slate-600">
          Paste it into your site. Add your site's origin under Settings › Embedding first.
        </p>
        <textarea
          id={snippetId}
          readOnly
          rows={3}
          value={snippet}
          onFocus={(e) => e.currentTarget.select()}
          className="mt-1 w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
        />
        <button
          type="button"
          className={clsx(buttonClass("secondary"), "mt-1")}
          onClick={() => copy(snippet, "Snippet")}
        >
          Copy snippet
        </button>
      </div>
      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
        <Link to={`/invitations/${created.id}?status=all`} className={buttonClass("secondary")}>
          View invitation
        </Link>
        <button type="button" className={buttonClass("ghost")} onClick={onAnother}>
          Create another
        </button>
      </div>
    </div>
  );
}

function Choice({
  name,
  checked,
  onChange,
  title,
  text,
}: {
  name: string;
  checked: boolean;
  onChange: () => void;
  title: string;
  text: string;
}) {
  return (
    <label
      className={clsx(
        "flex cursor-pointer gap-3 rounded-lg border p-4",
        checked ? "border-brand bg-brand/5" : "border-slate-200 hover:border-slate-300",
      )}
    >
      <input type="radio" name={name} checked={checked} onChange={onChange} className="mt-1" />
      <span>
        <span className="block font-medium">{title}</span>
        <span className="block text-sm text-slate-600">{text}</span>
      </span>
    </label>
  );
}

function Radio({
  name,
  label,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: () => void;
}) {
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <input type="radio" name={name} checked={checked} onChange={onChange} />
      {label}
    </label>
  );
}

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

function Input({
  label,
  value,
  onChange,
  error,
  ...rest
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  type?: string;
  placeholder?: string;
  maxLength?: number;
  list?: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-500"
        {...rest}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function TextArea({
  label,
  hint,
  value,
  onChange,
  error,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <textarea
        id={id}
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={
          [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].join(" ").trim() || undefined
        }
        className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-500"
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function FieldError({ id, message }: { id?: string; message?: string }): ReactNode {
  return message ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
}
