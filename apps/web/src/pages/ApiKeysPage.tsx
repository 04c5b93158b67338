import { EmptyState, PageHeader } from "../components/PageHeader";

export function ApiKeysPage() {
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for the REST API, to create invitations from your own product."
      />
      <EmptyState title="No API keys yet">API keys arrive with the developer platform.</EmptyState>
    </>
  );
}
