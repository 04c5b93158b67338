// One collection of one connection: open the sealed credential (only this job holds the
// vault's private key), place a headless browser on the fleet, sign in with the
// provider's recipe, forward an MFA code when asked, store new bills and their documents,
// and leave the connection `active` or in `error` with a reason an admin understands.
// Invariants:
// - every attempt is a `collection_run` row (the connection's activity; never deleted);
// - the plaintext credential exists only in this function's scope; the one request to
//   the worker carries it sealed to that worker's own key; it is never logged or stored;
// - "provider down" and fleet trouble never put a connection in error: the job throws
//   RetryLater and pg-boss tries again with backoff;
// - a bill is stored once per connection (unique provider bill id); a known bill is
//   never downloaded again.
import { bill, collectionRun, connection, provider, type TDb } from "@meterlink/db";
import {
  CONNECTION_ERROR_MESSAGES,
  type TCollectFailureReason,
  type TCollectResult,
  ZCollectRecipe,
} from "@meterlink/shared/connection";
import { ZLoginRecipe } from "@meterlink/shared/recipe";
import { and, count, desc, eq, gt, inArray } from "drizzle-orm";
import type { JWK } from "jose";
import type { Logger } from "pino";
import { openCredential } from "../../lib/vault";
import { insertBills, markCollected, prepareBills, refusalsOf } from "../bills/store";
import {
  endLoginSession,
  settleHeadlessSession,
  startSession,
  type TSessionCtx,
} from "../fleet/sessions";
import { endWorkerSession, WorkerUnavailable } from "../fleet/worker-client";
import { emitConnectionStatusChanged } from "../webhooks/emit";
import { waitForCode } from "./code";
import type { TBillStorage } from "./storage";
import { collectOnWorker, sendCodeToWorker } from "./worker-collect";

export type TCollectionDeps = {
  db: TDb;
  log: Logger;
  fleet: TSessionCtx["fleet"];
  vaultPrivateJwk: JWK;
  /** Decrypts forwarded MFA codes (TOKEN_ENCRYPTION_KEY). */
  tokenKey: Buffer;
  storage: TBillStorage;
  /** How long a run waits for a forwarded code once the portal asked for one. */
  mfaWaitMs: number;
  codePollMs: number;
  /** Bound of one call to the worker (sign-in + bills + downloads). */
  workerCallTimeoutMs: number;
};

/** Thrown so the queue tries again later (pg-boss retry with backoff). */
export class RetryLater extends Error {
  override name = "RetryLater";
}

export type TCollectionTrigger = "first" | "weekly";

export type TRunResult =
  | { outcome: "succeeded"; runId: string; billsFound: number; billsNew: number }
  | { outcome: "failed"; runId: string | null; reason: string }
  | { outcome: "skipped"; reason: "gone" | "busy" };

/** A run older than this that never ended belonged to a process that died. */
const STALE_RUN_MS = 20 * 60_000;
const VIEWPORT = { width: 1280, height: 900, deviceScaleFactor: 1 };

const PROVIDER_DOWN_RETRYING =
  "The utility's website did not answer. We will try again automatically in a few minutes.";
const PROVIDER_DOWN_GAVE_UP =
  "The utility's website has not answered for a while. We will try again at the next weekly collection.";
const FLEET_RETRYING =
  "No remote browser was available to collect bills. We will try again automatically in a few minutes.";
const NOT_COLLECTABLE =
  "Automatic bill collection is not available for this utility yet. The sign-in details are stored safely.";

export async function runCollection(
  deps: TCollectionDeps,
  input: { connectionId: string; trigger: TCollectionTrigger; attempt: number; lastTry: boolean },
): Promise<TRunResult> {
  const { db, log } = deps;
  const [row] = await db
    .select({ connection, provider })
    .from(connection)
    .leftJoin(provider, eq(provider.id, connection.providerId))
    .where(eq(connection.id, input.connectionId));
  if (!row) return { outcome: "skipped", reason: "gone" };
  const conn = row.connection;

  const [busy] = await db
    .select({ id: collectionRun.id })
    .from(collectionRun)
    .where(
      and(
        eq(collectionRun.connectionId, conn.id),
        inArray(collectionRun.status, ["running", "waiting_for_code"]),
        gt(collectionRun.startedAt, new Date(Date.now() - STALE_RUN_MS)),
      ),
    );
  if (busy) return { outcome: "skipped", reason: "busy" };

  const [previous] = await db
    .select({ n: count() })
    .from(collectionRun)
    .where(eq(collectionRun.connectionId, conn.id));
  const trigger =
    input.trigger === "first" && (previous?.n ?? 0) > 0 && input.attempt === 1
      ? "reconnect"
      : input.trigger;
  const [run] = await db
    .insert(collectionRun)
    .values({ connectionId: conn.id, companyId: conn.companyId, trigger, attempt: input.attempt })
    .returning();
  if (!run) throw new Error("collection run insert returned nothing");
  const runLog = log.child({ connectionId: conn.id, runId: run.id });

  const finish = async (
    status: "failed" | "retrying",
    reason: string,
    message: string,
    connectionUpdate: Partial<typeof connection.$inferInsert> | null,
  ) => {
    await db.transaction(async (tx) => {
      await tx
        .update(collectionRun)
        .set({ status, reason, message, endedAt: new Date() })
        .where(eq(collectionRun.id, run.id));
      if (connectionUpdate) {
        await tx
          .update(connection)
          .set({ ...connectionUpdate, updatedAt: new Date() })
          .where(eq(connection.id, conn.id));
        if (connectionUpdate.status && connectionUpdate.status !== conn.status) {
          await emitConnectionStatusChanged(tx, {
            companyId: conn.companyId,
            connectionId: conn.id,
            status: connectionUpdate.status,
            previousStatus: conn.status,
            reason: connectionUpdate.statusReason ?? null,
          });
        }
      }
    });
    runLog.info({ status, reason }, "collection ended");
  };
  const failAccount = async (reason: TCollectFailureReason | "no_credential", step?: string) => {
    // A learned-recipe replay names the sign-in step the portal no longer has (#19).
    const message = `${CONNECTION_ERROR_MESSAGES[reason]}${step ? ` Sign-in stopped at ${step}.` : ""}`;
    await finish("failed", reason, message, { status: "error", statusReason: message });
    return { outcome: "failed" as const, runId: run.id, reason };
  };
  const retry = async (reason: string, retrying: string, gaveUp: string): Promise<never> => {
    const message = input.lastTry ? gaveUp : retrying;
    // Provider trouble is not the account's fault: the status stays, the reason says why.
    await finish(input.lastTry ? "failed" : "retrying", reason, message, {
      statusReason: message,
    });
    if (input.lastTry) throw new RetryLater(`${reason}; no tries left`);
    throw new RetryLater(reason);
  };

  // A provider without rules is collected too: the worker's generic sign-in and bill
  // discovery (browser-worker/src/collect/discover.ts) stand in for the missing rules.
  const recipe = ZCollectRecipe.safeParse(row.provider?.rules ?? {});
  if (!row.provider || !recipe.success) {
    await finish("failed", "not_collectable", NOT_COLLECTABLE, { statusReason: NOT_COLLECTABLE });
    return { outcome: "failed", runId: run.id, reason: "not_collectable" };
  }
  const chosen = row.provider;
  if (!conn.sealedCredential) return await failAccount("no_credential");

  let credential: { username: string; password: string };
  try {
    const opened = await openCredential(conn.sealedCredential, deps.vaultPrivateJwk);
    credential = { username: opened.username, password: opened.password };
  } catch {
    // Wrong key or a damaged row: nobody can sign in with it any more.
    runLog.error("stored credential could not be opened with VAULT_PRIVATE_KEY");
    return await failAccount("no_credential");
  }
  if (!credential.username || !credential.password) return await failAccount("no_credential");

  // ---------------------------------------------------------------- browser
  const placed = await startSession(
    { db, log: runLog, fleet: deps.fleet },
    { mode: "headless", provider: chosen, viewport: VIEWPORT },
  );
  if (!placed) return await retry("fleet_busy", FLEET_RETRYING, FLEET_RETRYING);
  const session = placed;
  await db
    .update(collectionRun)
    .set({ loginSessionId: session.loginSessionId })
    .where(eq(collectionRun.id, run.id));

  let result: TCollectResult;
  const known = new Set<string>();
  try {
    const stored = await db
      .select({ id: bill.externalId })
      .from(bill)
      .where(eq(bill.connectionId, conn.id));
    for (const { id } of stored) known.add(id);
    result = await collectOnWorker(
      db,
      session,
      deps.fleet.token,
      {
        credential,
        recipe: recipe.data,
        learnedRecipe: ZLoginRecipe.safeParse(conn.loginRecipe).data ?? null,
        knownBillIds: [...known],
        collectFrom: conn.collectionStartDate,
        mfaWaitMs: deps.mfaWaitMs,
      },
      deps.workerCallTimeoutMs,
    );
    for (let round = 0; result.status === "mfa_required" && round < 3; round++) {
      await db
        .update(collectionRun)
        .set({ status: "waiting_for_code" })
        .where(eq(collectionRun.id, run.id));
      runLog.info("portal asked for a one-time code; waiting for a forwarded one");
      const code = await waitForCode(deps, conn.id, run.id, run.startedAt);
      if (!code) {
        result = { status: "failed", reason: "mfa_timeout" };
        break;
      }
      result = await sendCodeToWorker(
        session.workerUrl,
        deps.fleet.token,
        session.loginSessionId,
        code,
        deps.workerCallTimeoutMs,
      );
    }
  } catch (error) {
    await endLoginSession(db, session.loginSessionId, "worker_lost");
    await endWorkerSession(session.workerUrl, deps.fleet.token, session.loginSessionId);
    if (error instanceof WorkerUnavailable) {
      return await retry("worker_lost", FLEET_RETRYING, FLEET_RETRYING);
    }
    throw error;
  } finally {
    credential = { username: "", password: "" };
  }
  await settleHeadlessSession(
    db,
    session.loginSessionId,
    result.status === "ok" ? "success" : result.status === "mfa_required" ? "mfa" : "failure",
  );
  await endWorkerSession(session.workerUrl, deps.fleet.token, session.loginSessionId);

  if (result.status === "mfa_required") return await failAccount("mfa_timeout");
  if (result.status === "failed") {
    if (result.reason === "provider_down") {
      return await retry("provider_down", PROVIDER_DOWN_RETRYING, PROVIDER_DOWN_GAVE_UP);
    }
    return await failAccount(result.reason, result.step);
  }

  // ---------------------------------------------------------------- bills
  const rows = await prepareBills(deps.storage, conn, result.bills, known, run.id);
  const billsNew = await db.transaction(async (tx) => {
    const inserted = await insertBills(tx, rows);
    await tx
      .update(collectionRun)
      .set({
        status: "succeeded",
        reason: null,
        message: refusalsOf(result.notes),
        billsFound: result.bills.length,
        billsNew: inserted,
        endedAt: new Date(),
      })
      .where(eq(collectionRun.id, run.id));
    await markCollected(tx, conn);
    return inserted;
  });
  runLog.info({ billsFound: result.bills.length, billsNew }, "collection succeeded");
  return { outcome: "succeeded", runId: run.id, billsFound: result.bills.length, billsNew };
}

/** Latest runs first, for the admin's activity view. */
export async function recentRuns(db: TDb, connectionId: string, limit = 50) {
  return await db
    .select({
      id: collectionRun.id,
      trigger: collectionRun.trigger,
      status: collectionRun.status,
      reason: collectionRun.reason,
      message: collectionRun.message,
      billsFound: collectionRun.billsFound,
      billsNew: collectionRun.billsNew,
      attempt: collectionRun.attempt,
      startedAt: collectionRun.startedAt,
      endedAt: collectionRun.endedAt,
    })
    .from(collectionRun)
    .where(eq(collectionRun.connectionId, connectionId))
    .orderBy(desc(collectionRun.startedAt))
    .limit(limit);
}
