// The test environment's emails, shown in the admin app (Developers › Test emails):
// test mode sends no email (jobs/send-email.ts keeps them), so this is where an
// integrator reads what a recipient would have received and walks its link. Invariants:
// - only the signed-in company's own test environment is read (`company.testOf`);
// - an email is composed on demand by services/emails/compose.ts with the real template
//   and the company's current branding, like the send job would;
// - links are secrets: the list carries no link (and no body), only the single-email view
//   does, and only to members who may act (a viewer may list, not open: the link acts on
//   the test environment). Nothing here logs a composed email.
import { company, emailMessage } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, desc, eq } from "drizzle-orm";
import type { TAdminContext } from "../../trpc";
import { composeEmail, type TComposeDeps, type TEmailRow } from "../emails/compose";

/** The newest emails listed (the test environment is for trying things, not an archive). */
const LIST_LIMIT = 50;

const DEFAULT_FROM = "Meterlink <invitations@meterlink.test>";

type TCtx = Pick<TAdminContext, "db" | "company" | "config" | "admin">;

function composeDeps(ctx: TCtx): TComposeDeps {
  return {
    db: ctx.db,
    publicUrl: ctx.config.publicUrl,
    tokenKey: ctx.config.tokenKey,
    emailFrom: ctx.config.emailFrom ?? DEFAULT_FROM,
  };
}

async function testEnvironmentIdOf(ctx: TCtx): Promise<string | null> {
  const [row] = await ctx.db
    .select({ id: company.id })
    .from(company)
    .where(eq(company.testOf, ctx.company.id));
  return row?.id ?? null;
}

function summary(row: TEmailRow) {
  return {
    id: row.id,
    to: row.to,
    kind: row.kind,
    status: row.status,
    invitationId: row.invitationId,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** The test environment's newest emails: who, what, when; never a link or a body. */
export async function listTestEmails({ ctx }: { ctx: TCtx }) {
  const environmentId = await testEnvironmentIdOf(ctx);
  if (!environmentId) return [];
  const rows = await ctx.db
    .select()
    .from(emailMessage)
    .where(eq(emailMessage.companyId, environmentId))
    .orderBy(desc(emailMessage.createdAt), desc(emailMessage.id))
    .limit(LIST_LIMIT);
  const deps = composeDeps(ctx);
  const items = [];
  // One at a time: rendering is CPU work, and the list is short.
  for (const row of rows) {
    const composed = await composeEmail(deps, row);
    items.push({
      ...summary(row),
      subject: composed.ok ? composed.email.subject : null,
      unavailableReason: composed.ok ? null : composed.reason,
    });
  }
  return items;
}

/** One test email, rendered with its working link (the integrator walks the recipient flow). */
export async function openTestEmail({ ctx, input }: { ctx: TCtx; input: { id: string } }) {
  if (ctx.admin.role === "viewer") {
    throw new AppError(
      "FORBIDDEN",
      "Viewers can list test emails but not open them: the link inside acts on the test environment. Ask an owner of your company to make you an admin.",
    );
  }
  const environmentId = await testEnvironmentIdOf(ctx);
  const [row] = environmentId
    ? await ctx.db
        .select()
        .from(emailMessage)
        .where(and(eq(emailMessage.id, input.id), eq(emailMessage.companyId, environmentId)))
    : [];
  if (!row) {
    throw new AppError("NOT_FOUND", "No such test email. Pick one from the list of test emails.");
  }
  const composed = await composeEmail(composeDeps(ctx), row);
  if (!composed.ok) {
    // The template would not be sent today (revoked, fully used, expired): say why.
    return { ...summary(row), rendered: null, unavailableReason: composed.reason };
  }
  const { from, subject, html, text } = composed.email;
  return { ...summary(row), rendered: { from, subject, html, text }, unavailableReason: null };
}
