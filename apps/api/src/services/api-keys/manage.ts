// Admin management of API keys: list, create (the key is returned once), revoke.
// Revoking is immediate and kept (who, when); keys are never deleted.
import { apiKey } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import type { TApiKeyMode } from "@meterlink/shared/developer";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { displayPrefix, hashApiKey, newApiKey } from "./keys";

function apiKeyView(row: typeof apiKey.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    mode: row.livemode ? ("live" as const) : ("test" as const),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export type TApiKeyView = ReturnType<typeof apiKeyView>;

export async function listApiKeys({ ctx }: { ctx: Pick<TCompanyContext, "db" | "company"> }) {
  const rows = await ctx.db
    .select()
    .from(apiKey)
    .where(eq(apiKey.companyId, ctx.company.id))
    .orderBy(desc(apiKey.createdAt));
  return rows.map(apiKeyView);
}

export async function createApiKey({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company" | "actor">;
  input: { name: string; mode?: TApiKeyMode };
}) {
  const mode = input.mode ?? "live";
  const key = newApiKey(mode);
  const [row] = await ctx.db
    .insert(apiKey)
    .values({
      companyId: ctx.company.id,
      name: input.name,
      prefix: displayPrefix(key),
      keyHash: hashApiKey(key),
      livemode: mode === "live",
      createdBy: ctx.actor.type === "admin" ? ctx.actor.id : null,
    })
    .returning();
  if (!row) throw new Error("api key insert returned nothing");
  // The only time the key leaves the server: the admin copies it now or makes another.
  return { ...apiKeyView(row), key };
}

export async function revokeApiKey({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company" | "actor">;
  input: { id: string };
}) {
  const scope = and(eq(apiKey.id, input.id), eq(apiKey.companyId, ctx.company.id));
  await ctx.db
    .update(apiKey)
    .set({ revokedAt: new Date(), revokedBy: ctx.actor.type === "admin" ? ctx.actor.id : null })
    .where(and(scope, isNull(apiKey.revokedAt)));
  const [row] = await ctx.db.select().from(apiKey).where(scope);
  if (!row) {
    throw new AppError(
      "NOT_FOUND",
      "This API key was not found. It may belong to another company.",
    );
  }
  return apiKeyView(row);
}
