// The invitation email as a recipient would get it from this company today: the real
// template (emails/render.ts) with the saved branding, the admin as the sender, and an
// example link that opens nothing (a preview must not mint a working invitation).
import { emailLogoUrl } from "../../emails/brand";
import { renderEmail } from "../../emails/render";
import type { TAdminContext } from "../../trpc";

export async function previewInvitationEmail({
  ctx,
}: {
  ctx: Pick<TAdminContext, "company" | "admin" | "config">;
}) {
  const { company } = ctx;
  const rendered = await renderEmail({
    kind: "invitation",
    locale: "en",
    brand: {
      displayName: company.displayName,
      logoUrl: emailLogoUrl(company, ctx.config.publicUrl),
      primaryColor: company.primaryColor,
      whiteLabel: company.whiteLabel,
    },
    link: new URL("/p/i/preview", ctx.config.publicUrl).href,
    // New invitations do not expire unless the admin says so.
    expiresAt: null,
    inviterName: ctx.admin.name,
  });
  return { subject: rendered.subject, html: rendered.html };
}
