import type { TAdminContext } from "../../trpc";

/** What the app shell needs: who is signed in and the company they administer. */
export function getMe({ ctx }: { ctx: TAdminContext }) {
  const { company } = ctx;
  return {
    user: {
      id: ctx.admin.userId,
      email: ctx.admin.email,
      name: ctx.admin.name,
      role: ctx.admin.role,
    },
    company: {
      id: company.id,
      name: company.name,
      displayName: company.displayName,
      logoUrl: company.logoUrl,
      primaryColor: company.primaryColor,
      accentColor: company.accentColor,
      whiteLabel: company.whiteLabel,
    },
  };
}
