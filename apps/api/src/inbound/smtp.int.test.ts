// Forwarded code emails through the real inbound SMTP listener: nodemailer speaks SMTP to
// it as a mailbox's forwarding rule would; the code reaches the connection whose address
// it was sent to, stored encrypted; messages without one code, or for an address we do
// not know, are recorded with a reason in the connection's forwarding activity.
import { inboundMessage, mfaCode } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq, isNull } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminSessionOf,
  callerFor,
  createAdminUser,
  createCompany,
  createConnection,
  silentLog,
  TEST_INBOUND,
} from "../../test/factories";
import { TEST_TOKEN_KEY } from "../../test/keys";
import { eventually } from "../../test/processes";
import { decryptSecret, parseKey } from "../lib/tokens";
import { forwardingOf } from "../services/connections/forwarding";
import { startInboundSmtp, type TInboundSmtp } from "./smtp";

let database: TTestDatabase;
let smtp: TInboundSmtp;
const tokenKey = parseKey(TEST_TOKEN_KEY);

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startInboundSmtp(
    { db: database.db, log: silentLog, tokenKey, inbound: TEST_INBOUND },
    { host: "127.0.0.1", port: 0 },
  );
});

afterAll(async () => {
  await smtp?.close();
  await database?.close();
});

function mailer() {
  return nodemailer.createTransport({ host: "127.0.0.1", port: smtp.port, secure: false });
}

async function world() {
  const company = await createCompany(database.db);
  const admin = await createAdminUser(database.db, company.id);
  const caller = callerFor(database.db, adminSessionOf(admin));
  const conn = await createConnection(database.db, company.id, { status: "active" });
  return { caller, conn, address: forwardingOf(TEST_INBOUND, conn).email };
}

describe("inbound SMTP", () => {
  it("delivers a forwarded code email to the connection whose address it was sent to", async () => {
    const { caller, conn, address } = await world();
    const other = await world();
    await mailer().sendMail({
      from: "Alice <alice@example.com>",
      to: address,
      subject: "Fwd: Your Lakeside security code",
      text: "---------- Forwarded message ---------\nFrom: Lakeside <no-reply@lakeside.test>\n\nYour security code is 318274. It expires in 10 minutes.",
    });
    const [stored] = await eventually(async () => {
      const rows = await database.db
        .select()
        .from(mfaCode)
        .where(eq(mfaCode.connectionId, conn.id));
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(stored?.channel).toBe("email");
    expect(stored?.consumedAt).toBeNull();
    // Encrypted at rest: a dump of the table yields no code.
    expect(stored?.codeEncrypted).not.toContain("318274");
    expect(decryptSecret(stored?.codeEncrypted ?? "", tokenKey)).toBe("318274");
    const view = await caller.admin.connections.get({ id: conn.id });
    expect(view.forwarding.messages.map((m) => [m.channel, m.outcome])).toEqual([
      ["email", "code_stored"],
    ]);
    // Nothing reached the other connection.
    const otherView = await other.caller.admin.connections.get({ id: other.conn.id });
    expect(otherView.forwarding.messages).toEqual([]);
  });

  it("records messages with no code or several codes with the reason, and stores no code", async () => {
    const { caller, conn, address } = await world();
    await mailer().sendMail({
      from: "alice@example.com",
      to: address,
      subject: "Your bill is ready",
      text: "Your December bill is ready to view online.",
    });
    await mailer().sendMail({
      from: "alice@example.com",
      to: address,
      subject: "Codes",
      text: "Your code is 111222. Your previous code 333444 no longer works.",
    });
    const view = await eventually(async () => {
      const found = await caller.admin.connections.get({ id: conn.id });
      expect(found.forwarding.messages).toHaveLength(2);
      return found;
    });
    expect(view.forwarding.messages.map((m) => m.outcome).sort()).toEqual([
      "no_code",
      "several_codes",
    ]);
    expect(view.forwarding.messages.find((m) => m.outcome === "no_code")?.message).toMatch(
      /no code/,
    );
    expect(view.forwarding.messages.find((m) => m.outcome === "several_codes")?.message).toMatch(
      /several different codes/,
    );
    expect(
      await database.db.select().from(mfaCode).where(eq(mfaCode.connectionId, conn.id)),
    ).toEqual([]);
  });

  it("records mail for an unknown address at our domain and refuses other domains", async () => {
    await mailer().sendMail({
      from: "alice@example.com",
      to: `c-000000nobody@${TEST_INBOUND.emailDomain}`,
      subject: "code",
      text: "Your code is 424242",
    });
    await eventually(async () => {
      const rows = await database.db
        .select()
        .from(inboundMessage)
        .where(eq(inboundMessage.addressedTo, `c-000000nobody@${TEST_INBOUND.emailDomain}`));
      expect(rows.map((r) => [r.outcome, r.connectionId])).toEqual([["unknown_address", null]]);
    });
    // Never an open relay: anything outside the forwarding domain is refused.
    await expect(
      mailer().sendMail({ from: "a@example.com", to: "someone@example.org", text: "hi" }),
    ).rejects.toThrow(/550|only receives mail for @inbound\.meterlink\.test/);
    // No code was kept for anybody.
    expect(await database.db.select().from(mfaCode).where(isNull(mfaCode.consumedAt))).toHaveLength(
      1,
    );
  });
});
