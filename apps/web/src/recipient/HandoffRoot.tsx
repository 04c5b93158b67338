// The colleague's page of a hand-off (`/p/h/:handoff`): the recipient's live sign-in,
// opened here to type the code the utility sent to this person's phone or mailbox. The
// link is claimed by a click, never on load (mail and chat scanners open links), then the
// same remote browser streams here; once the portal accepts the code this page says so
// and the recipient's own page continues by itself.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useTRPC } from "../lib/trpc";
import { messageOf } from "./api";
import { createRecipientI18n } from "./i18n";
import { RecipientLayout } from "./Layout";
import { RemoteBrowser } from "./remote/RemoteBrowser";
import { Alert, Button, StepHeading } from "./ui";

const STATUS_POLL_MS = 2000;

export function HandoffRoot() {
  const [i18n] = useState(createRecipientI18n);
  return (
    <I18nextProvider i18n={i18n}>
      <HandoffPage />
    </I18nextProvider>
  );
}

export default HandoffRoot;

function HandoffPage() {
  const { handoff = "" } = useParams();
  const { t } = useTranslation();
  const trpc = useTRPC();
  const peek = useQuery({ ...trpc.handoff.peek.queryOptions({ handoff }), retry: false });
  const open = useMutation(trpc.handoff.open.mutationOptions());
  const opened = open.data;
  const status = useQuery({
    ...trpc.handoff.status.queryOptions({ handoff }),
    enabled: Boolean(opened),
    refetchInterval: (query) => (query.state.data?.ended ? false : STATUS_POLL_MS),
  });
  const done = status.data?.outcome === "success";
  const ended = status.data?.ended && !done;

  const start = useCallback(async () => opened?.streamUrl ?? null, [opened]);
  const reconnectUrl = useCallback(async () => {
    const again = await open.mutateAsync({ handoff }).catch(() => null);
    return again?.streamUrl ?? null;
  }, [open, handoff]);

  let body: React.ReactNode;
  const refused = open.error ?? (opened ? null : peek.error);
  if (refused) {
    body = (
      <Card>
        <StepHeading>{t("handoff.unusable")}</StepHeading>
        <Alert>{messageOf(refused) ?? t("errors.unknown.body")}</Alert>
      </Card>
    );
  } else if (!opened) {
    body = (
      <Card>
        <StepHeading>
          {peek.data ? t("handoff.entering", { name: peek.data.helperName }) : t("handoff.welcome")}
        </StepHeading>
        <p className="text-slate-700">{t("handoff.welcomeBody")}</p>
        <div>
          <Button busy={open.isPending} onClick={() => open.mutate({ handoff })}>
            {t("handoff.start")}
          </Button>
        </div>
      </Card>
    );
  } else if (done || ended) {
    body = (
      <Card>
        <StepHeading>{done ? t("handoff.done") : t("handoff.ended")}</StepHeading>
        <p className="text-slate-700" data-testid="handoff-result">
          {done ? t("handoff.doneBody") : t("handoff.endedBody")}
        </p>
      </Card>
    );
  } else {
    const vars = { name: opened.helperName, company: opened.company, provider: opened.provider };
    body = (
      <section className="flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <StepHeading>{t("handoff.entering", vars)}</StepHeading>
          <p className="text-slate-700">{t("handoff.enteringBody", vars)}</p>
        </div>
        <div className="h-[max(420px,min(72dvh,760px))]">
          <RemoteBrowser
            providerName={opened.provider}
            start={start}
            reconnectUrl={reconnectUrl}
            onOutcome={() => void status.refetch()}
          />
        </div>
      </section>
    );
  }
  return (
    <RecipientLayout branding={null} embedded={false} wide={Boolean(opened) && !done && !ended}>
      {body}
    </RecipientLayout>
  );
}

function Card({ children }: { children: React.ReactNode }) {
  return (
    <section className="flex flex-col gap-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
      {children}
    </section>
  );
}
