import {
  ZCreateInvitation,
  ZInvitationFunnelInput,
  ZInvitationId,
  ZListInvitations,
  ZRevokeInvitation,
} from "@meterlink/shared";
import { z } from "zod";
import { activeReconnects } from "../services/invitations/active-reconnects";
import { copyInvitationLink } from "../services/invitations/copy-link";
import { createInvitation } from "../services/invitations/create";
import { invitationFunnel } from "../services/invitations/funnel";
import { getInvitation } from "../services/invitations/get";
import { listInvitations } from "../services/invitations/list";
import { resendInvitation } from "../services/invitations/resend";
import { revokeInvitation } from "../services/invitations/revoke";
import { adminProcedure, router } from "../trpc";

export const invitationsRouter = router({
  create: adminProcedure
    .input(ZCreateInvitation)
    .mutation(({ ctx, input }) => createInvitation({ ctx, input })),
  list: adminProcedure
    .input(ZListInvitations)
    .query(({ ctx, input }) => listInvitations({ ctx, input })),
  /** Of the invitations sent in a period: how far recipients got, per step and utility. */
  funnel: adminProcedure
    .input(ZInvitationFunnelInput)
    .query(({ ctx, input }) => invitationFunnel({ ctx, input })),
  get: adminProcedure.input(ZInvitationId).query(({ ctx, input }) => getInvitation({ ctx, input })),
  copyLink: adminProcedure
    .input(ZInvitationId)
    .mutation(({ ctx, input }) => copyInvitationLink({ ctx, input })),
  resend: adminProcedure
    .input(ZInvitationId.extend({ recipients: z.array(z.email()).max(50).optional() }))
    .mutation(({ ctx, input }) => resendInvitation({ ctx, input })),
  /** Reconnect invitations that still work for a connection (the wizard warns). */
  activeReconnects: adminProcedure
    .input(z.object({ connectionId: z.uuid({ error: "Unknown connection." }) }))
    .query(({ ctx, input }) => activeReconnects({ ctx, input })),
  revoke: adminProcedure
    .input(ZRevokeInvitation)
    .mutation(({ ctx, input }) => revokeInvitation({ ctx, input })),
});
