// The demo company `npm run dev` starts with. Idempotent: a second run keeps the data
// and only refreshes the provider catalog (sandbox URLs depend on the sandbox port).
import { company, connection, connectionSite, type provider, site, type TDb } from "@meterlink/db";
import { eq } from "drizzle-orm";
import { createAdmin } from "./services/admin/create-admin";
import { upsertProviderRows } from "./services/providers/import";

export const DEMO_ADMIN = {
  email: "admin@acme.test",
  password: "meterlink-demo",
  name: "Dana Admin",
} as const;
export const DEMO_COMPANY_NAME = "Acme Property Management";

export type TProviderSeed = typeof provider.$inferInsert;

export async function upsertProviders(db: TDb, providers: TProviderSeed[]): Promise<void> {
  await upsertProviderRows(db, providers);
}

export async function seedDemo(db: TDb, options: { providers: TProviderSeed[] }) {
  await upsertProviders(db, options.providers);
  const [existing] = await db.select().from(company).where(eq(company.name, DEMO_COMPANY_NAME));
  if (existing) return { company: existing, created: false };

  return await db.transaction(async (tx) => {
    const [acme] = await tx
      .insert(company)
      .values({ name: DEMO_COMPANY_NAME, displayName: "Acme Properties" })
      .returning();
    if (!acme) throw new Error("seed: company insert returned nothing");
    await createAdmin(tx, { companyId: acme.id, ...DEMO_ADMIN });
    const sites = await tx
      .insert(site)
      .values([
        {
          companyId: acme.id,
          name: "Harbor View Apartments",
          address: "12 Harbor Rd, Portland, OR",
        },
        { companyId: acme.id, name: "Maple Court Offices", address: "400 Maple Ave, Seattle, WA" },
        { companyId: acme.id, name: "Riverside Lofts", address: "88 River St, Boise, ID" },
        { companyId: acme.id, name: "Oakwood Plaza", address: "5 Oakwood Blvd, Tacoma, WA" },
      ])
      .returning();
    const firstProvider = options.providers[0];
    const [active] = await tx
      .insert(connection)
      .values([
        {
          companyId: acme.id,
          providerId: firstProvider?.id ?? null,
          providerName: firstProvider?.name ?? "Northwind Power",
          utilityTypes: ["electricity"],
          ownerEmail: "facilities@harborview.test",
          status: "active",
          lastCollectedAt: new Date(),
        },
        {
          companyId: acme.id,
          providerId: null,
          providerName: "City Water Department",
          utilityTypes: ["water"],
          ownerEmail: "ops@maplecourt.test",
          status: "error",
          statusReason: "The utility rejected the stored password. Send a reconnect invitation.",
        },
      ])
      .returning();
    const [harbor, maple] = sites;
    if (active && harbor)
      await tx.insert(connectionSite).values({ connectionId: active.id, siteId: harbor.id });
    return { company: acme, created: true, maple };
  });
}
