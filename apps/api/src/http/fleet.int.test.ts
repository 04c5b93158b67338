// The fleet as the platform team runs it: three worker processes and two API processes
// on loopback, one database. Spreading, relay through either replica, fleet-full
// queueing, a worker killed mid-session, heartbeat expiry, drain on SIGTERM, and revoke
// ending a live session.
import { loginSession, worker } from "@meterlink/db";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectStarted,
  FLEET_TOKEN,
  startFleet,
  type TFleet,
  type TStarted,
} from "../../test/fleet";
import { eventually } from "../../test/processes";
import { openStream, type RecipientHttp } from "../../test/recipient-http";

let fleet: TFleet;

beforeAll(async () => {
  fleet = await startFleet({
    apis: 2,
    // The third worker registers with the second replica: the registry is shared.
    workers: [
      { id: "w1", capacity: 2 },
      { id: "w2", capacity: 2 },
      { id: "w3", capacity: 2, api: 1 },
    ],
    workerEnv: { SESSION_RECONNECT_GRACE_MS: "3000" },
  });
  await eventually(async () => {
    const rows = await fleet.database.db.select().from(worker);
    expect(rows.map((row) => row.id).sort()).toEqual(["w1", "w2", "w3"]);
  });
}, 120_000);

afterAll(async () => {
  if (process.env.FLEET_DEBUG) for (const a of fleet.apis) console.log(a.process.output.join(""));
  await fleet?.close();
});

const api = (index: 0 | 1): string => fleet.apiUrl(index);
const newRecipient = () => fleet.newRecipient();
const startLogin = (recipient: RecipientHttp, via: 0 | 1 = 0, queueId?: string) =>
  fleet.startLogin(recipient, { via, ...(queueId ? { queueId } : {}) });
const started = async (recipient: RecipientHttp, via: 0 | 1 = 0): Promise<TStarted> =>
  expectStarted(await startLogin(recipient, via));
const stream = (via: 0 | 1, login: TStarted) => fleet.stream(login, via);

async function workerOf(loginSessionId: string): Promise<string> {
  const [row] = await fleet.database.db
    .select()
    .from(loginSession)
    .where(eq(loginSession.id, loginSessionId));
  if (!row?.workerId) throw new Error("session has no worker");
  return row.workerId;
}

const live: { recipient: RecipientHttp; login: TStarted }[] = [];

async function findIndexAsync<T>(
  items: T[],
  predicate: (item: T) => Promise<boolean>,
): Promise<number> {
  for (const [index, item] of items.entries()) if (await predicate(item)) return index;
  return -1;
}

describe("worker fleet on loopback", () => {
  it("spreads sessions over the least-loaded workers and relays each through either API replica", async () => {
    for (const via of [0, 1, 0] as const) {
      const recipient = await newRecipient();
      live.push({ recipient, login: await started(recipient, via) });
    }
    const placedOn = await Promise.all(live.map((entry) => workerOf(entry.login.loginSessionId)));
    expect(new Set(placedOn).size).toBe(3);

    const [first, second] = live;
    if (!first || !second) throw new Error("sessions missing");
    // Ticket issued by replica A, stream opened on replica B, and the other way round.
    const viaB = await stream(1, first.login);
    const viaA = await stream(0, second.login);
    for (const client of [viaB, viaA]) {
      await client.waitFor((m) => m.type === "ready");
      await client.waitForFrames(1);
      const page = await client.waitFor(
        (m) => m.type === "page" && m.url.includes("/northwind/login"),
      );
      expect(page.type).toBe("page");
    }
    // A ticket is single-use.
    await expect(openStream(api(1), first.login.streamUrl)).rejects.toThrow(/401/);
  });

  it("queues recipients with a visible position when the fleet is full, then lets the first in", async () => {
    while (live.length < 6) {
      const recipient = await newRecipient();
      live.push({ recipient, login: await started(recipient) });
    }
    const waiting1 = await newRecipient();
    const waiting2 = await newRecipient();
    const q1 = await startLogin(waiting1);
    const q2 = await startLogin(waiting2);
    expect(q1).toMatchObject({ status: "queued", position: 1 });
    expect(q2).toMatchObject({ status: "queued", position: 2 });
    if (q1.status !== "queued" || q2.status !== "queued") throw new Error("not queued");

    const leaving = live.pop();
    if (!leaving) throw new Error("no session to end");
    await leaving.recipient.mutate(api(0), "recipient.endLogin", {
      loginSessionId: leaving.login.loginSessionId,
    });
    // The second in line cannot jump ahead; the first gets the free browser.
    expect(await startLogin(waiting2, 0, q2.queueId)).toMatchObject({
      status: "queued",
      position: 2,
    });
    const admitted = await startLogin(waiting1, 1, q1.queueId);
    expect(admitted.status).toBe("started");
    if (admitted.status === "started") live.push({ recipient: waiting1, login: admitted });
    expect(await startLogin(waiting2, 0, q2.queueId)).toMatchObject({
      status: "queued",
      position: 1,
    });

    // One more browser frees up: the second in line gets it and the queue is empty.
    const another = live.splice(2, 1)[0];
    if (!another) throw new Error("no session to end");
    await another.recipient.mutate(api(1), "recipient.endLogin", {
      loginSessionId: another.login.loginSessionId,
    });
    const admitted2 = await startLogin(waiting2, 0, q2.queueId);
    expect(admitted2.status).toBe("started");
    if (admitted2.status === "started") live.push({ recipient: waiting2, login: admitted2 });
  });

  it("tells the recipient within seconds when their worker is killed, and starts them again elsewhere", async () => {
    const victim = live[1];
    if (!victim) throw new Error("no session");
    const client = fleet.streams[1];
    if (!client) throw new Error("no stream");
    const victimWorker = await workerOf(victim.login.loginSessionId);
    const killedAt = Date.now();
    fleet.workers.get(victimWorker)?.process.kill("SIGKILL");
    const closed = await client.closed;
    expect(closed.code).toBe(4001);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    const status = await victim.recipient.query<{ ended: boolean }>(
      api(1),
      "recipient.loginStatus",
      {
        loginSessionId: victim.login.loginSessionId,
      },
    );
    expect(status.ended).toBe(true);

    // The fleet is full on the surviving workers: one recipient there finishes.
    const survivorIndex = await findIndexAsync(
      live,
      async (entry) => (await workerOf(entry.login.loginSessionId)) !== victimWorker,
    );
    const [survivor] = live.splice(survivorIndex, 1);
    if (!survivor) throw new Error("no survivor");
    await survivor.recipient.mutate(api(0), "recipient.endLogin", {
      loginSessionId: survivor.login.loginSessionId,
    });
    let queueId: string | undefined;
    const again = await eventually(
      async () => {
        const attempt = await startLogin(victim.recipient, 0, queueId);
        if (attempt.status !== "started") {
          queueId = attempt.queueId;
          throw new Error("still waiting");
        }
        return attempt;
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    expect(await workerOf(again.loginSessionId)).not.toBe(victimWorker);
    live[live.indexOf(victim)] = { recipient: victim.recipient, login: again };

    // The killed worker's other session ends as lost once its heartbeat has expired.
    const orphanIndex = await findIndexAsync(
      live,
      async (entry) => (await workerOf(entry.login.loginSessionId)) === victimWorker,
    );
    const orphan = live[orphanIndex];
    if (orphan) {
      const status = await orphan.recipient.query<{ ended: boolean; outcome: string | null }>(
        api(0),
        "recipient.loginStatus",
        {
          loginSessionId: orphan.login.loginSessionId,
        },
      );
      expect(status).toMatchObject({ ended: true, outcome: "worker_lost" });
      live.splice(orphanIndex, 1);
    }
    // Its heartbeats have stopped: it leaves the routing table once the TTL passes.
    await eventually(
      async () => {
        const [killed] = await fleet.database.db
          .select()
          .from(worker)
          .where(eq(worker.id, victimWorker));
        expect(Date.now() - (killed?.lastHeartbeatAt.getTime() ?? 0)).toBeGreaterThan(3_000);
      },
      { timeoutMs: 10_000, intervalMs: 500 },
    );
  });

  it("drains a worker on SIGTERM: no new sessions there, and it exits cleanly", async () => {
    const alive = (
      await fleet.database.db
        .select()
        .from(worker)
        .where(inArray(worker.id, ["w1", "w2", "w3"]))
    ).filter((row) => Date.now() - row.lastHeartbeatAt.getTime() < 2_000);
    const target = alive[0];
    if (!target) throw new Error("no live worker");
    const entry = fleet.workers.get(target.id);
    entry?.process.kill("SIGTERM");
    await eventually(async () => {
      const [row] = await fleet.database.db.select().from(worker).where(eq(worker.id, target.id));
      expect(row?.draining).toBe(true);
    });
    for (const session of live) {
      await session.recipient
        .mutate(api(0), "recipient.endLogin", { loginSessionId: session.login.loginSessionId })
        .catch(() => null);
    }
    const fresh = await newRecipient();
    const placed = await started(fresh, 1);
    expect(await workerOf(placed.loginSessionId)).not.toBe(target.id);
    live.push({ recipient: fresh, login: placed });
    expect(await entry?.process.exited).toBe(0);
  });

  it("ends a live session when the admin revokes the invitation", async () => {
    const recipient = await newRecipient();
    const login = await started(recipient, 0);
    const client = await stream(1, login);
    await client.waitForFrames(1);
    const { callerFor, adminSessionOf } = await import("../../test/factories");
    const admin = callerFor(fleet.database.db, adminSessionOf(fleet.world.admin), {
      fleet: { token: FLEET_TOKEN, heartbeatTtlMs: 3000, queueMaxMs: 30_000 },
    });
    await admin.admin.invitations.revoke({ id: recipient.invitationId });
    const ended = await client.waitFor((m) => m.type === "ended");
    expect(ended).toMatchObject({ type: "ended", reason: "deleted" });
    await client.closed;
    const [row] = await fleet.database.db
      .select()
      .from(loginSession)
      .where(eq(loginSession.id, login.loginSessionId));
    expect(row?.outcome).toBe("revoked");
  });

  it("lets the recipient reconnect to the same browser through another replica when theirs dies", async () => {
    const recipient = await newRecipient();
    const login = await started(recipient, 0);
    const viaB = await stream(1, login);
    await viaB.waitForFrames(1);
    const framesBefore = viaB.frames;
    fleet.apis[1]?.process.kill("SIGKILL");
    await viaB.closed;
    // The page asks replica A for a fresh ticket and reconnects within the grace period.
    const { streamUrl } = await recipient.mutate<{ streamUrl: string }>(
      api(0),
      "recipient.reconnectLogin",
      {
        loginSessionId: login.loginSessionId,
      },
    );
    const viaA = await stream(0, { ...login, streamUrl });
    await viaA.waitFor((m) => m.type === "ready" && m.sessionId === login.loginSessionId);
    await viaA.waitForFrames(1);
    expect(framesBefore).toBeGreaterThan(0);
    const status = await recipient.query<{ ended: boolean }>(api(0), "recipient.loginStatus", {
      loginSessionId: login.loginSessionId,
    });
    expect(status.ended).toBe(false);
  });
});
