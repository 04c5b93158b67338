import {
  company as companyTable,
  connection,
  connectionSite,
  emailMessage,
  emailVerification,
  invitation,
  invitationConnection,
  invitationEvent,
  invitationRecipient,
  loginSession,
  webhookEndpoint,
  webhookEvent,
} from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnection, createSite, TEST_INBOUND } from "../../../test/factories";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { TEST_TOKEN_KEY, TEST_VAULT_PRIVATE_JWK } from "../../../test/keys";
import { eventually } from "../../../test/processes";
import { decryptSecret, encryptSecret, hashToken, newToken, parseKey } from "../../lib/tokens";
import { openCredential } from "../../lib/vault";
import { forwardingAddressForRecipient, forwardingAddressOf } from "../connections/forwarding";
import { InvitationCache } from "./invitation-cache";
import { NEUTRAL_VERIFICATION_ANSWER } from "./request-verification";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const manual = {
  method: "manual" as const,
  username: "alice@example.com",
  password: "correct-horse-1",
};

async function eventTypes(invitationId: string) {
  const rows = await database.db
    .select({ type: invitationEvent.type })
    .from(invitationEvent)
    .where(eq(invitationEvent.invitationId, invitationId))
    .orderBy(invitationEvent.id);
  return rows.map((row) => row.type);
}

describe("recipient.open", () => {
  it("gives the page what it needs and records one view per browser", async () => {
    const { caller, company } = await adminWorld(database.db, {
      displayName: "Harbor Homes",
      primaryColor: "#112233",
    });
    const site = await createSite(database.db, company.id, "Harbor tower");
    const created = await caller.admin.invitations.create(
      manualContributor({
        prefill: { siteIds: [site.id], utilityTypes: ["gas"], country: "US" },
      } as never),
    );
    const browser = recipientBrowser(database.db);
    const page = await browser.caller.recipient.open({ token: tokenOf(created.url) });
    expect(page.company).toMatchObject({
      displayName: "Harbor Homes",
      primaryColor: "#112233",
      whiteLabel: false,
    });
    expect(page.kind).toBe("contributor");
    expect(page.verification).toEqual({ required: false, verified: true, email: null });
    expect(page.prefill).toMatchObject({
      siteIds: [site.id],
      utilityTypes: ["gas"],
      country: "US",
    });
    expect(page.sites.map((s) => s.name)).toEqual(["Harbor tower"]);
    expect(page.steps).toEqual(["consent", "provider", "sign-in", "sites", "done"]);
    await browser.caller.recipient.open({ token: tokenOf(created.url) });
    await recipientBrowser(database.db).caller.recipient.open({ token: tokenOf(created.url) });
    expect((await eventTypes(created.id)).filter((t) => t === "viewed")).toHaveLength(2);
  });

  it("answers unknown, revoked, expired and used-up links each in their own words", async () => {
    const { caller } = await adminWorld(database.db, { displayName: "Secret Co" });
    const browser = recipientBrowser(database.db);
    const open = (token: string) =>
      browser.caller.recipient.open({ token }).catch((e: unknown) => e);

    const unknown = await open(newToken());
    expect(unknown).toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/not valid/),
    });

    const revoked = await caller.admin.invitations.create(manualContributor());
    await caller.admin.invitations.revoke({ id: revoked.id });
    expect(await open(tokenOf(revoked.url))).toMatchObject({
      message: expect.stringMatching(/cancelled/),
    });

    const expired = await caller.admin.invitations.create(manualContributor());
    await database.db
      .update(invitation)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(invitation.id, expired.id));
    expect(await open(tokenOf(expired.url))).toMatchObject({
      message: expect.stringMatching(/expired/),
    });

    const used = await caller.admin.invitations.create(manualContributor());
    await database.db.update(invitation).set({ uses: 1 }).where(eq(invitation.id, used.id));
    const usedError = await open(tokenOf(used.url));
    expect(usedError).toMatchObject({ message: expect.stringMatching(/already been used/) });
    for (const error of [unknown, usedError])
      expect(String((error as Error).message)).not.toContain("Secret Co");
  });

  it("resolves legacy magic links into the same flow", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    await database.db.update(invitation).set({ legacy: true }).where(eq(invitation.id, created.id));
    const page = await recipientBrowser(database.db).caller.recipient.open({
      token: tokenOf(created.url),
    });
    expect(page.legacy).toBe(true);
    expect((await caller.admin.invitations.get({ id: created.id })).legacy).toBe(true);
  });
});

describe("the invitation cache behind recipient calls", () => {
  it("serves a link from the cache, and a revoked link stops opening at once", async () => {
    const cache = new InvitationCache();
    const { caller } = await adminWorld(database.db, {}, { invitationCache: cache });
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: null }));
    const token = tokenOf(created.url);
    await recipientBrowser(database.db, { invitationCache: cache }).caller.recipient.open({
      token,
    });
    // Served from the cache: a change no revocation announced is not seen yet.
    await database.db
      .update(invitation)
      .set({ message: "changed behind the cache" })
      .where(eq(invitation.id, created.id));
    const cached = await recipientBrowser(database.db, {
      invitationCache: cache,
    }).caller.recipient.open({ token });
    expect(cached.message).toBeNull();

    await caller.admin.invitations.revoke({ id: created.id });
    await expect(
      recipientBrowser(database.db, { invitationCache: cache }).caller.recipient.open({ token }),
    ).rejects.toThrow(/cancelled/);
  });

  it("a link revoked through another API replica stops opening from this one's cache", async () => {
    // A TTL longer than the wait: only the notification can drop the entry in time.
    const here = new InvitationCache({ ttlMs: 60_000 });
    await here.listen(database.db);
    try {
      // The admin's replica has its own cache; only PostgreSQL connects the two.
      const { caller } = await adminWorld(
        database.db,
        {},
        { invitationCache: new InvitationCache() },
      );
      const created = await caller.admin.invitations.create(manualContributor({ maxUses: null }));
      const token = tokenOf(created.url);
      const open = () =>
        recipientBrowser(database.db, { invitationCache: here }).caller.recipient.open({ token });
      await open();
      await caller.admin.invitations.revoke({ id: created.id });
      await eventually(() => expect(open()).rejects.toThrow(/cancelled/), { timeoutMs: 5_000 });
    } finally {
      await here.close();
    }
  });

  it("a link used up by a completion stops opening from the cache", async () => {
    const cache = new InvitationCache();
    const { caller } = await adminWorld(database.db, {}, { invitationCache: cache });
    const created = await caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db, { invitationCache: cache });
    await browser.caller.recipient.open({ token });
    await browser.caller.recipient.consent({ token });
    await browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "City Power", country: "US" },
      credential: manual,
      siteIds: [],
      utilityTypes: ["electricity"],
    });
    await expect(
      recipientBrowser(database.db, { invitationCache: cache }).caller.recipient.open({ token }),
    ).rejects.toThrow(/already been used/);
  });
});

describe("recipient.embedTarget", () => {
  it("names the host page's origin only when the link's company allows it", async () => {
    const { caller, company } = await adminWorld(database.db, { displayName: "Embed Co" });
    await database.db
      .update(companyTable)
      .set({ allowedFrameOrigins: ["https://portal.example.com"] })
      .where(eq(companyTable.id, company.id));
    const created = await caller.admin.invitations.create(manualContributor());
    await caller.admin.invitations.revoke({ id: created.id });
    const { caller: recipient } = recipientBrowser(database.db);
    const target = (token: string, origin: string) =>
      recipient.recipient.embedTarget({ token, origin });

    // A dead link still reports its `error` to its own company's page.
    await expect(target(tokenOf(created.url), "https://portal.example.com/")).resolves.toEqual({
      origin: "https://portal.example.com",
    });
    for (const origin of ["https://evil.example", "https://portal.example.com.evil", "*", ""]) {
      await expect(target(tokenOf(created.url), origin)).resolves.toEqual({ origin: null });
    }
    await expect(target(newToken(), "https://portal.example.com")).resolves.toEqual({
      origin: null,
    });
  });
});

describe("email verification", () => {
  it("sends a link only to allowed addresses, with the same answer for everyone", async () => {
    const { caller, company } = await adminWorld(database.db);
    await createSite(database.db, company.id);
    const created = await caller.admin.invitations.create(
      manualContributor({ allowedEmails: ["pm@harbor.test"] }),
    );
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    const page = await browser.caller.recipient.open({ token });
    expect(page.verification).toEqual({ required: true, verified: false, email: null });
    expect(page.sites).toEqual([]);
    expect(page.steps).toContain("verify");

    const stranger = await browser.caller.recipient.requestVerification({
      token,
      email: "thief@evil.test",
    });
    const allowed = await browser.caller.recipient.requestVerification({
      token,
      email: "PM@harbor.test",
    });
    expect(stranger).toEqual(allowed);
    expect(allowed.message).toBe(NEUTRAL_VERIFICATION_ANSWER);
    const emails = await database.db
      .select()
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, created.id));
    expect(emails.map((e) => [e.kind, e.to])).toEqual([["verification", "pm@harbor.test"]]);
    expect(browser.jobs.emails).toEqual([emails[0]?.id]);

    await expect(
      browser.caller.recipient.complete({
        token,
        provider: { kind: "manual", name: "City Power" },
        credential: manual,
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/Confirm your email/) });

    // The person clicks the link in the email, on their phone: a different browser.
    const code = decryptSecret(String(emails[0]?.payload.codeCiphertext), parseKey(TEST_TOKEN_KEY));
    const phone = recipientBrowser(database.db);
    expect(await phone.caller.recipient.verifyEmail({ token, code })).toEqual({
      verified: true,
      email: "pm@harbor.test",
    });
    // The phone that opened the link goes on and sees the sites; the first tab stays
    // unverified (asking for an email proves nothing about who reads it).
    const onPhone = await phone.caller.recipient.open({ token });
    expect(onPhone.verification).toEqual({
      required: true,
      verified: true,
      email: "pm@harbor.test",
    });
    expect(onPhone.sites).toHaveLength(1);
    const firstTab = await browser.caller.recipient.open({ token });
    expect(firstTab.verification.verified).toBe(false);
    await expect(phone.caller.recipient.verifyEmail({ token, code })).rejects.toThrow(
      /already used/,
    );
    expect(await eventTypes(created.id)).toEqual([
      "created",
      "viewed",
      "verification_sent",
      "email_verified",
    ]);
  });

  it("skips verification for a platform-sent link carrying proof of the address", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create({
      kind: "contributor",
      allowedEmails: ["pm@harbor.test"],
      delivery: { kind: "email", recipients: ["pm@harbor.test"] },
    });
    const [recipient] = await database.db
      .select()
      .from(invitationRecipient)
      .where(eq(invitationRecipient.invitationId, created.id));
    const proof = decryptSecret(recipient?.proofCiphertext ?? "", parseKey(TEST_TOKEN_KEY));
    const page = await recipientBrowser(database.db).caller.recipient.open({
      token: tokenOf(created.url),
      proof,
    });
    expect(page.verification).toEqual({ required: true, verified: true, email: "pm@harbor.test" });
    // A made-up proof proves nothing.
    const forged = await recipientBrowser(database.db).caller.recipient.open({
      token: tokenOf(created.url),
      proof: newToken(),
    });
    expect(forged.verification.verified).toBe(false);
  });
});

describe("recipient.complete", () => {
  it("creates a pending connection with sealed credentials, sites and history, and fulfils the invitation", async () => {
    const { caller, company } = await adminWorld(database.db);
    const site = await createSite(database.db, company.id);
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: 1 }));
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    await browser.caller.recipient.open({ token });
    await expect(
      browser.caller.recipient.complete({
        token,
        provider: { kind: "manual", name: "City Power" },
        credential: manual,
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/agree to share/) });
    await browser.caller.recipient.consent({ token });

    // Nothing is stored before complete.
    expect(
      await database.db.select().from(connection).where(eq(connection.companyId, company.id)),
    ).toHaveLength(0);
    const done = await browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "City Power", country: "US" },
      credential: { ...manual, notes: "account 42" },
      siteIds: [site.id],
      utilityTypes: ["electricity"],
      ownerEmail: "owner@example.test",
      collectionStartDate: "2026-01-01",
    });
    expect(browser.jobs.connections).toEqual([done.connectionId]);
    const [row] = await database.db
      .select()
      .from(connection)
      .where(eq(connection.id, done.connectionId));
    expect(row).toMatchObject({
      status: "pending",
      providerName: "City Power",
      ownerEmail: "owner@example.test",
      utilityTypes: ["electricity"],
    });
    expect(row?.sealedCredential).not.toContain("correct-horse-1");
    // Only the vault's private key opens it.
    expect(await openCredential(row?.sealedCredential ?? "", TEST_VAULT_PRIVATE_JWK)).toMatchObject(
      {
        username: "alice@example.com",
        password: "correct-horse-1",
        notes: "account 42",
      },
    );
    const links = await database.db
      .select()
      .from(connectionSite)
      .where(eq(connectionSite.connectionId, done.connectionId));
    expect(links.map((l) => l.siteId)).toEqual([site.id]);
    const detail = await caller.admin.invitations.get({ id: created.id });
    expect(detail.status).toBe("fulfilled");
    expect(detail.uses).toBe(1);
    expect(detail.connections.map((c) => [c.id, c.action])).toEqual([
      [done.connectionId, "created"],
    ]);
    expect(detail.events.map((e) => e.type)).toEqual([
      "created",
      "viewed",
      "manual_entry",
      "submitted",
      "connection_created",
      "fulfilled",
    ]);
    await expect(browser.caller.recipient.open({ token })).rejects.toThrow(/already been used/);
  });

  it("lets a recipient who stopped half-way start again while uses remain", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: 2 }));
    const token = tokenOf(created.url);
    const first = recipientBrowser(database.db);
    await first.caller.recipient.open({ token });
    await first.caller.recipient.consent({ token });
    // Gave up; later, on another device:
    const second = recipientBrowser(database.db);
    await second.caller.recipient.open({ token });
    await second.caller.recipient.consent({ token });
    await second.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "Gas Co" },
      credential: manual,
    });
    expect((await caller.admin.invitations.get({ id: created.id })).status).toBe("active");
    await first.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "Water Co" },
      credential: manual,
    });
    expect((await caller.admin.invitations.get({ id: created.id })).status).toBe("fulfilled");
  });

  it("reconnect replaces the credential, sets pending and keeps sites and history", async () => {
    const { caller, company } = await adminWorld(database.db);
    const site = await createSite(database.db, company.id);
    const target = await createConnection(database.db, company.id, {
      sealedCredential: "old",
      siteIds: [site.id],
    });
    const created = await caller.admin.invitations.create({
      kind: "reconnect",
      targetConnectionId: target.id,
      delivery: { kind: "manual" },
    });
    await database.db.insert(webhookEndpoint).values({
      companyId: company.id,
      url: "https://hooks.example.test/in",
      secretCiphertext: "x",
    });
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    const page = await browser.caller.recipient.open({ token });
    expect(page.steps).toEqual(["consent", "sign-in", "done"]);
    await browser.caller.recipient.consent({ token });
    const done = await browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "ignored" },
      credential: manual,
    });
    expect(done.connectionId).toBe(target.id);
    const [row] = await database.db.select().from(connection).where(eq(connection.id, target.id));
    expect(row).toMatchObject({
      status: "pending",
      statusReason: null,
      providerName: "City Water",
    });
    expect(row?.sealedCredential).not.toBe("old");
    expect(
      await database.db
        .select()
        .from(connectionSite)
        .where(eq(connectionSite.connectionId, target.id)),
    ).toHaveLength(1);
    const [link] = await database.db
      .select()
      .from(invitationConnection)
      .where(eq(invitationConnection.invitationId, created.id));
    // Subscribers hear that the connection left its error state.
    const hooks = await database.db
      .select()
      .from(webhookEvent)
      .where(eq(webhookEvent.companyId, company.id));
    expect(
      hooks.map((h) => [h.type, h.data.previousStatus ?? null, h.data.status ?? null]),
    ).toContainEqual(["connection.status_changed", "error", "pending"]);
    expect(link?.action).toBe("updated");
    expect(
      await database.db.select().from(connection).where(eq(connection.companyId, company.id)),
    ).toHaveLength(1);
  });

  it("uses the credential sealed by the worker after a live sign-in, only for that browser", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: 3 }));
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    await browser.caller.recipient.open({ token });
    await browser.caller.recipient.consent({ token });
    const [session] = await database.db
      .select()
      .from(invitation)
      .where(eq(invitation.id, created.id));
    const recipientSessionRow = await database.db.query.recipientSession.findFirst({
      where: (rs, { eq: equals }) => equals(rs.invitationId, created.id),
    });
    const [login] = await database.db
      .insert(loginSession)
      .values({
        invitationId: session?.id,
        recipientSessionId: recipientSessionRow?.id,
        outcome: "success",
        sealedCredential: "sealed-by-worker",
      })
      .returning();
    const other = recipientBrowser(database.db);
    await other.caller.recipient.open({ token });
    await other.caller.recipient.consent({ token });
    const live = { method: "live" as const, loginSessionId: login?.id ?? "" };
    await expect(
      other.caller.recipient.complete({
        token,
        provider: { kind: "manual", name: "X Power" },
        credential: live,
      }),
    ).rejects.toThrow(/did not see a successful sign-in/);
    const done = await browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "X Power" },
      credential: live,
    });
    const [row] = await database.db
      .select()
      .from(connection)
      .where(eq(connection.id, done.connectionId));
    expect(row?.sealedCredential).toBe("sealed-by-worker");
  });

  it("with max uses 1, twenty parallel completions create exactly one connection", async () => {
    const { caller, company } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: 1 }));
    const token = tokenOf(created.url);
    const browsers = Array.from({ length: 20 }, () => recipientBrowser(database.db));
    for (const browser of browsers) {
      await browser.caller.recipient.open({ token });
      await browser.caller.recipient.consent({ token });
    }
    const results = await Promise.allSettled(
      browsers.map((browser) =>
        browser.caller.recipient.complete({
          token,
          provider: { kind: "manual", name: "Race Power" },
          credential: manual,
        }),
      ),
    );
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(String(r.reason.message)).toMatch(/already been used/);
    expect(
      await database.db.select().from(connection).where(eq(connection.companyId, company.id)),
    ).toHaveLength(1);
    const [row] = await database.db.select().from(invitation).where(eq(invitation.id, created.id));
    expect(row?.uses).toBe(1);
    expect((await eventTypes(created.id)).filter((t) => t === "fulfilled")).toHaveLength(1);
  });

  it("refuses a completion after the invitation was revoked mid-flow", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    await browser.caller.recipient.open({ token });
    await browser.caller.recipient.consent({ token });
    await caller.admin.invitations.revoke({ id: created.id });
    await expect(
      browser.caller.recipient.complete({
        token,
        provider: { kind: "manual", name: "X Power" },
        credential: manual,
      }),
    ).rejects.toThrow(/cancelled/);
    const links = await database.db
      .select()
      .from(invitationConnection)
      .where(eq(invitationConnection.invitationId, created.id));
    expect(links).toHaveLength(0);
  });

  it("refuses sites from another company", async () => {
    const { caller } = await adminWorld(database.db);
    const other = await adminWorld(database.db);
    const foreign = await createSite(database.db, other.company.id);
    const created = await caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    await browser.caller.recipient.open({ token });
    await browser.caller.recipient.consent({ token });
    await expect(
      browser.caller.recipient.complete({
        token,
        provider: { kind: "manual", name: "X Power" },
        credential: manual,
        siteIds: [foreign.id],
      }),
    ).rejects.toThrow(/not available/);
    expect((await caller.admin.invitations.get({ id: created.id })).uses).toBe(0);
  });
});

describe("MFA forwarding address before the connection exists", () => {
  it("is reserved by the recipient's session and carried by the connection it creates", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor({ maxUses: 2 }));
    const token = tokenOf(created.url);
    const browser = recipientBrowser(database.db);
    await browser.caller.recipient.open({ token });
    await browser.caller.recipient.consent({ token });
    const session = await database.db.query.recipientSession.findFirst({
      where: (rs, { eq: equals }) => equals(rs.invitationId, created.id),
    });
    const shown = await forwardingAddressForRecipient(
      database.db,
      TEST_INBOUND,
      session?.id ?? null,
    );
    expect(shown).toMatch(/^c-[0-9a-f]{12}@/);
    // Asking again (the page polls) shows the same address.
    expect(
      await forwardingAddressForRecipient(database.db, TEST_INBOUND, session?.id ?? null),
    ).toBe(shown);
    const first = await browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "Gas Co" },
      credential: manual,
    });
    const [row] = await database.db
      .select()
      .from(connection)
      .where(eq(connection.id, first.connectionId));
    expect(row && forwardingAddressOf(TEST_INBOUND, row.forwardingKey)).toBe(shown);
    // A second account from the same browser gets an address of its own.
    const second = await browser.caller.recipient.complete({
      token,
      provider: { kind: "manual", name: "Water Co" },
      credential: manual,
    });
    const [other] = await database.db
      .select()
      .from(connection)
      .where(eq(connection.id, second.connectionId));
    expect(other && forwardingAddressOf(TEST_INBOUND, other.forwardingKey)).not.toBe(shown);
  });
});

// Unused-import guard for helpers used only in some branches.
void [and, emailVerification, encryptSecret, hashToken];
