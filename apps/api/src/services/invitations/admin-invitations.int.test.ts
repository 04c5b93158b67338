import { connection, emailMessage, invitation, invitationEvent } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnection, createSite } from "../../../test/factories";
import { adminWorld, manualContributor, tokenOf } from "../../../test/invitations";
import { fieldsOf } from "../../errors";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function invitationCount() {
  const [row] = await database.db.select({ n: count() }).from(invitation);
  return row?.n ?? 0;
}

describe("admin.invitations.create", () => {
  it("creates a contributor invitation with prefill, a working link and a created event", async () => {
    const { caller, company } = await adminWorld(database.db);
    const harbor = await createSite(database.db, company.id, "Harbor");
    const created = await caller.admin.invitations.create({
      kind: "contributor",
      allowedEmails: ["Manager@Harbor.test"],
      expiry: { kind: "duration", days: 7 },
      maxUses: 1,
      prefill: {
        country: "US",
        siteIds: [harbor.id],
        utilityTypes: ["electricity"],
        ownerEmail: "owner@harbor.test",
        collectionStartDate: "2026-01-01",
      },
      delivery: { kind: "manual" },
    });
    expect(created.url).toMatch(/^http:\/\/localhost:3000\/p\/i\/[A-Za-z0-9_-]{43}$/);
    const detail = await caller.admin.invitations.get({ id: created.id });
    expect(detail.status).toBe("active");
    expect(detail.url).toBe(created.url);
    expect(detail.allowedEmails).toEqual(["manager@harbor.test"]);
    expect(detail.prefill.siteIds).toEqual([harbor.id]);
    expect(new Date(detail.expiresAt ?? 0).getTime()).toBeGreaterThan(
      Date.now() + 6.9 * 86_400_000,
    );
    expect(detail.events.map((e) => e.type)).toEqual(["created"]);
    expect(detail.events[0]?.ip).toBe("203.0.113.0");
  });

  it("keeps only a hash and an encrypted copy of the token", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const rows = await database.db.execute(`select * from invitation where id = '${created.id}'`);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("queues one email per recipient in the same transaction, with events", async () => {
    const { caller, jobs } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create({
      kind: "contributor",
      delivery: {
        kind: "email",
        recipients: ["a@example.test", "b@example.test", "A@example.test"],
      },
    });
    const emails = await database.db
      .select()
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, created.id));
    expect(emails.map((e) => e.to).sort()).toEqual(["a@example.test", "b@example.test"]);
    expect(emails.every((e) => e.status === "queued")).toBe(true);
    expect(jobs.emails.sort()).toEqual(emails.map((e) => e.id).sort());
    const detail = await caller.admin.invitations.get({ id: created.id });
    expect(detail.events.map((e) => e.type)).toEqual(["created", "email_queued", "email_queued"]);
  });

  it("creates a reconnect invitation for one of the company's connections", async () => {
    const { caller, company } = await adminWorld(database.db);
    const site = await createSite(database.db, company.id);
    const target = await createConnection(database.db, company.id, { siteIds: [site.id] });
    const created = await caller.admin.invitations.create({
      kind: "reconnect",
      targetConnectionId: target.id,
      delivery: { kind: "manual" },
      expiry: { kind: "duration", days: 7 },
    });
    const detail = await caller.admin.invitations.get({ id: created.id });
    expect(detail.kind).toBe("reconnect");
    expect(detail.targetConnectionId).toBe(target.id);
    expect(detail.prefill.siteIds).toEqual([site.id]);
  });

  it.each([
    ["an invalid email", { allowedEmails: ["not-an-email"] }, "allowedEmails.0", /valid email/],
    [
      "a past expiry date",
      { expiry: { kind: "date", at: "2020-01-01T00:00:00Z" } },
      "expiry.at",
      /in the past/,
    ],
    ["max uses below 1", { maxUses: 0 }, "maxUses", /at least 1/],
    [
      "email delivery without recipients",
      { delivery: { kind: "email", recipients: [] } },
      "delivery.recipients",
      /at least one/,
    ],
    [
      "an unknown provider",
      { prefill: { providerId: "no-such-utility" } },
      "prefill.providerId",
      /not in the catalog/,
    ],
  ])(
    "refuses %s with a field error and writes nothing",
    async (_name, overrides, path, message) => {
      const { caller } = await adminWorld(database.db);
      const before = await invitationCount();
      const error = await caller.admin.invitations
        .create(manualContributor(overrides as never))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "BAD_REQUEST" });
      const field = fieldsOf(error).find((f) => f.path === path);
      expect(field?.message).toMatch(message);
      expect(await invitationCount()).toBe(before);
    },
  );

  it("refuses another company's connection and sites", async () => {
    const mine = await adminWorld(database.db);
    const theirs = await adminWorld(database.db);
    const theirSite = await createSite(database.db, theirs.company.id);
    const [theirConnection] = await database.db
      .insert(connection)
      .values({ companyId: theirs.company.id, providerName: "Other" })
      .returning();
    const before = await invitationCount();
    await expect(
      mine.caller.admin.invitations.create({
        kind: "reconnect",
        targetConnectionId: theirConnection?.id ?? "",
        delivery: { kind: "manual" },
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/not found in your company/),
    });
    await expect(
      mine.caller.admin.invitations.create(
        manualContributor({ prefill: { siteIds: [theirSite.id] } } as never),
      ),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/not in your company/),
    });
    expect(await invitationCount()).toBe(before);
  });
});

describe("admin.invitations list, resend, revoke", () => {
  it("keeps the admin's name for an invitation, lists and finds it by it, and refuses a long one", async () => {
    const { caller } = await adminWorld(database.db);
    const named = await caller.admin.invitations.create(
      manualContributor({ name: "  Harbor View boiler room  " }),
    );
    const unnamed = await caller.admin.invitations.create(manualContributor({ name: "" }));
    expect((await caller.admin.invitations.get({ id: named.id })).name).toBe(
      "Harbor View boiler room",
    );
    expect((await caller.admin.invitations.get({ id: unnamed.id })).name).toBeNull();
    const found = await caller.admin.invitations.list({ search: "boiler" });
    expect(found.items.map((i) => [i.id, i.name])).toEqual([[named.id, "Harbor View boiler room"]]);
    const before = await invitationCount();
    const refused = await caller.admin.invitations
      .create(manualContributor({ name: "x".repeat(121) }))
      .catch((error: unknown) => error);
    expect(fieldsOf(refused)).toEqual([
      { path: "name", message: "A name can be at most 120 characters." },
    ]);
    expect(await invitationCount()).toBe(before);
  });

  it("lists newest first with status filters, counts, search and pages", async () => {
    const { caller } = await adminWorld(database.db);
    const a = await caller.admin.invitations.create(
      manualContributor({ message: "For the Harbor tower" }),
    );
    const b = await caller.admin.invitations.create(
      manualContributor({ allowedEmails: ["ops@maple.test"] }),
    );
    const c = await caller.admin.invitations.create(manualContributor());
    await caller.admin.invitations.revoke({ id: c.id });
    await database.db
      .update(invitation)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitation.id, b.id));

    const all = await caller.admin.invitations.list({});
    expect(all.items.map((i) => i.id)).toEqual([c.id, b.id, a.id]);
    expect(all.counts).toMatchObject({ all: 3, active: 1, expired: 1, revoked: 1, fulfilled: 0 });
    expect(
      (await caller.admin.invitations.list({ status: "active" })).items.map((i) => i.id),
    ).toEqual([a.id]);
    expect(
      (await caller.admin.invitations.list({ status: "expired" })).items.map((i) => i.id),
    ).toEqual([b.id]);
    expect(
      (await caller.admin.invitations.list({ status: "revoked" })).items.map((i) => i.id),
    ).toEqual([c.id]);
    expect(
      (await caller.admin.invitations.list({ search: "maple" })).items.map((i) => i.id),
    ).toEqual([b.id]);
    expect(
      (await caller.admin.invitations.list({ search: "harbor" })).items.map((i) => i.id),
    ).toEqual([a.id]);
    const page2 = await caller.admin.invitations.list({ pageSize: 2, page: 2 });
    expect(page2.items.map((i) => i.id)).toEqual([a.id]);
    expect(page2.total).toBe(3);
  });

  it("revokes immediately, once, recording who and when", async () => {
    const { caller, admin } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    const first = await caller.admin.invitations.revoke({ id: created.id });
    const second = await caller.admin.invitations.revoke({ id: created.id });
    expect(first.status).toBe("revoked");
    expect(first.revokedBy).toBe(admin.id);
    expect(second.revokedAt).toBe(first.revokedAt);
    const events = await database.db
      .select()
      .from(invitationEvent)
      .where(eq(invitationEvent.invitationId, created.id));
    expect(events.filter((e) => e.type === "revoked")).toHaveLength(1);
    // Nothing is deleted, and the link can still be copied (it opens the revoked page).
    expect((await caller.admin.invitations.copyLink({ id: created.id })).url).toBe(created.url);
  });

  it("resends to the recipients, and refuses revoked, expired and used-up invitations with a reason", async () => {
    const { caller, jobs } = await adminWorld(database.db);
    const sent = await caller.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "email", recipients: ["pm@example.test"] },
    });
    expect(await caller.admin.invitations.resend({ id: sent.id })).toEqual({ emailsQueued: 1 });
    expect(jobs.emails).toHaveLength(2);
    const detail = await caller.admin.invitations.get({ id: sent.id });
    expect(detail.events.map((e) => e.type)).toContain("email_resent");

    const manual = await caller.admin.invitations.create(manualContributor());
    await expect(caller.admin.invitations.resend({ id: manual.id })).rejects.toThrow(
      /shared by link/,
    );

    await caller.admin.invitations.revoke({ id: sent.id });
    await expect(caller.admin.invitations.resend({ id: sent.id })).rejects.toThrow(/revoked/);

    const expired = await caller.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "email", recipients: ["x@example.test"] },
    });
    await database.db
      .update(invitation)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(invitation.id, expired.id));
    await expect(caller.admin.invitations.resend({ id: expired.id })).rejects.toThrow(/expired/);

    const used = await caller.admin.invitations.create({
      kind: "contributor",
      maxUses: 1,
      delivery: { kind: "email", recipients: ["y@example.test"] },
    });
    await database.db.update(invitation).set({ uses: 1 }).where(eq(invitation.id, used.id));
    await expect(caller.admin.invitations.resend({ id: used.id })).rejects.toThrow(
      /maximum number of times/,
    );
  });

  it("refuses every operation on another company's invitation as not found", async () => {
    const mine = await adminWorld(database.db);
    const theirs = await adminWorld(database.db);
    const their = await theirs.caller.admin.invitations.create(manualContributor());
    for (const attempt of [
      () => mine.caller.admin.invitations.get({ id: their.id }),
      () => mine.caller.admin.invitations.copyLink({ id: their.id }),
      () => mine.caller.admin.invitations.resend({ id: their.id }),
      () => mine.caller.admin.invitations.revoke({ id: their.id }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await mine.caller.admin.invitations.list({})).items).toHaveLength(0);
    expect((await theirs.caller.admin.invitations.get({ id: their.id })).status).toBe("active");
  });
});
