import { EmptyState, PageHeader } from "../components/PageHeader";

export function InvitationsPage() {
  return (
    <>
      <PageHeader
        title="Invitations"
        description="Send revocable, time-bound links that let a building manager connect their utility account."
      />
      <EmptyState title="No invitations yet">
        Creating invitations arrives with the invitation lifecycle.
      </EmptyState>
    </>
  );
}
