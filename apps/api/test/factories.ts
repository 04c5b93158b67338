// Factories with unique values, so tests never collide within one database.
import { randomUUID } from "node:crypto";
import { company, connection, connectionSite, site, type TDb } from "@meterlink/db";
import pino, { type Logger } from "pino";
import { parseKey } from "../src/lib/tokens";
import { NO_RATE_LIMITS } from "../src/rate-limit";
import { appRouter } from "../src/router";
import { createAdmin } from "../src/services/admin/create-admin";
import type { TInboundConfig } from "../src/services/connections/forwarding";
import type { InvitationCache } from "../src/services/recipient/invitation-cache";
import {
  createCallerFactory,
  createContextInner,
  type TAdminSession,
  type TCookieJar,
  type TFleetConfig,
  type TJobs,
} from "../src/trpc";
import { TEST_TOKEN_KEY, TEST_VAULT_PUBLIC_JWK } from "./keys";

export const silentLog = pino({ level: "silent" });

export async function createCompany(db: TDb, overrides: Partial<typeof company.$inferInsert> = {}) {
  const name = overrides.name ?? `Company ${randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(company)
    .values({ name, displayName: name, ...overrides })
    .returning();
  if (!row) throw new Error("createCompany: nothing returned");
  return row;
}

export async function createSite(
  db: TDb,
  companyId: string,
  name = `Site ${randomUUID().slice(0, 6)}`,
) {
  const [row] = await db.insert(site).values({ companyId, name }).returning();
  if (!row) throw new Error("createSite: nothing returned");
  return row;
}

export async function createAdminUser(
  db: TDb,
  companyId: string,
  password = "correct-horse-battery",
) {
  const email = `admin-${randomUUID().slice(0, 8)}@example.test`;
  const admin = await createAdmin(db, { companyId, email, name: "Test Admin", password });
  return { ...admin, password };
}

const createCaller = createCallerFactory(appRouter);

export const TEST_PUBLIC_URL = "http://localhost:3000";
/** The env defaults' forwarding domain; no shared SMS number unless a test sets one. */
export const TEST_INBOUND: TInboundConfig = {
  emailDomain: "inbound.meterlink.test",
  smsNumber: null,
};

/** Records what procedures asked to run after commit. */
export function recordingJobs() {
  const emails: string[] = [];
  const connections: string[] = [];
  const jobs: TJobs = {
    emailsQueued: async (ids) => void emails.push(...ids),
    connectionReady: async (id) => void connections.push(id),
  };
  return { jobs, emails, connections };
}

/** A browser's cookie jar, for recipient procedures called without HTTP. */
export function cookieJar(): TCookieJar & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, value),
  };
}

/**
 * A tRPC caller as the given admin (or anonymous: a recipient's browser), against the
 * real database. Pass the same `cookies` to act as the same browser across calls.
 */
export function callerFor(
  db: TDb,
  admin: TAdminSession | null,
  options: {
    cookies?: TCookieJar;
    jobs?: TJobs;
    log?: Logger;
    ip?: string;
    userAgent?: string;
    fleet?: TFleetConfig;
    /** This caller's server's invitation cache (none: every lookup reads the database). */
    invitationCache?: InvitationCache;
    inbound?: TInboundConfig;
  } = {},
) {
  return createCaller(
    createContextInner({
      db,
      log: options.log ?? silentLog,
      config: {
        publicUrl: TEST_PUBLIC_URL,
        tokenKey: parseKey(TEST_TOKEN_KEY),
        vaultPublicJwk: TEST_VAULT_PUBLIC_JWK,
        fleet: options.fleet ?? null,
        rateLimits: NO_RATE_LIMITS,
        invitationCache: options.invitationCache,
        inbound: options.inbound ?? TEST_INBOUND,
      },
      adminSession: async () => admin,
      apiKey: null,
      client: { ip: options.ip ?? "203.0.113.77", userAgent: options.userAgent ?? "vitest" },
      cookies: options.cookies ?? cookieJar(),
      jobs: options.jobs ?? recordingJobs().jobs,
    }),
  );
}

export function adminSessionOf(admin: { id: string; email: string; name: string }): TAdminSession {
  return { userId: admin.id, email: admin.email, name: admin.name };
}

/** A connection of the company, by default in error (what a reconnect invitation fixes). */
export async function createConnection(
  db: TDb,
  companyId: string,
  overrides: Partial<typeof connection.$inferInsert> & { siteIds?: string[] } = {},
) {
  const { siteIds = [], ...values } = overrides;
  const [row] = await db
    .insert(connection)
    .values({
      companyId,
      providerName: "City Water",
      status: "error",
      statusReason: "Wrong password",
      ...values,
    })
    .returning();
  if (!row) throw new Error("createConnection: nothing returned");
  if (siteIds.length) {
    await db
      .insert(connectionSite)
      .values(siteIds.map((siteId) => ({ connectionId: row.id, siteId })));
  }
  return row;
}
