// Invitation mutations shared by the list and the detail sheet, with the toasts that
// report their result. Revoke is optimistic: the row flips to "revoked" at once and is
// rolled back if the server refuses.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "../components/Toast";
import { copyText } from "./format";
import { errorMessage, type TRouterOutputs, useTRPC } from "./trpc";

export type TInvitationList = TRouterOutputs["admin"]["invitations"]["list"];
export type TInvitationRow = TInvitationList["items"][number];
export type TInvitationDetail = TRouterOutputs["admin"]["invitations"]["get"];

// Keyed by the event type the API returns, so a type added to the database enum without
// a label here fails the typecheck instead of showing a raw identifier.
export const EVENT_LABELS: Record<TInvitationDetail["events"][number]["type"], string> = {
  created: "Created",
  email_queued: "Email queued",
  email_sent: "Email sent",
  email_failed: "Email failed",
  email_resent: "Email resent",
  email_delivered: "Email delivered",
  email_bounced: "Email bounced",
  email_complained: "Marked as spam",
  viewed: "Viewed",
  verification_sent: "Verification link sent",
  email_verified: "Email verified",
  login_started: "Sign-in started",
  login_succeeded: "Signed in to the utility",
  login_failed: "Utility sign-in failed",
  manual_entry: "Entered credentials manually",
  submitted: "Submitted",
  connection_created: "Connection created",
  connection_updated: "Connection updated",
  fulfilled: "Fulfilled",
  revoked: "Revoked",
  new_link_requested: "Recipient asked for a new link",
  expired: "Expired",
};

/** The invitation as one line a person can recognise: the admin's name for it, or who it is for. */
export function recipientLabel(row: {
  name?: string | null;
  recipients: string[];
  allowedEmails: string[];
  prefill: { ownerEmail?: string | null };
  id: string;
}): string {
  if (row.name) return row.name;
  const emails = [...new Set([...row.recipients, ...row.allowedEmails])];
  if (emails.length) return emails.join(", ");
  if (row.prefill.ownerEmail) return row.prefill.ownerEmail;
  return `Shared link ${row.id.slice(0, 8)}`;
}

export function useInvitationActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const listKey = trpc.admin.invitations.list.pathKey();

  const copyLink = useMutation(
    trpc.admin.invitations.copyLink.mutationOptions({
      onSuccess: async ({ url }) => {
        const copied = await copyText(url);
        toast(
          copied
            ? { title: "Link copied", description: url, tone: "success" }
            : { title: "Copy this link", description: url, tone: "info" },
        );
      },
      onError: (error) =>
        toast({
          title: "Could not copy the link",
          description: errorMessage(error),
          tone: "error",
        }),
    }),
  );

  const resend = useMutation(
    trpc.admin.invitations.resend.mutationOptions({
      onSuccess: ({ emailsQueued }, { id }) => {
        toast({
          title: "Invitation sent again",
          description: `${emailsQueued} email${emailsQueued === 1 ? "" : "s"} on the way.`,
          tone: "success",
        });
        void queryClient.invalidateQueries(trpc.admin.invitations.get.queryFilter({ id }));
      },
      onError: (error) =>
        toast({ title: "Could not resend", description: errorMessage(error), tone: "error" }),
    }),
  );

  const revoke = useMutation(
    trpc.admin.invitations.revoke.mutationOptions({
      onMutate: async ({ id }) => {
        await queryClient.cancelQueries({ queryKey: listKey });
        const previous = queryClient.getQueriesData<TInvitationList>({ queryKey: listKey });
        queryClient.setQueriesData<TInvitationList>({ queryKey: listKey }, (data) =>
          data
            ? {
                ...data,
                items: data.items.map((item) =>
                  item.id === id
                    ? { ...item, status: "revoked", revokedAt: new Date().toISOString() }
                    : item,
                ),
              }
            : data,
        );
        return { previous };
      },
      onError: (error, _input, context) => {
        for (const [key, data] of context?.previous ?? []) queryClient.setQueryData(key, data);
        toast({ title: "Could not revoke", description: errorMessage(error), tone: "error" });
      },
      onSuccess: () =>
        toast({
          title: "Invitation revoked",
          description: "The link no longer works.",
          tone: "success",
        }),
      onSettled: (_data, _error, { id }) => {
        void queryClient.invalidateQueries({ queryKey: listKey });
        void queryClient.invalidateQueries(trpc.admin.invitations.get.queryFilter({ id }));
      },
    }),
  );

  return { copyLink, resend, revoke };
}
