import { z } from "zod";
import { ZSetupCompany } from "./setup";

/** owner: everything, the team included; admin: everything but the team; viewer: reads only. */
export const TEAM_ROLES = ["owner", "admin", "viewer"] as const;
export type TTeamRole = (typeof TEAM_ROLES)[number];
export const ZTeamRole = z.enum(TEAM_ROLES, { error: "Choose owner, admin or viewer." });

/** The token in an emailed team invitation link (`/join?token=…`). */
export const ZTeamInvitationToken = z.object({
  token: z.string().trim().min(20, { error: "This link is incomplete. Open the whole link." }),
});

/** Accepting a team invitation: the invited person picks their name and password. */
export const ZAcceptTeamInvitation = ZTeamInvitationToken.extend({
  name: ZSetupCompany.shape.name,
  password: ZSetupCompany.shape.password,
});
export type TAcceptTeamInvitation = z.infer<typeof ZAcceptTeamInvitation>;
