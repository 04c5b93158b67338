import { EmptyState, PageHeader } from "../components/PageHeader";

// The developer platform (REST API and its keys) is not built yet, so there is no
// `admin.apiKeys` router to call. This page says so instead of pretending.
export function ApiKeysPage() {
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for the REST API, to create invitations from your own product."
      />
      <EmptyState title="API keys are not available yet">
        The REST API is on its way. Until then, create invitations here and embed their links with
        the snippet shown after creating one.
      </EmptyState>
    </>
  );
}
