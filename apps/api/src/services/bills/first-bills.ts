// First bills read inside the recipient's own signed-in session (#18): the worker reports
// them (`first_bills`) right after the sign-in succeeded, before the session ends. Nothing
// is a connection before the recipient completes, so they wait on their login session
// (documents in storage, their rows in `login_session.meta.firstBills`) and become the
// connection's bills when it is created; a report that arrives after completion is
// adopted at once. Invariants:
// - only the worker that holds the session, and only after a successful sign-in, may
//   report its first bills;
// - adopting them is the connection's first collection: a `collection_run` (trigger
//   `first`) records it, the connection becomes active, and no second sign-in is queued.
import {
  collectionRun,
  connection,
  invitation,
  loginSession,
  type TBillFile,
  type TDb,
  type TDbOrTx,
} from "@meterlink/db";
import type { TCollectedBill, TCollectNote } from "@meterlink/shared/connection";
import { and, eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { TBillStorage } from "../collection/storage";
import {
  insertBills,
  isBeforeStart,
  markCollected,
  prepareBills,
  refusalsOf,
  type TBillRow,
} from "./store";

type TWaitingBill = Omit<TBillRow, "connectionId" | "companyId" | "collectionRunId"> & {
  files: TBillFile[];
};
type TFirstBills = { status: "ok" | "failed"; bills: TWaitingBill[]; notes: TCollectNote[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The worker's `first_bills` report: documents to storage, rows onto the login session. */
export async function receiveFirstBills(
  deps: { db: TDb; storage: TBillStorage; log: Logger },
  report: {
    workerId: string;
    sessionId: string;
    status: "reading" | "ok" | "failed";
    bills: TCollectedBill[];
    notes: TCollectNote[];
  },
): Promise<void> {
  const [session] = await deps.db
    .select({
      id: loginSession.id,
      meta: loginSession.meta,
      companyId: invitation.companyId,
    })
    .from(loginSession)
    .innerJoin(invitation, eq(invitation.id, loginSession.invitationId))
    .where(
      and(
        eq(loginSession.id, report.sessionId),
        eq(loginSession.workerId, report.workerId),
        eq(loginSession.outcome, "success"),
      ),
    );
  // Once per session: a repeated report (a retry, or a second one) is not heard.
  const { firstBills, firstBillsAdoptedBy, firstBillsDone } = session?.meta ?? {};
  if (!session || firstBills || firstBillsAdoptedBy || firstBillsDone) return;
  if (report.status === "reading") {
    await deps.db
      .update(loginSession)
      .set({ meta: sql`${loginSession.meta} || '{"firstBillsReading":true}'::jsonb` })
      .where(eq(loginSession.id, session.id));
    return;
  }
  // Stored under the login session until a connection exists: keys are opaque.
  const rows = await prepareBills(
    deps.storage,
    { id: `first-${session.id}`, companyId: session.companyId, collectionStartDate: null },
    report.status === "ok" ? report.bills : [],
    new Set(),
    null,
  );
  const waiting: TFirstBills = {
    status: report.status === "ok" ? "ok" : "failed",
    bills: rows.map(({ connectionId: _c, companyId: _co, collectionRunId: _r, ...rest }) => ({
      ...rest,
      files: rest.files ?? [],
    })),
    notes: report.notes,
  };
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(loginSession)
      .set({ meta: sql`${loginSession.meta} || ${JSON.stringify({ firstBills: waiting })}::jsonb` })
      .where(
        and(
          eq(loginSession.id, session.id),
          sql`not (${loginSession.meta} ?| array['firstBills', 'firstBillsAdoptedBy', 'firstBillsDone'])`,
        ),
      )
      .returning({ meta: loginSession.meta });
    const consumedBy = updated?.meta.consumedBy;
    // The recipient completed before the report arrived: the connection exists already.
    if (typeof consumedBy === "string" && UUID.test(consumedBy)) {
      await adoptFirstBills(tx, { loginSessionId: session.id, connectionId: consumedBy });
    }
  });
  deps.log.info(
    { loginSessionId: session.id, bills: waiting.bills.length, status: report.status },
    "first bills received",
  );
}

/**
 * Makes the login session's first bills the connection's (once). Returns whether the
 * connection got them (then it is active and needs no first collection).
 */
export async function adoptFirstBills(
  tx: TDbOrTx,
  input: { loginSessionId: string; connectionId: string },
): Promise<boolean> {
  const [row] = await tx
    .select({ meta: loginSession.meta })
    .from(loginSession)
    .where(eq(loginSession.id, input.loginSessionId))
    .for("update");
  // Already adopted (the report came while completing): the connection has them.
  if (row?.meta.firstBillsAdoptedBy === input.connectionId) return true;
  const first = row?.meta.firstBills as TFirstBills | undefined;
  if (!first) return false;
  // Taken once: a second caller (the report and the completion racing) finds it gone.
  const done =
    first.status === "ok"
      ? { firstBillsAdoptedBy: input.connectionId }
      : { firstBillsDone: "failed" };
  await tx
    .update(loginSession)
    .set({ meta: sql`(${loginSession.meta} - 'firstBills') || ${JSON.stringify(done)}::jsonb` })
    .where(eq(loginSession.id, input.loginSessionId));
  if (first.status !== "ok") return false;
  const [conn] = await tx
    .select()
    .from(connection)
    .where(eq(connection.id, input.connectionId))
    .for("update");
  if (!conn) return false;
  const [run] = await tx
    .insert(collectionRun)
    .values({
      connectionId: conn.id,
      companyId: conn.companyId,
      trigger: "first",
      status: "succeeded",
      billsFound: first.bills.length,
      message: refusalsOf(first.notes),
      loginSessionId: input.loginSessionId,
      endedAt: new Date(),
    })
    .returning({ id: collectionRun.id });
  if (!run) throw new Error("collection run insert returned nothing");
  const rows = first.bills
    .filter((b) => !isBeforeStart(b, conn.collectionStartDate))
    .map((b) => ({
      ...b,
      connectionId: conn.id,
      companyId: conn.companyId,
      collectionRunId: run.id,
    }));
  const billsNew = await insertBills(tx, rows);
  await tx.update(collectionRun).set({ billsNew }).where(eq(collectionRun.id, run.id));
  await markCollected(tx, conn);
  return true;
}

/**
 * Waits (bounded) while a successful live session may still be reading its first bills,
 * so completing does not close the browser under it. Returns at once when the session
 * ended or reported.
 */
export async function settleFirstBills(
  db: TDbOrTx,
  loginSessionId: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await db
      .select({
        endedAt: loginSession.endedAt,
        meta: loginSession.meta,
        outcome: loginSession.outcome,
      })
      .from(loginSession)
      .where(eq(loginSession.id, loginSessionId));
    // Only a session whose worker said it is reading them; done once they arrived.
    const arrived =
      row?.meta.firstBills || row?.meta.firstBillsAdoptedBy || row?.meta.firstBillsDone;
    if (!row?.meta.firstBillsReading || row.endedAt || arrived) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
