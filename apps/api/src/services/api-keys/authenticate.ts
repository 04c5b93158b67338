// Who is calling the REST API: the one place a key is looked up (http/rest.ts calls it
// once per request, before rate limiting). `ml_test_` keys get the company's test
// environment as their company. A missing, unknown and revoked key all answer 401 with a
// sentence saying what to do; none of them says whether the key ever existed.
import { apiKey, company, type TDb } from "@meterlink/db";
import { AppError } from "@meterlink/shared";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { TApiKeyPrincipal } from "../../trpc";
import { testEnvironmentOf } from "../test-mode/environment";
import { hashApiKey, modeOfKey } from "./keys";

/** lastUsedAt is a "roughly when" for admins: one write a minute per key is plenty. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

export async function authenticateApiKey(db: TDb, key: string | null): Promise<TApiKeyPrincipal> {
  if (!key) {
    throw new AppError(
      "UNAUTHORIZED",
      "Send your API key as `Authorization: Bearer ml_live_…` (or `ml_test_…` for test mode). Create one in Settings › API keys.",
    );
  }
  const [row] = modeOfKey(key)
    ? await db
        .select({ id: apiKey.id, revokedAt: apiKey.revokedAt, livemode: apiKey.livemode, company })
        .from(apiKey)
        .innerJoin(company, eq(company.id, apiKey.companyId))
        .where(eq(apiKey.keyHash, hashApiKey(key)))
    : [];
  if (!row) {
    throw new AppError(
      "UNAUTHORIZED",
      "This API key is not valid. Check that you copied it whole, or create a new one in Settings › API keys.",
    );
  }
  if (row.revokedAt) {
    throw new AppError(
      "UNAUTHORIZED",
      "This API key was revoked. Create a new one in Settings › API keys.",
    );
  }
  const now = new Date();
  await db
    .update(apiKey)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKey.id, row.id),
        or(
          isNull(apiKey.lastUsedAt),
          lt(apiKey.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)),
        ),
      ),
    );
  // A test key acts on the company's test environment: a company of its own, so every
  // company-scoped query isolates it from live data (services/test-mode/environment.ts).
  if (!row.livemode) {
    return {
      apiKeyId: row.id,
      livemode: false,
      company: await testEnvironmentOf(db, row.company),
    };
  }
  return { apiKeyId: row.id, livemode: true, company: row.company };
}
