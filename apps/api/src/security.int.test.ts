// Attacks on the recipient surface (issue #23), performed over HTTP against two real API
// processes on loopback sharing one PostgreSQL, as a link holder would perform them.
// Each test's client speaks from its own loopback source address (127.0.0.0/8 is all
// local), so per-address rate limits of one test don't spill into another.
import {
  connection,
  emailMessage,
  invitationConnection,
  loginSession,
  recipientSession,
} from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminWorld, manualContributor, tokenOf } from "../test/invitations";
import { TEST_ENV, TEST_TOKEN_KEY } from "../test/keys";
import { startProcess, type TProcess, waitForHttp } from "../test/processes";
import { RecipientHttp } from "../test/recipient-http";
import { decryptSecret, parseKey } from "./lib/tokens";

const CALLS_PER_MINUTE = 8;
let database: TTestDatabase;
const apis: { url: string; process: TProcess }[] = [];
const agents: Agent[] = [];
let world: Awaited<ReturnType<typeof adminWorld>>;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await adminWorld(database.db);
  const ports = await Promise.all([freePort(), freePort()]);
  for (const port of ports) {
    const process = startProcess(`api-${port}`, "apps/api/src/main.ts", {
      NODE_ENV: "test",
      DATABASE_URL: database.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
      AUTH_SECRET: "security-test-secret-security-test-0001",
      RECIPIENT_RATE_LIMIT_PER_MINUTE: String(CALLS_PER_MINUTE),
      VERIFICATION_EMAILS_PER_ADDRESS_PER_HOUR: "2",
      VERIFICATION_EMAILS_PER_INVITATION_PER_HOUR: "3",
      API_RUNS_JOBS: "false",
      LOG_LEVEL: "warn",
      ...TEST_ENV,
    });
    apis.push({ url: `http://127.0.0.1:${port}`, process });
  }
  await Promise.all(apis.map((api) => waitForHttp(`${api.url}/readyz`, api.process, 40_000)));
}, 60_000);

afterAll(async () => {
  if (process.env.SECURITY_DEBUG) for (const api of apis) console.log(api.process.output.join(""));
  for (const agent of agents) await agent.close();
  for (const api of apis) api.process.kill("SIGKILL");
  await Promise.all(apis.map((api) => api.process.exited));
  await database?.close();
});

/** The API replica for the n-th request: requests alternate between the two. */
function replica(n: number): string {
  const found = apis[n % 2];
  if (!found) throw new Error("two APIs expected");
  return found.url;
}

let nextSource = 10;
/** A client of its own: an HTTP client bound to a fresh loopback source address. */
function client(): typeof fetch {
  const agent = new Agent({ localAddress: `127.0.0.${nextSource++}` });
  agents.push(agent);
  return ((url: string, init?: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
}

const openInput = (token: string) => encodeURIComponent(JSON.stringify({ token }));

describe("the recipient rate limit (#23.4)", () => {
  it("counts plain, percent-encoded and batched calls alike, across two replicas", async () => {
    const created = await world.caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);

    const plain = client();
    const plainStatuses: number[] = [];
    for (let n = 0; n < CALLS_PER_MINUTE + 2; n++) {
      const answer = await plain(`${replica(n)}/trpc/recipient.open?input=${openInput(token)}`);
      plainStatuses.push(answer.status);
    }
    const answered = Array<number>(CALLS_PER_MINUTE).fill(200);
    expect(plainStatuses).toEqual([...answered, 429, 429]);

    const encoded = client();
    const encodedStatuses: number[] = [];
    for (let n = 0; n < CALLS_PER_MINUTE + 2; n++) {
      const answer = await encoded(`${replica(n)}/trpc/%72ecipient.open?input=${openInput(token)}`);
      encodedStatuses.push(answer.status);
    }
    expect(encodedStatuses).toEqual(plainStatuses);
    const limited = await encoded(`${replica(0)}/trpc/recipient.open?input=${openInput(token)}`);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    const body = (await limited.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/Too many requests. Try again in \d+ seconds/);

    // Five recipient calls per request, behind an admin call: every recipient call
    // counts (a batch runs its calls in parallel, so which ones are refused varies).
    const batched = client();
    const batchStatuses: number[] = [];
    for (let n = 0; n < 2; n++) {
      const calls = Array.from({ length: 5 }, () => "recipient.open");
      const input = encodeURIComponent(
        JSON.stringify(Object.fromEntries([{}, ...calls.map(() => ({ token }))].entries())),
      );
      const answer = await batched(
        `${replica(n)}/trpc/${["admin.me", ...calls].join(",")}?batch=1&input=${input}`,
      );
      const results = (await answer.json()) as { error?: { data: { httpStatus: number } } }[];
      batchStatuses.push(...results.slice(1).map((call) => call.error?.data.httpStatus ?? 200));
    }
    expect(batchStatuses.sort()).toEqual(plainStatuses);
  });

  it("bounds verification emails per address and per invitation", async () => {
    const created = await world.caller.admin.invitations.create(
      manualContributor({ allowedEmails: ["victim@harbor.test", "other@harbor.test"] }),
    );
    const token = tokenOf(created.url);
    // A fresh client each time: the per-call limit is not what stops this.
    const ask = async (email: string, n: number) => {
      const recipient = new RecipientHttp(token, client());
      await recipient.query(replica(n), "recipient.open");
      return recipient
        .mutate(replica(n + 1), "recipient.requestVerification", { email })
        .then(() => "sent")
        .catch((error: { appCode?: string }) => error.appCode);
    };
    const outcomes = [
      await ask("victim@harbor.test", 0),
      await ask("victim@harbor.test", 1),
      await ask("VICTIM@harbor.test", 2),
      await ask("other@harbor.test", 3),
      await ask("stranger@harbor.test", 4),
    ];
    expect(outcomes).toEqual(["sent", "sent", "RATE_LIMITED", "sent", "RATE_LIMITED"]);
    const emails = await database.db
      .select({ to: emailMessage.to })
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, created.id));
    expect(emails.map((email) => email.to).sort()).toEqual([
      "other@harbor.test",
      "victim@harbor.test",
      "victim@harbor.test",
    ]);
  });
});

describe("email verification (#23.5)", () => {
  it("verifies the browser that opens the link and confirms, never the one that asked", async () => {
    const victim = "another-victim@harbor.test";
    const created = await world.caller.admin.invitations.create(
      manualContributor({ allowedEmails: [victim] }),
    );
    const token = tokenOf(created.url);
    const attacker = new RecipientHttp(token, client());
    await attacker.query(replica(0), "recipient.open");
    await attacker.mutate(replica(1), "recipient.consent");
    await attacker.mutate(replica(0), "recipient.requestVerification", { email: victim });

    const [sent] = await database.db
      .select()
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, created.id));
    const code = decryptSecret(String(sent?.payload.codeCiphertext), parseKey(TEST_TOKEN_KEY));

    // A mail scanner fetches the link's API call with GET: refused, nothing verified.
    const scanner = client();
    const scanned = await scanner(
      `${replica(1)}/trpc/recipient.verifyEmail?input=${encodeURIComponent(JSON.stringify({ token, code }))}`,
    );
    expect(scanned.status).toBe(405);

    // The victim opens the genuine email in their own browser and confirms.
    const victimBrowser = new RecipientHttp(token, client());
    await victimBrowser.query(replica(1), "recipient.open");
    expect(await victimBrowser.mutate(replica(0), "recipient.verifyEmail", { code })).toMatchObject(
      { verified: true, email: victim },
    );
    const page = await victimBrowser.query<{ verification: { verified: boolean } }>(
      replica(1),
      "recipient.open",
    );
    expect(page.verification.verified).toBe(true);

    // The attacker's jar stays unverified and cannot complete.
    const attackerPage = await attacker.query<{ verification: { verified: boolean } }>(
      replica(1),
      "recipient.open",
    );
    expect(attackerPage.verification.verified).toBe(false);
    await expect(
      attacker.mutate(replica(0), "recipient.complete", {
        provider: { kind: "manual", name: "City Power" },
        credential: { method: "manual", username: "attacker", password: "whatever-1" },
      }),
    ).rejects.toMatchObject({ appCode: "VERIFICATION_REQUIRED" });
  });
});

describe("one sign-in, one connection (#23.6)", () => {
  it("refuses a second complete with the same login session, even in parallel", async () => {
    const created = await world.caller.admin.invitations.create(manualContributor({ maxUses: 3 }));
    const token = tokenOf(created.url);
    const recipient = new RecipientHttp(token, client());
    await recipient.query(replica(0), "recipient.open");
    await recipient.mutate(replica(1), "recipient.consent");
    const [session] = await database.db
      .select()
      .from(recipientSession)
      .where(eq(recipientSession.invitationId, created.id));
    // What a worker reports after a successful live sign-in.
    const [login] = await database.db
      .insert(loginSession)
      .values({
        invitationId: created.id,
        recipientSessionId: session?.id,
        outcome: "success",
        sealedCredential: "sealed-by-worker",
      })
      .returning();
    const complete = (n: number) =>
      recipient
        .mutate(replica(n), "recipient.complete", {
          provider: { kind: "manual", name: "X Power" },
          credential: { method: "live", loginSessionId: login?.id },
        })
        .then(() => "created")
        .catch((error: { appCode?: string; message: string }) => error.message);
    const outcomes = await Promise.all([complete(0), complete(1), complete(2)]);
    expect(outcomes.filter((outcome) => outcome === "created")).toHaveLength(1);
    expect(await complete(3)).toMatch(/already been used to connect an account/);
    const links = await database.db
      .select({ id: connection.id })
      .from(invitationConnection)
      .innerJoin(connection, eq(connection.id, invitationConnection.connectionId))
      .where(eq(invitationConnection.invitationId, created.id));
    expect(links).toHaveLength(1);
  });
});

describe("production configuration (#23.11)", () => {
  it("refuses to start without RESEND_API_KEY, naming the variable", async () => {
    const port = await freePort();
    const api = startProcess("api-production", "apps/api/src/main.ts", {
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: "https://app.example.com",
      AUTH_SECRET: "security-test-secret-security-test-0002",
      RESEND_API_KEY: "",
      ...TEST_ENV,
    });
    expect(await api.exited).not.toBe(0);
    expect(api.output.join("")).toMatch(/RESEND_API_KEY: is required when NODE_ENV=production/);
  });
});
