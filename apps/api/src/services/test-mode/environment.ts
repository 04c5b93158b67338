// A company's test environment: what `ml_test_` keys act on (Stripe's test mode, Plaid's
// sandbox). It is a company row of its own (`company.testOf` = the live company), so
// every company-scoped query (invitations, connections, sites, webhook endpoints and
// events, emails) keeps test data and live data apart by itself: there is no second
// filter anyone could forget. Invariants:
// - at most one test environment per company (unique test_of), created on first use;
// - it has no members, so no admin session ever lands in it by accident;
// - its name, branding and registered origins follow the live company's (copied on
//   every test-key request when they differ), so test pages look like live ones;
// - in it: sandbox providers only, no email leaves (jobs/send-email.ts), webhooks say
//   `livemode: false`.
import { company, type TDbOrTx } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { eq, sql } from "drizzle-orm";

type TCompany = typeof company.$inferSelect;

/** True for a test environment's company row. */
export function isTestEnvironment(row: Pick<TCompany, "testOf">): boolean {
  return row.testOf !== null;
}

/** The REST objects' `livemode`: false for everything of a test environment. */
export function livemodeOf(row: Pick<TCompany, "testOf">): boolean {
  return !isTestEnvironment(row);
}

/** A REST object stamped with its environment (the company it was read in). */
export function withLivemode<T extends object>(
  row: Pick<TCompany, "testOf">,
  object: T,
): T & { livemode: boolean } {
  return { ...object, livemode: livemodeOf(row) };
}

/** Whether a company id is a test environment (for code holding only the id). */
export async function isTestEnvironmentId(db: TDbOrTx, companyId: string): Promise<boolean> {
  const [row] = await db
    .select({ testOf: company.testOf })
    .from(company)
    .where(eq(company.id, companyId));
  return row ? isTestEnvironment(row) : false;
}

/** The company integrators know (a test environment answers with its live company's id). */
export function publicCompanyId(row: Pick<TCompany, "id" | "testOf">): string {
  return row.testOf ?? row.id;
}

/** The test environment of a live company, created (or brought in step) on the way. */
export async function testEnvironmentOf(db: TDbOrTx, live: TCompany): Promise<TCompany> {
  if (live.testOf) return live;
  const copied = {
    name: live.name,
    displayName: live.displayName,
    logoUrl: live.logoUrl,
    primaryColor: live.primaryColor,
    accentColor: live.accentColor,
    font: live.font,
    whiteLabel: live.whiteLabel,
    allowedFrameOrigins: live.allowedFrameOrigins,
  };
  // One statement whatever the state: insert, update only what changed, or nothing.
  const [written] = await db
    .insert(company)
    .values({ ...copied, testOf: live.id })
    .onConflictDoUpdate({
      target: company.testOf,
      set: copied,
      setWhere: sql`(${company.name}, ${company.displayName}, ${company.logoUrl}, ${company.primaryColor}, ${company.accentColor}, ${company.font}, ${company.whiteLabel}, ${company.allowedFrameOrigins}) is distinct from (excluded.name, excluded.display_name, excluded.logo_url, excluded.primary_color, excluded.accent_color, excluded.font, excluded.white_label, excluded.allowed_frame_origins)`,
    })
    .returning();
  if (written) return written;
  const [existing] = await db.select().from(company).where(eq(company.testOf, live.id));
  if (!existing) throw new Error("test environment vanished between two statements");
  return existing;
}

/** Test mode may only use sandbox providers: no real utility is ever signed into. */
export function refuseRealProviderInTestMode(
  row: Pick<TCompany, "testOf">,
  providerIsSandbox: boolean,
  path: string,
): void {
  if (!isTestEnvironment(row) || providerIsSandbox) return;
  throw AppError.field(
    path,
    "Test-mode keys (ml_test_) can only use sandbox providers. Pick one with `isSandbox: true` from GET /providers, or use a live key.",
  );
}
