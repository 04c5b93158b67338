// The recipient landing as a company's recipients see it, with the saved branding and an
// example invitation: the Branding page shows it in a phone-sized frame. Nothing here
// opens or changes an invitation (consenting does nothing).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { I18nextProvider } from "react-i18next";
import { useTRPC } from "../lib/trpc";
import { useBranding } from "./brand";
import { createRecipientI18n } from "./i18n";
import { RecipientLayout } from "./Layout";
import { ConsentStep } from "./steps/ConsentStep";
import { Spinner } from "./ui";

export function PreviewRoot() {
  const [i18n] = useState(createRecipientI18n);
  const trpc = useTRPC();
  const branding = useQuery(trpc.admin.settings.branding.get.queryOptions());
  useBranding(branding.data ?? null);
  return (
    <I18nextProvider i18n={i18n}>
      <RecipientLayout branding={branding.data ?? null} embedded={false}>
        {branding.data ? (
          <ConsentStep
            company={branding.data.displayName}
            kind="contributor"
            reconnect={null}
            message={null}
            messageFrom={null}
            expiresAt={null}
            busy={false}
            error={branding.error ? branding.error.message : null}
            onConsent={() => undefined}
          />
        ) : (
          <div className="grid flex-1 place-items-center py-16">
            <Spinner label="Loading…" />
          </div>
        )}
      </RecipientLayout>
    </I18nextProvider>
  );
}

export default PreviewRoot;
