import { ZAcceptTeamInvitation, ZTeamInvitationToken } from "@meterlink/shared";
import { acceptTeamInvitation, getTeamInvitation } from "../services/team/accept";
import { publicProcedure, router } from "../trpc";

/** Public: the person invited has no account until they accept (the token is the proof). */
export const teamRouter = router({
  invitation: publicProcedure
    .input(ZTeamInvitationToken)
    .query(({ ctx, input }) => getTeamInvitation({ ctx, input })),
  accept: publicProcedure
    .input(ZAcceptTeamInvitation)
    .mutation(({ ctx, input }) => acceptTeamInvitation({ ctx, input })),
});
