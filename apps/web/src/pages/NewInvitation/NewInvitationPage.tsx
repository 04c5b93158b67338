// The create wizard: flow → access and prefill → delivery → review → created. This file
// holds the draft, the step navigation and the create call; each step renders itself
// (one file per step beside this one).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import clsx from "clsx";
import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { buttonClass } from "../../components/Dialog";
import { PageHeader } from "../../components/PageHeader";
import { useToast } from "../../components/Toast";
import { fieldErrorsOf } from "../../lib/errors";
import { errorMessage, useTRPC } from "../../lib/trpc";
import { AccessStep } from "./AccessStep";
import { CreatedStep } from "./CreatedStep";
import { DeliveryStep } from "./DeliveryStep";
import {
  ERROR_PATH,
  fieldErrors,
  initialDraft,
  STEPS,
  type TCreated,
  type TDraft,
  toInput,
} from "./draft";
import { FlowStep } from "./FlowStep";
import { ReviewStep } from "./ReviewStep";

const HEADINGS = [
  "Who is this invitation for?",
  "Access and prefill",
  "How should it reach them?",
  "Review",
  "Your invitation is ready",
] as const;

export function NewInvitationPage() {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const connections = useQuery(trpc.admin.connections.list.queryOptions());
  const sites = useQuery(trpc.admin.sites.list.queryOptions());
  const providers = useQuery(trpc.admin.providers.list.queryOptions({}));
  const [draft, setDraft] = useState<TDraft>(() => initialDraft(params));
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<TCreated | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Reconnect defaults to a connection in error: those are the ones that need it.
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
        setErrors(fieldErrorsOf(error));
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
    setDraft((d) => ({
      ...d,
      allowedEmails: "",
      recipients: "",
      ownerEmail: "",
      message: "",
      name: "",
    }));
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
                ? "bg-brand text-brand-on"
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
          {HEADINGS[step]}
        </h2>

        {step === 0 ? (
          <FlowStep draft={draft} update={update} errors={errors} connections={connections.data} />
        ) : null}
        {step === 1 ? (
          <AccessStep
            draft={draft}
            update={update}
            errors={errors}
            options={{ providers: providers.data, sites: sites.data }}
          />
        ) : null}
        {step === 2 ? <DeliveryStep draft={draft} update={update} errors={errors} /> : null}
        {step === 3 ? (
          <ReviewStep
            draft={draft}
            errors={errors}
            targetName={target?.providerName}
            sites={sites.data}
          />
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
