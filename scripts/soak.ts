// `npm run soak`: 200 recipient sessions against one worker of capacity 4, on loopback,
// ending every way a real one does (tab closed, step left, stream never opened, idle,
// wrong password then gone, signed in), several at once, in random order. Then it
// asserts the accounting holds no open session and all 4 slots start at once. Bounded:
// it stops by itself after SOAK_MINUTES (default 8) whatever happened. Not in `npm test`.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setupTestPostgres } from "@meterlink/db/testing";
import { upsertProviders } from "../apps/api/src/seed";
import { expectStarted, startFleet, type TRecipient, type TStarted } from "../apps/api/test/fleet";
import type { TStreamClient } from "../apps/api/test/recipient-http";
import { POS, RIGHT_PASSWORD, startFixtures } from "../apps/browser-worker/test/fixtures";

const SESSIONS = 200;
const LANES = 7;
const CAPACITY = 4;
const DEADLINE = Date.now() + Number(process.env.SOAK_MINUTES ?? 8) * 60_000;
const BEHAVIOURS = [
  "tab_closed",
  "left_step",
  "never_attached",
  "idle",
  "failed",
  "signed_in",
] as const;
type TBehaviour = (typeof BEHAVIOURS)[number];

const root = join(import.meta.dirname, "..");
mkdirSync(join(root, ".data"), { recursive: true });
const stopPostgres = await setupTestPostgres(root);
const fixtures = await startFixtures();
const fleet = await startFleet({
  workers: [{ id: "soak-1", capacity: CAPACITY, headlessCapacity: 0 }],
  workerEnv: {
    SESSION_ATTACH_TIMEOUT_MS: "3000",
    SESSION_IDLE_TIMEOUT_MS: "4000",
    EGRESS_ALLOW_PRIVATE: `${fixtures.host}`,
  },
});
await upsertProviders(fleet.database.db, [
  {
    id: "soak-plain",
    name: "Soak Plain",
    country: "US",
    loginUrl: `${fixtures.url}/plain`,
    allowedHostnames: [new URL(fixtures.url).hostname],
    utilityTypes: ["electricity"],
    mfa: "none",
    isSandbox: true,
  },
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const counts = new Map<string, number>();
const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

/** Waits in line like the page does (bounded by the soak's deadline). */
async function browserFor(recipient: TRecipient): Promise<TStarted> {
  let queueId: string | undefined;
  while (Date.now() < DEADLINE) {
    const answer = await fleet.startLogin(recipient, {
      providerId: "soak-plain",
      ...(queueId ? { queueId } : {}),
    });
    if (answer.status === "started") return answer;
    queueId = answer.queueId;
    count("queued_polls");
    await sleep(500);
  }
  throw new Error("soak deadline passed while waiting in line");
}

function input(client: TStreamClient) {
  let seq = 0;
  const send = (message: Record<string, unknown>) =>
    client.socket.send(JSON.stringify({ ...message, seq: ++seq }));
  return {
    click(at: { x: number; y: number }) {
      send({ type: "mouse", action: "down", ...at, button: "left", clickCount: 1 });
      send({ type: "mouse", action: "up", ...at, button: "left", clickCount: 1 });
    },
    text: (text: string) => send({ type: "insertText", text }),
  };
}

async function signIn(client: TStreamClient, password: string): Promise<string> {
  await client.waitFor((m) => m.type === "page" && m.url.includes("/plain") && !m.loading);
  const keys = input(client);
  keys.click(POS.first);
  keys.text("soak-user");
  keys.click(POS.second);
  keys.text(password);
  keys.click(POS.submit);
  const outcome = await client.waitFor((m) => m.type === "outcome", 20_000);
  return outcome.type === "outcome" ? outcome.outcome : "none";
}

async function play(behaviour: TBehaviour): Promise<void> {
  const recipient = await fleet.newRecipient();
  const login = await browserFor(recipient);
  if (behaviour === "never_attached") return;
  const client = await fleet.stream(login);
  await client.waitForFrames(1, 20_000);
  switch (behaviour) {
    case "tab_closed":
      client.socket.terminate();
      return;
    case "left_step":
      await recipient.mutate(fleet.apiUrl(), "recipient.endLogin", {
        loginSessionId: login.loginSessionId,
      });
      return;
    case "idle":
      await client.closed;
      return;
    case "failed":
      if ((await signIn(client, "wrong-password")) !== "failure") throw new Error("no failure");
      client.socket.terminate();
      return;
    case "signed_in":
      if ((await signIn(client, RIGHT_PASSWORD)) !== "success") throw new Error("no success");
      await client.waitFor((m) => m.type === "ended");
      return;
  }
}

let next = 0;
const errors: string[] = [];
const startedAt = Date.now();
await Promise.all(
  Array.from({ length: LANES }, async () => {
    while (next < SESSIONS && Date.now() < DEADLINE) {
      next++;
      const behaviour = BEHAVIOURS[Math.floor(Math.random() * BEHAVIOURS.length)] ?? "tab_closed";
      try {
        await play(behaviour);
        count(behaviour);
      } catch (error) {
        count(`${behaviour}_error`);
        errors.push(`${behaviour}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }),
);

// Every one of them has left: within seconds nothing is held, and all slots start at once.
let open = await fleet.openRows();
for (let tries = 0; open.length && tries < 60; tries++) {
  await sleep(500);
  open = await fleet.openRows();
}
const fresh = await Promise.all(Array.from({ length: CAPACITY }, () => fleet.newRecipient()));
let freeSlots = 0;
for (const recipient of fresh) {
  try {
    expectStarted(await fleet.startLogin(recipient, { providerId: "soak-plain" }));
    freeSlots++;
  } catch (error) {
    errors.push(`final start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
const summary = {
  sessions: next,
  seconds: Math.round((Date.now() - startedAt) / 1000),
  behaviours: Object.fromEntries(counts),
  openRowsAfter: open.length,
  freeSlotsAfter: `${freeSlots}/${CAPACITY}`,
  errors: errors.slice(0, 20),
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
await fleet.close();
await fixtures.close();
await stopPostgres();
const ok = open.length === 0 && freeSlots === CAPACITY && next >= SESSIONS;
process.stdout.write(ok ? "soak: PASS\n" : "soak: FAIL\n");
process.exit(ok ? 0 : 1);
