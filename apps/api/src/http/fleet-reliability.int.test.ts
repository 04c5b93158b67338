// Capacity is the truth: each test starts from a state that used to leak browser slots
// (tabs closed without a word, a worker killed and restarted under the same id, streams
// never opened, a collection holding a browser) and checks that the accounting frees the
// slots within seconds and the next recipient gets a browser at once.
import { loginQueue, loginSession, worker } from "@meterlink/db";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSessionOf, callerFor, silentLog } from "../../test/factories";
import {
  expectStarted,
  FLEET_TOKEN,
  HEARTBEAT_TTL_MS,
  startFleet,
  type TFleet,
  type TStarted,
  VIEWPORT,
} from "../../test/fleet";
import { tokenOf } from "../../test/invitations";
import { eventually } from "../../test/processes";
import { RecipientHttp } from "../../test/recipient-http";
import { startSession } from "../services/fleet/sessions";

let fleet: TFleet;

beforeAll(async () => {
  fleet = await startFleet({
    workers: [{ id: "r1", capacity: 2, headlessCapacity: 1 }],
    workerEnv: { SESSION_ATTACH_TIMEOUT_MS: "2000" },
    apiEnv: { FLEET_MAX_LIVE_PER_INVITATION: "2" },
  });
}, 120_000);

afterAll(async () => {
  await fleet?.close();
});

async function endedRows(ids: string[]) {
  return await fleet.database.db
    .select({
      id: loginSession.id,
      endReason: loginSession.endReason,
      endedAt: loginSession.endedAt,
    })
    .from(loginSession)
    .where(inArray(loginSession.id, ids));
}

describe("fleet capacity", () => {
  // Ten cycles of two real browsers: bounded, but slow on a loaded 2-core machine.
  it("frees the slots of recipients who close their tab mid-login, ten times in a row", async () => {
    for (let cycle = 0; cycle < 10; cycle++) {
      const pair = await Promise.all([fleet.newRecipient(), fleet.newRecipient()]);
      const logins: TStarted[] = [];
      for (const recipient of pair) {
        // At once: the slots of the previous cycle's closed tabs are free again.
        logins.push(expectStarted(await fleet.startLogin(recipient)));
      }
      const streams = await Promise.all(logins.map((login) => fleet.stream(login)));
      await Promise.all(streams.map((client) => client.waitForFrames(1, 30_000)));
      // The tab goes away: the socket dies, no message, no endLogin call.
      for (const client of streams) client.socket.terminate();
      await eventually(
        async () => {
          const rows = await endedRows(logins.map((login) => login.loginSessionId));
          expect(rows.map((row) => row.endReason)).toEqual(["client_left", "client_left"]);
        },
        { timeoutMs: 10_000 },
      );
    }
    expect(await fleet.openRows("r1")).toEqual([]);
  }, 120_000);

  it("ends a browser whose stream is never opened, so link holders cannot sit on slots", async () => {
    const recipients = await Promise.all([fleet.newRecipient(), fleet.newRecipient()]);
    const logins: TStarted[] = [];
    for (const recipient of recipients)
      logins.push(expectStarted(await fleet.startLogin(recipient)));
    await eventually(
      async () => {
        const rows = await endedRows(logins.map((login) => login.loginSessionId));
        expect(rows.map((row) => row.endReason)).toEqual(["never_attached", "never_attached"]);
      },
      { timeoutMs: 10_000 },
    );
    expectStarted(await fleet.startLogin(await fleet.newRecipient()));
  });

  it("lets one link holder take no more live browsers than the cap, however many jars", async () => {
    await eventually(async () => expect(await fleet.openRows("r1")).toEqual([]), {
      timeoutMs: 10_000,
    });
    const first = await fleet.newRecipient();
    const jars = [first];
    for (let i = 0; i < 2; i++) {
      const jar = Object.assign(new RecipientHttp(first.token), {
        invitationId: first.invitationId,
      });
      await jar.query(fleet.apiUrl(), "recipient.open");
      await jar.mutate(fleet.apiUrl(), "recipient.consent");
      jars.push(jar);
    }
    const [a, b, c] = jars;
    if (!a || !b || !c) throw new Error("three jars expected");
    expectStarted(await fleet.startLogin(a));
    expectStarted(await fleet.startLogin(b));
    await expect(fleet.startLogin(c)).rejects.toMatchObject({ appCode: "LIMIT_REACHED" });
    const admin = callerFor(fleet.database.db, adminSessionOf(fleet.world.admin));
    await admin.admin.invitations.revoke({ id: first.invitationId });
  });

  it("lets one client address take no more live browsers than its cap, across invitations", async () => {
    // The previous test's revoke (no fleet in that caller) left the worker to end its
    // browsers at its next heartbeat: wait until it says it holds none.
    await eventually(
      async () => {
        expect(await fleet.openRows("r1")).toEqual([]);
        const [registered] = await fleet.database.db
          .select()
          .from(worker)
          .where(eq(worker.id, "r1"));
        expect(registered?.activeSessions).toBe(0);
      },
      { timeoutMs: 10_000 },
    );
    // Recipients of earlier tests who stopped polling keep their place in line until it
    // expires (FLEET_QUEUE_MAX_MS), and a newcomer rightly waits behind them: clear it.
    await fleet.database.db.delete(loginQueue);
    const fleetConfig = {
      token: FLEET_TOKEN,
      heartbeatTtlMs: HEARTBEAT_TTL_MS,
      queueMaxMs: 60_000,
      maxLivePerClient: 2,
    };
    const admin = callerFor(fleet.database.db, adminSessionOf(fleet.world.admin));
    const invitations: string[] = [];
    const startFrom = async (ip: string) => {
      const created = await admin.admin.invitations.create({
        kind: "contributor",
        delivery: { kind: "manual" },
        maxUses: null,
      });
      invitations.push(created.id);
      const token = tokenOf(created.url);
      const caller = callerFor(fleet.database.db, null, { ip, fleet: fleetConfig });
      await caller.recipient.open({ token });
      await caller.recipient.consent({ token });
      const start = (queueId?: string) =>
        caller.recipient.startLogin({
          token,
          providerId: "sandbox-northwind",
          viewport: VIEWPORT,
          ...(queueId ? { queueId } : {}),
        });
      return { start, answer: await start() };
    };
    /** Started, polling as the page does: a start the loaded worker timed out is retried. */
    const startedFrom = async (ip: string) => {
      const { start, answer: first } = await startFrom(ip);
      let answer = first;
      for (let polls = 0; answer.status === "queued" && polls < 20; polls++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        answer = await start(answer.queueId);
      }
      return answer;
    };
    expect(await startedFrom("198.51.100.7")).toMatchObject({ status: "started" });
    expect(await startedFrom("198.51.100.7")).toMatchObject({ status: "started" });
    await expect(startFrom("198.51.100.7")).rejects.toMatchObject({
      cause: expect.objectContaining({ code: "LIMIT_REACHED" }),
    });
    // Another address is not held back by it (it waits in line: the worker is full).
    expect((await startFrom("198.51.100.8")).answer).toMatchObject({ status: "queued" });
    for (const id of invitations) await admin.admin.invitations.revoke({ id });
  });

  it("ends the rows of a SIGKILLed worker and counts its capacity right after it restarts", async () => {
    // A worker whose browsers wait for their stream, so only the kill can end them.
    const patient = {
      id: "r1",
      capacity: 2,
      headlessCapacity: 1,
      env: { SESSION_ATTACH_TIMEOUT_MS: "120000" },
    };
    const previous = fleet.workers.get("r1");
    previous?.process.kill("SIGTERM");
    await previous?.process.exited;
    await fleet.startWorker(patient);
    const recipients = await Promise.all([fleet.newRecipient(), fleet.newRecipient()]);
    const logins: TStarted[] = [];
    for (const recipient of recipients) {
      await eventually(async () => logins.push(expectStarted(await fleet.startLogin(recipient))));
    }
    const killed = fleet.workers.get("r1");
    killed?.process.kill("SIGKILL");
    await killed?.process.exited;
    // Restarted at once under the same id: its heartbeats go on as if nothing happened.
    await fleet.startWorker(patient);
    await eventually(
      async () => {
        const rows = await endedRows(logins.map((login) => login.loginSessionId));
        expect(rows.map((row) => row.endReason)).toEqual(["worker_lost", "worker_lost"]);
      },
      { timeoutMs: 10_000 },
    );
    const fresh = await Promise.all([fleet.newRecipient(), fleet.newRecipient()]);
    for (const recipient of fresh) {
      const login = expectStarted(await fleet.startLogin(recipient));
      await (await fleet.stream(login)).waitForFrames(1);
    }
    // Capacity 2 is exactly 2: a third recipient waits in line.
    expect(await fleet.startLogin(await fleet.newRecipient())).toMatchObject({
      status: "queued",
      position: 1,
    });
  });

  it("keeps recipient slots free of bill collections: headless sessions use their own", async () => {
    const db = fleet.database.db;
    const ctx = {
      db,
      log: silentLog,
      fleet: { token: FLEET_TOKEN, heartbeatTtlMs: HEARTBEAT_TTL_MS },
    };
    // End the recipients of the previous test.
    const admin = callerFor(db, adminSessionOf(fleet.world.admin));
    for (const row of await fleet.openRows()) {
      if (row.invitationId) await admin.admin.invitations.revoke({ id: row.invitationId });
    }
    await eventually(async () => expect(await fleet.openRows("r1")).toEqual([]), {
      timeoutMs: 10_000,
    });
    // The recipient left waiting in line by the previous test closes its tab too.
    await eventually(
      async () => {
        const waiting = await db.select().from(loginQueue);
        expect(waiting.filter((w) => Date.now() - w.lastPolledAt.getTime() < 5_000)).toEqual([]);
      },
      { timeoutMs: 10_000 },
    );
    const provider = {
      id: "sandbox-summit",
      loginUrl: `${fleet.sandbox.url}/summit/login`,
      allowedHostnames: [new URL(fleet.sandbox.url).hostname],
      rules: null,
    };
    // A collection holds its browser (as one waiting for a forwarded code does)…
    const collection = await startSession(ctx, {
      mode: "headless",
      provider,
      viewport: VIEWPORT,
    });
    expect(collection).not.toBeNull();
    // …and a second one finds no headless slot: it will retry later, not take a recipient's.
    expect(await startSession(ctx, { mode: "headless", provider, viewport: VIEWPORT })).toBeNull();
    const recipients = await Promise.all([fleet.newRecipient(), fleet.newRecipient()]);
    for (const recipient of recipients) {
      const login = expectStarted(await fleet.startLogin(recipient));
      await (await fleet.stream(login)).waitForFrames(1);
    }
    const [registered] = await db.select().from(worker).where(eq(worker.id, "r1"));
    expect(registered).toMatchObject({ capacity: 2, headlessCapacity: 1 });
  });
});
