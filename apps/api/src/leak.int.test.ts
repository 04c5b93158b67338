// A known password, MFA code and invitation token go through the real HTTP API; not one
// log line of the run may contain them.
import { randomBytes, randomUUID } from "node:crypto";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { DestinationStream } from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieFrom, createTestApp } from "../test/app";
import { createAdminUser, createCompany, createConnection, TEST_INBOUND } from "../test/factories";
import { adminWorld, manualContributor, tokenOf } from "../test/invitations";
import { TEST_TOKEN_KEY } from "../test/keys";
import { startInboundSmtp } from "./inbound/smtp";
import { parseKey } from "./lib/tokens";
import { createLogger } from "./logger";

let database: TTestDatabase;
let harness: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  database = await createTestDatabase();
  harness = await createTestApp(database.url);
});
afterAll(async () => {
  await harness.app.close();
  await database.close();
});

const PASSWORD = "Leak-Canary-Pa55word!";
const NOTES = "mfa code 918273";

describe("secrets in logs", () => {
  it("never logs the recipient's password, notes or the invitation token", async () => {
    const company = await createCompany(harness.db);
    const admin = await createAdminUser(harness.db, company.id);
    const signIn = await harness.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email",
      headers: { origin: "http://localhost:3000", "content-type": "application/json" },
      payload: { email: admin.email, password: admin.password },
    });
    const adminCookie = cookieFrom(signIn.headers["set-cookie"]);
    const created = await harness.app.inject({
      method: "POST",
      url: "/trpc/admin.invitations.create",
      headers: { cookie: adminCookie, "content-type": "application/json" },
      payload: { kind: "contributor", delivery: { kind: "manual" }, maxUses: 1 },
    });
    expect(created.statusCode).toBe(200);
    const url: string = created.json().result.data.url;
    const token = url.split("/").pop() ?? "";

    const open = await harness.app.inject({
      method: "GET",
      url: `/trpc/recipient.open?input=${encodeURIComponent(JSON.stringify({ token }))}`,
    });
    expect(open.statusCode).toBe(200);
    const recipientCookie = cookieFrom(open.headers["set-cookie"]);
    const post = (path: string, payload: Record<string, unknown>) =>
      harness.app.inject({
        method: "POST",
        url: `/trpc/${path}`,
        headers: { cookie: recipientCookie, "content-type": "application/json" },
        payload,
      });
    expect((await post("recipient.consent", { token })).statusCode).toBe(200);
    // A bad request first: validation errors must not echo the password either.
    const invalid = await post("recipient.complete", {
      token,
      provider: { kind: "manual", name: "" },
      credential: { method: "manual", username: "alice", password: PASSWORD, notes: NOTES },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).not.toContain(PASSWORD);
    const done = await post("recipient.complete", {
      token,
      provider: { kind: "manual", name: "City Power" },
      credential: { method: "manual", username: "alice", password: PASSWORD, notes: NOTES },
    });
    expect(done.statusCode).toBe(200);
    const again = await post("recipient.complete", {
      token,
      provider: { kind: "manual", name: "City Power" },
      credential: { method: "manual", username: "alice", password: PASSWORD, notes: NOTES },
    });
    expect(again.json().error.message).toMatch(/already been used/);

    const log = harness.logLines.join("\n");
    expect(harness.logLines.length).toBeGreaterThan(5);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain("918273");
    expect(log).not.toContain(token);
    expect(log).not.toContain(admin.password);
  });
});

describe("database errors in logs", () => {
  it("are logged by their SQL and code, never with the bound values (emails, hashes, ciphertexts)", async () => {
    const { caller } = await adminWorld(harness.db);
    const email = "leak-canary@harbor.test";
    const created = await caller.admin.invitations.create(
      manualContributor({ allowedEmails: [email] }),
    );
    const token = tokenOf(created.url);
    // The database refuses the verification row: the query fails with its parameters
    // (the email, the code's hash, the session id) bound, and a detail quoting the row
    // the way a unique violation does.
    await harness.db.execute(sql`
      create function refuse_verification() returns trigger language plpgsql as
        $$ begin
          raise exception 'verification refused' using detail = 'Key (email)=(' || new.email || ')';
        end $$;
      create trigger refuse_verification before insert on email_verification
        for each row execute function refuse_verification();
    `);
    try {
      const open = await harness.app.inject({
        method: "GET",
        url: `/trpc/recipient.open?input=${encodeURIComponent(JSON.stringify({ token }))}`,
      });
      const failed = await harness.app.inject({
        method: "POST",
        url: "/trpc/recipient.requestVerification",
        headers: {
          cookie: cookieFrom(open.headers["set-cookie"]),
          "content-type": "application/json",
        },
        payload: { token, email },
      });
      expect(failed.statusCode).toBe(500);
      expect(failed.body).not.toContain(email);
    } finally {
      await harness.db.execute(sql`drop trigger refuse_verification on email_verification`);
    }
    const errorLines = harness.logLines.filter((line) => line.includes("email_verification"));
    // The failure is in the log (so it can be diagnosed)…
    expect(errorLines.length).toBeGreaterThan(0);
    expect(errorLines.join("\n")).toContain('insert into \\"email_verification\\"');
    // …without any bound value.
    const log = harness.logLines.join("\n");
    expect(log).not.toContain(email);
    expect(log).not.toContain(created.id);
    expect(log).not.toMatch(/params: /);
  });
});

describe("forwarded MFA codes", () => {
  it("never reach a log line, an error answer or a database dump in plaintext", async () => {
    const secret = `whsec_${randomBytes(24).toString("base64")}`;
    const withHooks = await createTestApp(database.url, { INBOUND_WEBHOOK_SECRET: secret });
    const lines: string[] = [];
    const destination: DestinationStream = { write: (line: string) => void lines.push(line) };
    const smtp = await startInboundSmtp(
      {
        db: harness.db,
        log: createLogger({ level: "debug", destination }),
        tokenKey: parseKey(TEST_TOKEN_KEY),
        inbound: TEST_INBOUND,
      },
      { host: "127.0.0.1", port: 0 },
    );
    try {
      const company = await createCompany(harness.db);
      const conn = await createConnection(harness.db, company.id, { status: "active" });
      const to = `${conn.forwardingKey}@${TEST_INBOUND.emailDomain}`;
      const post = (code: string) => {
        const body = JSON.stringify({ to, subject: "Code", text: `Your code is ${code}` });
        const id = `msg_${randomUUID()}`;
        const now = new Date();
        return withHooks.app.inject({
          method: "POST",
          url: "/hooks/inbound-email",
          headers: {
            "content-type": "application/json",
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
            "webhook-signature": new Webhook(secret).sign(id, now, body),
          },
          payload: body,
        });
      };
      const mail = (code: string) =>
        nodemailer
          .createTransport({ host: "127.0.0.1", port: smtp.port, secure: false })
          .sendMail({ from: "a@example.com", to, subject: "Code", text: `Your code is ${code}` });
      expect((await post("604713")).statusCode).toBe(202);
      await mail("604715");
      // The database refuses to store the code: the failing insert carries the ciphertext,
      // and the errors must carry neither it nor the code.
      await harness.db.execute(sql`
        create function refuse_code() returns trigger language plpgsql as
          $$ begin raise exception 'code refused'; end $$;
        create trigger refuse_code before insert on mfa_code
          for each row execute function refuse_code();
      `);
      try {
        const failed = await post("604714");
        expect(failed.statusCode).toBe(500);
        expect(failed.body).not.toContain("604714");
        await expect(mail("604716")).rejects.toThrow(/451/);
      } finally {
        await harness.db.execute(sql`drop trigger refuse_code on mfa_code`);
      }
      const dump = JSON.stringify(
        await harness.db.execute(sql`
          select (select json_agg(m) from mfa_code m) as codes,
                 (select json_agg(i) from inbound_message i) as messages`),
      );
      expect(dump).toContain(conn.id);
      const log = [...withHooks.logLines, ...lines].join("\n");
      expect(log).toMatch(/code refused/);
      for (const code of ["604713", "604714", "604715", "604716"]) {
        expect(dump).not.toContain(code);
        expect(log).not.toContain(code);
      }
    } finally {
      await smtp.close();
      await withHooks.app.close();
    }
  });
});

describe("hand-off links", () => {
  it("never reach a log line, whether opened as a page or through the API", async () => {
    const secret = `HandoffCanary_${randomBytes(24).toString("base64url")}`;
    await harness.app.inject({ method: "GET", url: `/p/h/${secret}` });
    await harness.app.inject({
      method: "GET",
      url: `/trpc/handoff.peek?input=${encodeURIComponent(JSON.stringify({ handoff: secret }))}`,
    });
    await harness.app.inject({
      method: "POST",
      url: "/trpc/handoff.open",
      headers: { "content-type": "application/json" },
      payload: { handoff: secret },
    });
    const log = harness.logLines.join("\n");
    expect(log).toContain("/p/h/");
    expect(log).not.toContain(secret);
  });
});
