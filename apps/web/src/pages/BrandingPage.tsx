import { EmptyState, PageHeader } from "../components/PageHeader";

export function BrandingPage() {
  return (
    <>
      <PageHeader
        title="Branding"
        description="How your company appears on recipient pages and emails."
      />
      <EmptyState title="Branding settings are coming soon">
        Your company name is shown to recipients for now.
      </EmptyState>
    </>
  );
}
