import {
  ZInvitationToken,
  ZProviderSearch,
  ZRecipientComplete,
  ZRecipientOpen,
  ZRequestVerification,
  ZVerifyEmail,
} from "@meterlink/shared";
import { ZEmbedTarget } from "@meterlink/shared/settings";
import { ZViewport } from "@meterlink/shared/stream";
import { z } from "zod";
import { recipientForwarding } from "../services/mfa/recipient-check";
import { completeInvitation } from "../services/recipient/complete";
import { giveConsent } from "../services/recipient/consent";
import { deadLinkDetails, requestNewLink } from "../services/recipient/dead-link";
import { embedTarget } from "../services/recipient/embed-target";
import { endLogin, loginStatus, reconnectLogin } from "../services/recipient/login-status";
import { openInvitation } from "../services/recipient/open";
import { recipientProviders } from "../services/recipient/providers";
import { requestVerification } from "../services/recipient/request-verification";
import { startLogin } from "../services/recipient/start-login";
import { recipientUtilityAddress } from "../services/recipient/utility-address";
import { verifyEmail } from "../services/recipient/verify-email";
import { recipientProcedure, router } from "../trpc";

const ZToken = z.object({ token: ZInvitationToken });
const ZLogin = ZToken.extend({ loginSessionId: z.uuid() });

/** Public: the token is the credential; every call is rate limited per address. */
export const recipientRouter = router({
  open: recipientProcedure
    .input(ZRecipientOpen)
    .query(({ ctx, input }) => openInvitation({ ctx, input })),
  consent: recipientProcedure
    .input(ZToken)
    .mutation(({ ctx, input }) => giveConsent({ ctx, input })),
  requestVerification: recipientProcedure
    .input(ZRequestVerification)
    .mutation(({ ctx, input }) => requestVerification({ ctx, input })),
  verifyEmail: recipientProcedure
    .input(ZVerifyEmail)
    .mutation(({ ctx, input }) => verifyEmail({ ctx, input })),
  providers: recipientProcedure
    .input(ZProviderSearch.extend({ token: ZInvitationToken }))
    .query(({ ctx, input }) => recipientProviders({ ctx, input })),
  /** The utility step's typed website address: a catalog provider, or an unlisted site. */
  utilityAddress: recipientProcedure
    .input(ZToken.extend({ url: z.string().trim().min(1).max(2_000) }))
    .query(({ ctx, input }) => recipientUtilityAddress({ ctx, input })),
  startLogin: recipientProcedure
    .input(
      ZToken.extend({
        providerId: z.string().min(1).max(100).optional(),
        unlistedUrl: z.string().trim().min(1).max(2_000).optional(),
        viewport: ZViewport,
        queueId: z.uuid().optional(),
      }),
    )
    .mutation(({ ctx, input }) => startLogin({ ctx, input })),
  loginStatus: recipientProcedure
    .input(ZLogin)
    .query(({ ctx, input }) => loginStatus({ ctx, input })),
  reconnectLogin: recipientProcedure
    .input(ZLogin)
    .mutation(({ ctx, input }) => reconnectLogin({ ctx, input })),
  endLogin: recipientProcedure.input(ZLogin).mutation(({ ctx, input }) => endLogin({ ctx, input })),
  /** The MFA step: where to forward codes, and whether a forwarded message arrived yet. */
  forwarding: recipientProcedure
    .input(ZToken)
    .query(({ ctx, input }) => recipientForwarding({ ctx, input })),
  deadLink: recipientProcedure
    .input(ZToken)
    .query(({ ctx, input }) => deadLinkDetails({ ctx, input })),
  requestNewLink: recipientProcedure
    .input(ZToken)
    .mutation(({ ctx, input }) => requestNewLink({ ctx, input })),
  embedTarget: recipientProcedure
    .input(ZEmbedTarget)
    .query(({ ctx, input }) => embedTarget({ ctx, input })),
  complete: recipientProcedure
    .input(ZRecipientComplete)
    .mutation(({ ctx, input }) => completeInvitation({ ctx, input })),
});
