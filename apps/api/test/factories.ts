// Factories with unique values, so tests never collide within one database.
import { randomUUID } from "node:crypto";
import { company, site, type TDb } from "@meterlink/db";
import pino from "pino";
import { appRouter } from "../src/router";
import { createAdmin } from "../src/services/admin/create-admin";
import { createCallerFactory, createContextInner, type TAdminSession } from "../src/trpc";

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

/** A tRPC caller as the given admin (or anonymous), against the real database. */
export function callerFor(
  db: TDb,
  admin: TAdminSession | null,
  publicUrl = "http://localhost:3000",
) {
  return createCaller(
    createContextInner({
      db,
      log: silentLog,
      publicUrl,
      adminSession: admin,
      client: { ip: "127.0.0.1", userAgent: "vitest" },
    }),
  );
}
