// The inbound webhooks for forwarded codes, through the real app: Standard Webhooks
// signed JSON (verified with the `standardwebhooks` package) and Twilio's form post
// (signed the way Twilio signs, checked with the `twilio` package). Unsigned, badly
// signed and replayed deliveries are refused with 401 and change nothing.
import { randomBytes, randomUUID } from "node:crypto";
import { inboundMessage, mfaCode } from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { startMailSink } from "@meterlink/mail-sink/server";
import { eq } from "drizzle-orm";
import { Resend } from "resend";
import { Webhook } from "standardwebhooks";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import { createCompany, createConnection } from "../../test/factories";
import { TEST_ENV } from "../../test/keys";
import { loadApiEnv } from "../env";

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const TWILIO_TOKEN = randomBytes(16).toString("hex");
const TWILIO_URL = "https://app.example.com/hooks/twilio/sms";

let database: TTestDatabase;
let app: Awaited<ReturnType<typeof createTestApp>>["app"];
let logLines: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, logLines } = await createTestApp(database.url, {
    INBOUND_WEBHOOK_SECRET: SECRET,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_WEBHOOK_URL: TWILIO_URL,
    INBOUND_SMS_NUMBER: "+15550100999",
  }));
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

function signed(body: string, id = `msg_${randomUUID()}`) {
  const timestamp = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(SECRET).sign(id, timestamp, body),
  };
}

async function codesOf(connectionId: string) {
  return await database.db.select().from(mfaCode).where(eq(mfaCode.connectionId, connectionId));
}

async function connectionWith(values: { smsNumber?: string } = {}) {
  const company = await createCompany(database.db);
  return await createConnection(database.db, company.id, { status: "active", ...values });
}

describe("signed JSON webhooks", () => {
  it("stores a signed email's code, refuses unsigned and replayed deliveries", async () => {
    const conn = await connectionWith();
    const address = `${conn.forwardingKey}@inbound.meterlink.test`;
    const body = JSON.stringify({ to: [address], subject: "Code", text: "Your code is 730192" });

    const unsigned = await app.inject({
      method: "POST",
      url: "/hooks/inbound-email",
      headers: { "content-type": "application/json" },
      payload: body,
    });
    expect(unsigned.statusCode).toBe(401);
    const wrongKey = await app.inject({
      method: "POST",
      url: "/hooks/inbound-email",
      headers: {
        ...signed(body),
        "webhook-signature": new Webhook(`whsec_${randomBytes(24).toString("base64")}`).sign(
          "x",
          new Date(),
          body,
        ),
      },
      payload: body,
    });
    expect(wrongKey.statusCode).toBe(401);
    expect(await codesOf(conn.id)).toEqual([]);

    const headers = signed(body);
    const delivered = await app.inject({
      method: "POST",
      url: "/hooks/inbound-email",
      headers,
      payload: body,
    });
    expect(delivered.statusCode).toBe(202);
    expect(delivered.json()).toEqual({ matched: true, code: true, outcome: "code_stored" });
    // The same signed delivery again (a captured request replayed within the tolerance).
    const replayed = await app.inject({
      method: "POST",
      url: "/hooks/inbound-email",
      headers,
      payload: body,
    });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.message).toMatch(/already received/);
    expect(await codesOf(conn.id)).toHaveLength(1);
    // The code never reaches the log.
    expect(logLines.join("\n")).not.toContain("730192");
  });

  it("refuses a signature older than five minutes", async () => {
    const conn = await connectionWith();
    const body = JSON.stringify({
      to: `${conn.forwardingKey}@inbound.meterlink.test`,
      text: "Your code is 551203",
    });
    const id = `msg_${randomUUID()}`;
    const old = new Date(Date.now() - 10 * 60_000);
    const response = await app.inject({
      method: "POST",
      url: "/hooks/inbound-email",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(old.getTime() / 1000)),
        "webhook-signature": new Webhook(SECRET).sign(id, old, body),
      },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(await codesOf(conn.id)).toEqual([]);
  });

  it("says what to send when the payload is not one it reads", async () => {
    const body = JSON.stringify({ subject: "no recipient" });
    const response = await app.inject({
      method: "POST",
      url: "/hooks/inbound-email",
      headers: signed(body),
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/send \{ to, subject\?, text\?, html\? \}/);
  });
});

describe("Twilio SMS webhook", () => {
  function twilioPost(params: Record<string, string>, signature?: string) {
    return app.inject({
      method: "POST",
      url: "/hooks/twilio/sms",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signature === undefined
          ? {
              "x-twilio-signature": twilio.getExpectedTwilioSignature(
                TWILIO_TOKEN,
                TWILIO_URL,
                params,
              ),
            }
          : signature
            ? { "x-twilio-signature": signature }
            : {}),
      },
      payload: new URLSearchParams(params).toString(),
    });
  }

  it("stores the code of a signed text to a connection's number; unsigned and replayed get 401", async () => {
    const conn = await connectionWith({ smsNumber: "+15550100777" });
    const params = {
      MessageSid: `SM${randomBytes(16).toString("hex")}`,
      AccountSid: `AC${randomBytes(16).toString("hex")}`,
      From: "+13035550142",
      To: "+15550100777",
      Body: "Summit Gas: your verification code is 660914. It expires in 10 minutes.",
    };
    expect((await twilioPost(params, "")).statusCode).toBe(401);
    expect((await twilioPost(params, "bm90IGEgc2lnbmF0dXJl")).statusCode).toBe(401);
    // Signed for other content: the body was tampered with.
    const tampered = await app.inject({
      method: "POST",
      url: "/hooks/twilio/sms",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilio.getExpectedTwilioSignature(TWILIO_TOKEN, TWILIO_URL, params),
      },
      payload: new URLSearchParams({ ...params, Body: "your code is 000000" }).toString(),
    });
    expect(tampered.statusCode).toBe(401);
    expect(await codesOf(conn.id)).toEqual([]);

    const ok = await twilioPost(params);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["content-type"]).toMatch(/text\/xml/);
    expect(ok.body).toContain("<Response>");
    const replayed = await twilioPost(params);
    expect(replayed.statusCode).toBe(401);
    const codes = await codesOf(conn.id);
    expect(codes.map((c) => c.channel)).toEqual(["sms"]);
    expect(codes[0]?.codeEncrypted).not.toContain("660914");
    expect(logLines.join("\n")).not.toContain("660914");
  });

  it("records a text to the shared number that nobody is waiting for as unknown", async () => {
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const response = await twilioPost({
      MessageSid: sid,
      From: "+13035550142",
      To: "+15550100999",
      Body: "Your code is 123987",
    });
    expect(response.statusCode).toBe(200);
    const [row] = await database.db
      .select()
      .from(inboundMessage)
      .where(eq(inboundMessage.deliveryId, `twilio:${sid}`));
    expect(row).toMatchObject({ outcome: "unknown_address", connectionId: null });
  });
});

describe("Resend's inbound emails (email.received)", () => {
  /** Signed the way Svix signs Resend's webhooks: the same scheme, `svix-*` headers. */
  function svixSigned(body: string, id = `msg_${randomUUID()}`) {
    const timestamp = new Date();
    return {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": new Webhook(SECRET).sign(id, timestamp, body),
    };
  }

  /** The event Resend posts once it received a message (EmailReceivedEvent in the SDK). */
  const receivedEvent = (emailId: string, to: string) =>
    JSON.stringify({
      type: "email.received",
      created_at: new Date().toISOString(),
      data: {
        email_id: emailId,
        created_at: new Date().toISOString(),
        from: "Alice <alice@example.com>",
        to: [to],
        bcc: [],
        cc: [],
        received_for: [to],
        message_id: `<${emailId}@example.com>`,
        subject: "Fwd: Your Summit Gas code",
        attachments: [],
      },
    });

  it("reads the message with the Resend SDK and stores its code; unsigned and replayed get 401", async () => {
    const sink = await startMailSink({ port: 0 });
    const api = await createTestApp(database.url, {
      INBOUND_WEBHOOK_SECRET: SECRET,
      RESEND_BASE_URL: sink.url,
    });
    // Resend (here the sink, through the same SDK) takes in what the owner's mailbox forwards.
    const inbox = new Resend("re_test_key", { baseUrl: sink.url });
    const post = (headers: Record<string, string>, payload: string) =>
      api.app.inject({ method: "POST", url: "/hooks/inbound-email", headers, payload });
    try {
      const conn = await connectionWith();
      const address = `${conn.forwardingKey}@inbound.meterlink.test`;
      const forwarded = await inbox.emails.send({
        from: "Alice <alice@example.com>",
        to: address,
        subject: "Fwd: Your Summit Gas code",
        text: "---------- Forwarded message ---------\nYour verification code is 482913.",
      });
      const event = receivedEvent(forwarded.data?.id ?? "", address);

      const unsigned = await post({ "content-type": "application/json" }, event);
      expect(unsigned.statusCode).toBe(401);
      const otherKey = await post(
        {
          ...svixSigned(event),
          "svix-signature": new Webhook(`whsec_${randomBytes(24).toString("base64")}`).sign(
            "x",
            new Date(),
            event,
          ),
        },
        event,
      );
      expect(otherKey.statusCode).toBe(401);
      expect(await codesOf(conn.id)).toEqual([]);

      const headers = svixSigned(event);
      const delivered = await post(headers, event);
      expect(delivered.statusCode).toBe(202);
      expect(delivered.json()).toEqual({ matched: true, code: true, outcome: "code_stored" });
      const replayed = await post(headers, event);
      expect(replayed.statusCode).toBe(401);
      const codes = await codesOf(conn.id);
      expect(codes).toHaveLength(1);
      expect(codes[0]?.codeEncrypted).not.toContain("482913");

      // A forwarded message without a code is recorded with the reason, and ignored.
      const chatter = await inbox.emails.send({
        from: "Alice <alice@example.com>",
        to: address,
        subject: "Fwd: Your bill is ready",
        text: "Your statement is available online.",
      });
      // One event, signed and sent as is (two builds differ in their timestamps).
      const chatterEvent = receivedEvent(chatter.data?.id ?? "", address);
      const noCode = await post(svixSigned(chatterEvent), chatterEvent);
      expect(noCode.json()).toEqual({ matched: true, code: false, outcome: "no_code" });
      expect(await codesOf(conn.id)).toHaveLength(1);

      // Resend cannot find the message: 502 (Resend delivers again), nothing recorded.
      const missingEvent = receivedEvent("00000000-0000-0000-0000-000000000000", address);
      const missing = await post(svixSigned(missingEvent), missingEvent);
      expect(missing.statusCode).toBe(502);
      expect(missing.json().error.message).toMatch(/Resend will deliver it again/);
      const recorded = await database.db
        .select()
        .from(inboundMessage)
        .where(eq(inboundMessage.connectionId, conn.id));
      expect(recorded.map((row) => row.outcome).sort()).toEqual(["code_stored", "no_code"]);
      expect(api.logLines.join("\n")).not.toContain("482913");
    } finally {
      await api.app.close();
      await sink.close();
    }
  });
});

describe("without secrets (dev or test only)", () => {
  it("answers 503 naming the variable to set, never silently accepting", async () => {
    const other = await createTestApp(database.url);
    try {
      const email = await other.app.inject({
        method: "POST",
        url: "/hooks/inbound-email",
        headers: { "content-type": "application/json" },
        payload: "{}",
      });
      expect(email.statusCode).toBe(503);
      expect(email.json().error.message).toMatch(/INBOUND_WEBHOOK_SECRET/);
      const sms = await other.app.inject({
        method: "POST",
        url: "/hooks/twilio/sms",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "To=%2B1",
      });
      expect(sms.statusCode).toBe(503);
      expect(sms.json().error.message).toMatch(/TWILIO_AUTH_TOKEN/);
    } finally {
      await other.app.close();
    }
  });
});

describe("configuration", () => {
  const base = {
    DATABASE_URL: "postgres://localhost/x",
    PUBLIC_URL: "https://app.example.com",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    RESEND_API_KEY: "re_test",
    ...TEST_ENV,
  };
  it("requires the inbound signing secret in production, naming it", () => {
    expect(() => loadApiEnv({ ...base, NODE_ENV: "production" })).toThrow(
      /INBOUND_WEBHOOK_SECRET: is required when NODE_ENV=production/,
    );
    expect(() =>
      loadApiEnv({ ...base, NODE_ENV: "production", INBOUND_WEBHOOK_SECRET: SECRET }),
    ).not.toThrow();
  });
  it("requires Twilio's auth token once an SMS number is shown to recipients", () => {
    expect(() =>
      loadApiEnv({ ...base, NODE_ENV: "development", INBOUND_SMS_NUMBER: "+15550100999" }),
    ).toThrow(/TWILIO_AUTH_TOKEN: is required when INBOUND_SMS_NUMBER is set/);
  });
});

describe("the mail sink's 'Send an SMS' form", () => {
  it("posts a Twilio-signed text the API accepts, as a phone forwarding it would", async () => {
    const port = await freePort();
    const webhookUrl = `http://127.0.0.1:${port}/hooks/twilio/sms`;
    const api = await createTestApp(database.url, {
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_WEBHOOK_URL: webhookUrl,
      INBOUND_SMS_NUMBER: "+15550100999",
    });
    await api.app.listen({ host: "127.0.0.1", port });
    const sink = await startMailSink({
      sms: { webhookUrl, authToken: TWILIO_TOKEN, number: "+15550100888" },
    });
    try {
      const conn = await connectionWith({ smsNumber: "+15550100888" });
      const page = await (await fetch(`${sink.url}/`)).text();
      expect(page).toContain("Send an SMS to a number");
      expect(page).toContain('value="+15550100888"');
      // The form as a browser submits it; the sink answers with the inbox and the outcome.
      const submitted = await fetch(`${sink.url}/sms`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          to: "+1 555 010 0888",
          from: "+13035550142",
          body: "Summit Gas: your verification code is 845120.",
        }).toString(),
      });
      expect(submitted.url).toContain("sms=sent");
      expect(await submitted.text()).toContain("SMS sent");
      const codes = await codesOf(conn.id);
      expect(codes.map((c) => c.channel)).toEqual(["sms"]);
      // Signed with another token, the API refuses it and the page says so.
      const wrong = await startMailSink({
        sms: { webhookUrl, authToken: "f".repeat(32), number: "+15550100888" },
      });
      try {
        const refused = await fetch(`${wrong.url}/sms`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ to: "+15550100888", body: "code 111333" }).toString(),
        });
        expect(await refused.text()).toContain("SMS refused (401)");
      } finally {
        await wrong.close();
      }
      expect(await codesOf(conn.id)).toHaveLength(1);
    } finally {
      await sink.close();
      await api.app.close();
    }
  });
});
