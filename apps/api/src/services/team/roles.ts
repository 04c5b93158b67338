// The three roles of a company's team, as better-auth access control. The team itself
// (inviting, removing, changing roles) is the owners' alone; admins run everything else;
// viewers read. The plugin enforces these on its endpoints; adminProcedure (trpc.ts)
// refuses every tRPC mutation to a viewer.
import { createAccessControl } from "better-auth/plugins/access";
import { defaultStatements, ownerAc } from "better-auth/plugins/organization/access";

export const TEAM_ROLE_NAMES = ["owner", "admin", "viewer"] as const;
export const TEAM_INVITATION_DAYS = 7;

export const TEAM_ACCESS = createAccessControl(defaultStatements);

export const TEAM_ROLES = {
  owner: TEAM_ACCESS.newRole(ownerAc.statements),
  admin: TEAM_ACCESS.newRole({}),
  viewer: TEAM_ACCESS.newRole({}),
};
