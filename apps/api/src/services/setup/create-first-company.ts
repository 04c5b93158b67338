// First-run setup: creates the first company and its owner, once. The check "no company
// yet" and the insert share one transaction under an advisory lock, so two people racing
// through the setup page cannot both become the owner of a fresh deployment.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { company, membership, type TDb, type TTx, user, verification } from "@meterlink/db";
import { AppError, type TSetupCompany, type TSetupOwner } from "@meterlink/shared";
import { sql } from "drizzle-orm";
import { createAdmin } from "../admin/create-admin";

const SETUP_LOCK = 1_700_017;
/** How long the CLI's set-password link works. */
export const SET_PASSWORD_LINK_HOURS = 24;

export async function isSetUp(db: TDb): Promise<boolean> {
  const [row] = await db.select({ id: company.id }).from(company).limit(1);
  return Boolean(row);
}

/**
 * What better-auth stores for a verification identifier under `storeIdentifier: "hashed"`
 * (auth.ts): SHA-256, base64url without padding. The plaintext token exists only in the link.
 */
export function hashedVerificationIdentifier(identifier: string): string {
  return createHash("sha256").update(identifier).digest("base64url");
}

async function inSetupLock<T>(db: TDb, work: (tx: TTx) => Promise<T>) {
  return await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
    const [existing] = await tx.select({ id: company.id }).from(company).limit(1);
    if (existing) {
      throw new AppError("CONFLICT", "Meterlink is already set up: sign in instead.");
    }
    return await work(tx);
  });
}

/** From the web setup page: the owner chose a password there. */
export async function createFirstCompany(db: TDb, input: TSetupCompany) {
  return await inSetupLock(db, async (tx) => {
    const [created] = await tx
      .insert(company)
      .values({ name: input.companyName, displayName: input.companyName })
      .returning();
    if (!created) throw new AppError("INTERNAL", "The company could not be created.");
    const owner = await createAdmin(tx, {
      companyId: created.id,
      email: input.email,
      name: input.name,
      password: input.password,
      role: "owner",
    });
    return { company: created, owner };
  });
}

/**
 * From the CLI: no password ever goes on a command line. The owner gets a one-time link
 * that sets it through better-auth's own reset-password endpoint (which creates the
 * credential account when there is none yet).
 */
export async function createFirstCompanyWithLink(
  db: TDb,
  input: TSetupOwner & { publicUrl: string },
) {
  return await inSetupLock(db, async (tx) => {
    const [created] = await tx
      .insert(company)
      .values({ name: input.companyName, displayName: input.companyName })
      .returning();
    if (!created) throw new AppError("INTERNAL", "The company could not be created.");
    const userId = randomUUID();
    const email = input.email.toLowerCase();
    await tx.insert(user).values({ id: userId, email, name: input.name, emailVerified: true });
    await tx.insert(membership).values({ userId, companyId: created.id, role: "owner" });
    const token = randomBytes(32).toString("base64url");
    await tx.insert(verification).values({
      id: randomUUID(),
      identifier: hashedVerificationIdentifier(`reset-password:${token}`),
      value: userId,
      expiresAt: new Date(Date.now() + SET_PASSWORD_LINK_HOURS * 3_600_000),
    });
    const link = new URL("/set-password", input.publicUrl);
    link.searchParams.set("token", token);
    return {
      company: created,
      owner: { id: userId, email, name: input.name },
      link: link.toString(),
    };
  });
}
