// Resend's delivery webhooks through the real app: signed with the Svix scheme, recorded
// on the email row and in the invitation's activity log, refused when not signed.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { emailMessage } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../test/app";
import { adminSessionOf, callerFor, createAdminUser, createCompany } from "../../test/factories";
import type { TApp } from "../app";

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;

let database: TTestDatabase;
let app: TApp;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app } = await createTestApp(database.url, { RESEND_WEBHOOK_SECRET: SECRET }));
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

function signed(body: string, options: { secret?: string; at?: Date } = {}) {
  const id = `msg_${randomUUID()}`;
  const timestamp = String(Math.floor((options.at ?? new Date()).getTime() / 1000));
  const key = Buffer.from((options.secret ?? SECRET).replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": `v1,${signature}`,
  };
}

async function post(
  type: string,
  emailId: string,
  extra: Record<string, unknown> = {},
  options = {},
) {
  const body = JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: { email_id: emailId, to: ["someone@example.test"], ...extra },
  });
  return app.inject({ method: "POST", url: "/hooks/resend", headers: signed(body, options), body });
}

/** An invitation whose one email the provider accepted as `providerId`. */
async function sentEmail() {
  const company = await createCompany(database.db);
  const admin = await createAdminUser(database.db, company.id);
  const caller = callerFor(database.db, adminSessionOf(admin));
  const created = await caller.admin.invitations.create({
    kind: "contributor",
    delivery: { kind: "email", recipients: [`to-${randomUUID().slice(0, 8)}@example.test`] },
  });
  const providerId = randomUUID();
  await database.db
    .update(emailMessage)
    .set({ status: "sent", providerMessageId: providerId, sentAt: new Date() })
    .where(eq(emailMessage.invitationId, created.id));
  const row = async () => {
    const [found] = await database.db
      .select()
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, created.id));
    return found;
  };
  const events = async () =>
    (await caller.admin.invitations.get({ id: created.id })).events.map((event) => event.type);
  return { providerId, row, events };
}

describe("POST /hooks/resend", () => {
  it("records delivered once, however often Resend redelivers it", async () => {
    const email = await sentEmail();
    expect((await post("email.delivered", email.providerId)).statusCode).toBe(204);
    expect((await post("email.delivered", email.providerId)).statusCode).toBe(204);
    expect((await email.row())?.status).toBe("delivered");
    expect((await email.events()).filter((type) => type === "email_delivered")).toHaveLength(1);
  });

  it("records a bounce with the mail server's reason", async () => {
    const email = await sentEmail();
    await post("email.delivered", email.providerId);
    const response = await post("email.bounced", email.providerId, {
      bounce: { message: "550 5.1.1 mailbox does not exist", type: "Permanent" },
    });
    expect(response.statusCode).toBe(204);
    const row = await email.row();
    expect(row?.status).toBe("bounced");
    expect(row?.failureReason).toContain("550 5.1.1 mailbox does not exist");
    expect((await email.events()).at(-1)).toBe("email_bounced");
  });

  it("records a spam complaint", async () => {
    const email = await sentEmail();
    await post("email.complained", email.providerId);
    expect((await email.row())?.status).toBe("complained");
    expect((await email.events()).at(-1)).toBe("email_complained");
  });

  it("refuses an unsigned, wrongly signed or stale request and changes nothing", async () => {
    const email = await sentEmail();
    const body = JSON.stringify({ type: "email.bounced", data: { email_id: email.providerId } });
    const unsigned = await app.inject({
      method: "POST",
      url: "/hooks/resend",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(unsigned.statusCode).toBe(401);
    const wrongKey = `whsec_${randomBytes(24).toString("base64")}`;
    expect(
      (await post("email.bounced", email.providerId, {}, { secret: wrongKey })).statusCode,
    ).toBe(401);
    const stale = new Date(Date.now() - 10 * 60 * 1000);
    expect((await post("email.bounced", email.providerId, {}, { at: stale })).statusCode).toBe(401);
    expect((await email.row())?.status).toBe("sent");
  });

  it("acknowledges events it does not track", async () => {
    const email = await sentEmail();
    expect((await post("email.opened", email.providerId)).statusCode).toBe(204);
    expect((await email.row())?.status).toBe("sent");
  });
});
