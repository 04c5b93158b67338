import { ZInvitationToken } from "@meterlink/shared";
import { z } from "zod";
import { createHandoff } from "../services/handoff/create";
import { handoffStatus, openHandoff, peekHandoff } from "../services/handoff/open";
import { recipientProcedure, router } from "../trpc";

const ZHandoff = z.object({ handoff: z.string().min(20).max(200) });

/** Public: a recipient hands their live sign-in to a colleague; the link is the credential. */
export const handoffRouter = router({
  create: recipientProcedure
    .input(
      z.object({
        token: ZInvitationToken,
        loginSessionId: z.uuid(),
        name: z.string().trim().min(1, "Enter your colleague's name.").max(80),
      }),
    )
    .mutation(({ ctx, input }) => createHandoff({ ctx, input })),
  peek: recipientProcedure.input(ZHandoff).query(({ ctx, input }) => peekHandoff({ ctx, input })),
  open: recipientProcedure
    .input(ZHandoff)
    .mutation(({ ctx, input }) => openHandoff({ ctx, input })),
  status: recipientProcedure
    .input(ZHandoff)
    .query(({ ctx, input }) => handoffStatus({ ctx, input })),
});
