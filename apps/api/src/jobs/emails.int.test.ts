// Invitation emails end to end: the admin procedure → outbox row → pg-boss job → the real
// `resend` SDK → the local mail sink, against a real database. Timing is shortened so
// retries happen within seconds; the rules are the production ones.
import { emailMessage, type TDb } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import {
  createMailSinkClient,
  startMailSink,
  type TMailSink,
  type TMailSinkClient,
  type TSinkMessage,
} from "@meterlink/mail-sink";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import {
  adminSessionOf,
  callerFor,
  cookieJar,
  createAdminUser,
  createCompany,
  recordingJobs,
  silentLog,
  TEST_PUBLIC_URL,
} from "../../test/factories";
import { TEST_ENV } from "../../test/keys";
import { EMAIL_STRINGS, fill } from "../emails/i18n";
import { loadApiEnv, type TApiEnv } from "../env";
import type { TJobs } from "../trpc";
import type { TJobTiming } from "./boss";
import { startJobRunner, type TJobRunner } from "./runner";
import { resendTransport, type TEmailTransport } from "./transport";

const FAST: Partial<TJobTiming> = {
  pollingIntervalSeconds: 0.5,
  emailRetryLimit: 3,
  emailRetryDelaySeconds: 1,
  emailRetryBackoff: false,
  sweepIntervalMs: 500,
  sweepAfterMs: 60_000,
};

let database: TTestDatabase;
let db: TDb;
let sink: TMailSink;
let mail: TMailSinkClient;
let env: TApiEnv;
let runner: TJobRunner;
/** Runs after each successful provider answer; a test makes it throw to fake a crash. */
let afterProviderAccepted: ((to: string) => void) | null = null;

function transportWithHook(): TEmailTransport {
  const real = resendTransport(env);
  return {
    async send(email, options) {
      const result = await real.send(email, options);
      if (result.ok) afterProviderAccepted?.(email.to);
      return result;
    },
  };
}

beforeAll(async () => {
  [database, sink] = await Promise.all([createTestDatabase(), startMailSink({ port: 0 })]);
  db = database.db;
  mail = createMailSinkClient(sink.url);
  env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PUBLIC_URL: TEST_PUBLIC_URL,
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    RESEND_BASE_URL: sink.url,
    RESEND_API_KEY: "re_test_jobs",
    ...TEST_ENV,
  });
  runner = await startJobRunner({
    db,
    env,
    log: silentLog,
    timing: FAST,
    transport: transportWithHook(),
  });
});

afterAll(async () => {
  await runner?.stop();
  await Promise.all([database?.close(), sink?.close()]);
});

let unique = 0;
function address(label: string): string {
  unique += 1;
  return `${label}-${unique}-${Date.now().toString(36)}@example.test`;
}

async function adminCaller(
  jobs: TJobs = runner.jobs,
  company: Parameters<typeof createCompany>[1] = {},
) {
  const created = await createCompany(db, company);
  const admin = await createAdminUser(db, created.id);
  return { company: created, caller: callerFor(db, adminSessionOf(admin), { jobs }) };
}

async function inviteByEmail(
  caller: Awaited<ReturnType<typeof adminCaller>>["caller"],
  recipients: string[],
) {
  return caller.admin.invitations.create({
    kind: "contributor",
    delivery: { kind: "email", recipients },
    maxUses: null,
  });
}

async function invitationLink(message: TSinkMessage): Promise<URL> {
  const links = await mail.links(message.id);
  const link = links.find((candidate) => new URL(candidate.href).pathname.startsWith("/p/i/"));
  if (!link) throw new Error(`no invitation link in ${message.subject}`);
  return new URL(link.href);
}

async function rowsOf(invitationId: string) {
  return db.select().from(emailMessage).where(eq(emailMessage.invitationId, invitationId));
}

/** Until every outbox row of the invitation has left `queued` (bounded). */
async function settled(invitationId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const rows = await rowsOf(invitationId);
    if (rows.every((row) => row.status !== "queued")) return rows;
    if (Date.now() > deadline) throw new Error("emails still queued");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("invitation emails", () => {
  it("sends exactly one email per recipient, carrying the invitation's link and a proof", async () => {
    const { caller, company } = await adminCaller();
    const [alice, bob] = [address("alice"), address("bob")];
    const created = await inviteByEmail(caller, [alice, bob]);
    expect(created.emailsQueued).toBe(2);

    const rows = await settled(created.id);
    expect(rows.map((row) => row.status)).toEqual(["sent", "sent"]);
    const detail = await caller.admin.invitations.get({ id: created.id });
    const adminUrl = new URL(detail.url);

    const proofs = new Set<string>();
    for (const to of [alice, bob]) {
      const messages = await mail.messages({ to });
      expect(messages).toHaveLength(1);
      const [message] = messages as [TSinkMessage];
      expect(message.subject).toContain(company.displayName);
      expect(message.from).toContain(company.displayName);
      const link = await invitationLink(message);
      expect(link.origin + link.pathname).toBe(adminUrl.origin + adminUrl.pathname);
      const proof = link.searchParams.get("r");
      expect(proof).toBeTruthy();
      proofs.add(proof ?? "");
      const row = rows.find((candidate) => candidate.to === to);
      expect(row?.providerMessageId).toBe(message.id);
    }
    // Each address gets its own proof: one forwarded email does not vouch for the other.
    expect(proofs.size).toBe(2);
    expect(detail.events.filter((event) => event.type === "email_sent")).toHaveLength(2);
    expect(detail.emails.map((email) => email.status)).toEqual(["sent", "sent"]);
  });

  it("resend queues and sends a new email", async () => {
    const { caller } = await adminCaller();
    const to = address("resend");
    const created = await inviteByEmail(caller, [to]);
    await mail.waitForMessage({ to });
    await caller.admin.invitations.resend({ id: created.id });
    await settled(created.id);
    const messages = await mail.messages({ to });
    expect(messages).toHaveLength(2);
    const [second, first] = messages as [TSinkMessage, TSinkMessage];
    expect((await invitationLink(second)).searchParams.get("r")).not.toBe(
      (await invitationLink(first)).searchParams.get("r"),
    );
    const { events } = await caller.admin.invitations.get({ id: created.id });
    expect(events.map((event) => event.type)).toEqual([
      "created",
      "email_queued",
      "email_sent",
      "email_resent",
      "email_sent",
    ]);
  });

  it("waits out a provider outage: 500, 500, then sent", async () => {
    const { caller } = await adminCaller();
    const to = address("outage");
    await mail.fault({ status: 500, count: 2 });
    const created = await inviteByEmail(caller, [to]);
    const [row] = await settled(created.id);
    expect(row?.status).toBe("sent");
    expect(row?.attempts).toBe(3);
    expect(await mail.messages({ to })).toHaveLength(1);
    const { events } = await caller.admin.invitations.get({ id: created.id });
    expect(events.map((event) => event.type)).toEqual(["created", "email_queued", "email_sent"]);
    expect(events.at(-1)?.data).toMatchObject({ to, attempts: 3 });
  });

  it("gives up after the retry bound and says why", async () => {
    const { caller } = await adminCaller();
    const to = address("down");
    await mail.fault({ status: 503, count: 100 });
    try {
      const created = await inviteByEmail(caller, [to]);
      const [row] = await settled(created.id);
      expect(row?.status).toBe("failed");
      expect(row?.attempts).toBe(4);
      expect(row?.failureReason).toMatch(/could not be reached after 4 attempts/);
      const { events } = await caller.admin.invitations.get({ id: created.id });
      expect(events.at(-1)).toMatchObject({ type: "email_failed", data: { to } });
    } finally {
      await mail.clearFaults();
    }
    expect(await mail.messages({ to })).toHaveLength(0);
  }, 15_000);

  it("never sends twice when the job is retried after the provider accepted", async () => {
    const { caller } = await adminCaller();
    const to = address("crash");
    let crashes = 0;
    afterProviderAccepted = (recipient) => {
      // The provider accepted, then the worker "died" before recording it.
      if (recipient === to && crashes === 0) {
        crashes += 1;
        throw new Error("connection lost after the provider accepted");
      }
    };
    try {
      const created = await inviteByEmail(caller, [to]);
      const [row] = await settled(created.id);
      expect(crashes).toBe(1);
      expect(row?.status).toBe("sent");
      expect(row?.attempts).toBe(2);
      const messages = await mail.messages({ to });
      expect(messages).toHaveLength(1);
      expect(row?.providerMessageId).toBe(messages[0]?.id);
    } finally {
      afterProviderAccepted = null;
    }
  });

  it("fails a malformed address with a reason, and still sends to the others", async () => {
    const { caller } = await adminCaller();
    const good = address("good");
    // Accepted by the form's check, refused by the provider.
    const bad = `bad-${Date.now().toString(36)}@broken-.example`;
    const created = await inviteByEmail(caller, [good, bad]);
    const rows = await settled(created.id);
    const failed = rows.find((row) => row.to === bad);
    expect(failed?.status).toBe("failed");
    expect(failed?.attempts).toBe(1);
    expect(failed?.failureReason).toMatch(/refused the address .* as invalid/);
    expect(rows.find((row) => row.to === good)?.status).toBe("sent");
    expect(await mail.messages({ to: good })).toHaveLength(1);
    const { events } = await caller.admin.invitations.get({ id: created.id });
    expect(events.find((event) => event.type === "email_failed")?.data).toMatchObject({ to: bad });
  });

  it("renders a white-label company's brand and no vendor name", async () => {
    const { caller } = await adminCaller(runner.jobs, {
      displayName: "Acme Property Services",
      whiteLabel: true,
      primaryColor: "#7c3aed",
      logoUrl: "https://cdn.acme.example/logo.png",
    });
    const to = address("white");
    await inviteByEmail(caller, [to]);
    const message = await mail.waitForMessage({ to, timeoutMs: 10_000 });
    const everything = [message.subject, message.html ?? "", message.text ?? ""].join("\n");
    expect(everything).not.toMatch(/meterlink/i);
    expect(message.from.split("<")[0]).not.toMatch(/meterlink/i);
    expect(message.from).toContain("Acme Property Services");
    expect(message.subject).toContain("Acme Property Services");
    expect(message.html).toContain("#7c3aed");
    expect(message.html).toContain("https://cdn.acme.example/logo.png");
  });

  it("shows an uploaded logo through the API's public address (email clients drop data: images)", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    const { caller, company } = await adminCaller(runner.jobs, {
      logoUrl: `data:image/png;base64,${png.toString("base64")}`,
    });
    const to = address("logo");
    await inviteByEmail(caller, [to]);
    const message = await mail.waitForMessage({ to, timeoutMs: 10_000 });
    expect(message.html).not.toContain("data:image");
    const src = /<img[^>]+src="([^"]+\/brand\/[^"]+)"/.exec(message.html ?? "")?.[1];
    expect(src).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/brand/${company.id}/logo\\?v=`));
    // The address serves the uploaded bytes, as an image that cannot run script.
    const { app } = await createTestApp(database.url);
    try {
      const answer = await app.inject({ method: "GET", url: new URL(src ?? "").pathname });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers["content-type"]).toBe("image/png");
      expect(answer.headers["content-security-policy"]).toContain("sandbox");
      expect(answer.rawPayload.equals(png)).toBe(true);
      const none = await app.inject({ method: "GET", url: `/brand/${crypto.randomUUID()}/logo` });
      expect(none.statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("writes in the invitation's language", async () => {
    const { caller, company } = await adminCaller();
    const to = address("fr");
    await caller.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "email", recipients: [to] },
      locale: "fr",
    });
    const message = await mail.waitForMessage({ to, timeoutMs: 10_000 });
    expect(message.subject).toBe(
      fill(EMAIL_STRINGS.fr.invitationSubject, { company: company.displayName }),
    );
  });

  it("emails a verification link that verifies the recipient's session", async () => {
    const { caller } = await adminCaller();
    const to = address("verify");
    const created = await caller.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "manual" },
      allowedEmails: [to],
      maxUses: null,
    });
    const token = new URL(created.url).pathname.split("/").pop() ?? "";
    const cookies = cookieJar();
    const recipient = callerFor(db, null, { cookies, jobs: runner.jobs });
    await recipient.recipient.open({ token });
    await recipient.recipient.requestVerification({ token, email: to });
    const message = await mail.waitForMessage({ to, timeoutMs: 10_000 });
    const link = new URL(
      (await mail.links(message.id)).find((candidate) => candidate.href.includes("/verify"))
        ?.href ?? "",
    );
    expect(link.pathname).toBe(`/p/i/${token}/verify`);
    const code = link.searchParams.get("v") ?? "";
    await expect(recipient.recipient.verifyEmail({ token, code })).resolves.toMatchObject({
      verified: true,
      email: to,
    });
  });

  it("loses nothing across a restart: queued rows go out when a runner starts", async () => {
    await runner.stop();
    // One email whose job was enqueued but never worked (the process died), one whose
    // enqueue never happened (crash between commit and enqueue).
    const enqueueOnly = await startJobRunner({
      db,
      env,
      log: silentLog,
      timing: FAST,
      work: false,
    });
    const lostJob = address("restart-enqueued");
    const lostEnqueue = address("restart-lost");
    const first = await adminCaller(enqueueOnly.jobs);
    const second = await adminCaller(recordingJobs().jobs);
    const a = await inviteByEmail(first.caller, [lostJob]);
    const b = await inviteByEmail(second.caller, [lostEnqueue]);
    await enqueueOnly.stop();
    expect(await mail.messages({ to: lostJob })).toHaveLength(0);

    runner = await startJobRunner({
      db,
      env,
      log: silentLog,
      timing: { ...FAST, sweepAfterMs: 0 },
      transport: transportWithHook(),
    });
    await Promise.all([settled(a.id), settled(b.id)]);
    expect(await mail.messages({ to: lostJob })).toHaveLength(1);
    expect(await mail.messages({ to: lostEnqueue })).toHaveLength(1);
  });
});
