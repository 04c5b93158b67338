// First opens of the same moment share one statement (lib/batch.ts). What a recipient
// must still see: their own session (cookie), their own `viewed` event, and an error only
// when their own row cannot be stored.
import { invitationEvent, recipientSession } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../../test/app";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { hashToken } from "../../lib/tokens";
import { InvitationCache } from "./invitation-cache";
import { recipientCookieName } from "./resolve";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function sessionsOf(invitationId: string) {
  return database.db
    .select()
    .from(recipientSession)
    .where(eq(recipientSession.invitationId, invitationId));
}

describe("concurrent first opens", () => {
  it("give every browser its own session and viewed event", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    // A warm cache: every open below reaches the insert in the same turn of the event
    // loop, so they go out as one batch.
    const cache = new InvitationCache();
    await recipientBrowser(database.db, { invitationCache: cache }).caller.recipient.open({
      token,
    });
    const browsers = Array.from({ length: 12 }, () =>
      recipientBrowser(database.db, { invitationCache: cache }),
    );
    await Promise.all(browsers.map((b) => b.caller.recipient.open({ token })));

    const cookie = recipientCookieName(created.id);
    const tokens = browsers.map((b) => b.cookies.get(cookie));
    expect(tokens.every((t) => typeof t === "string")).toBe(true);
    expect(new Set(tokens).size).toBe(browsers.length);
    const sessions = await sessionsOf(created.id);
    expect(sessions).toHaveLength(browsers.length + 1);
    // Each cookie opens exactly its own row…
    const ids = tokens.map((t) => sessions.find((s) => s.tokenHash === hashToken(t ?? ""))?.id);
    expect(new Set(ids).size).toBe(browsers.length);
    // …and each session has its one `viewed` event.
    const viewed = await database.db
      .select({ actorId: invitationEvent.actorId })
      .from(invitationEvent)
      .where(eq(invitationEvent.invitationId, created.id));
    const viewedBy = viewed.map((v) => v.actorId).filter((id) => id !== null);
    for (const id of ids) expect(viewedBy.filter((v) => v === id)).toHaveLength(1);

    // A browser that consents changes its own session only.
    const [first, ...others] = browsers;
    await first?.caller.recipient.consent({ token });
    const after = await sessionsOf(created.id);
    const consented = after.filter((s) => s.consentedAt !== null).map((s) => s.id);
    expect(consented).toEqual([ids[0]]);
    // A returning browser writes nothing new.
    await Promise.all(others.map((b) => b.caller.recipient.open({ token })));
    expect(await sessionsOf(created.id)).toHaveLength(browsers.length + 1);
    await cache.close();
  });

  it("fail only the open whose own row PostgreSQL refuses", async () => {
    const { caller } = await adminWorld(database.db);
    const created = await caller.admin.invitations.create(manualContributor());
    const token = tokenOf(created.url);
    const cache = new InvitationCache();
    await recipientBrowser(database.db, { invitationCache: cache }).caller.recipient.open({
      token,
    });
    const good = Array.from({ length: 5 }, () =>
      recipientBrowser(database.db, { invitationCache: cache }),
    );
    // PostgreSQL stores no NUL character in text: this browser's `viewed` row is refused.
    const bad = recipientBrowser(database.db, {
      invitationCache: cache,
      userAgent: "broken\u0000agent",
    });
    const outcomes = await Promise.allSettled(
      [...good.slice(0, 2), bad, ...good.slice(2)].map((b) => b.caller.recipient.open({ token })),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    const cookie = recipientCookieName(created.id);
    expect(bad.cookies.get(cookie)).toBeUndefined();
    const sessions = await sessionsOf(created.id);
    expect(sessions).toHaveLength(1 + good.length);
    for (const b of good) {
      const mine = sessions.filter((s) => s.tokenHash === hashToken(b.cookies.get(cookie) ?? ""));
      expect(mine).toHaveLength(1);
    }
    await cache.close();
  });
});

describe("the per-client call budget, counted for a burst at once", () => {
  it("refuses exactly the calls past the budget, and only that client's", async () => {
    const harness = await createTestApp(database.url, { RECIPIENT_RATE_LIMIT_PER_MINUTE: "4" });
    try {
      const open = (ip: string) =>
        harness.app.inject({
          method: "GET",
          url: `/trpc/recipient.open?input=${encodeURIComponent(JSON.stringify({ token: "y".repeat(43) }))}`,
          remoteAddress: ip,
        });
      const burst = await Promise.all(Array.from({ length: 7 }, () => open("198.51.100.7")));
      const statuses = burst.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([404, 404, 404, 404, 429, 429, 429]);
      expect((await open("198.51.100.7")).statusCode).toBe(429);
      expect((await open("198.51.100.8")).statusCode).toBe(404);
    } finally {
      await harness.app.close();
    }
  });
});
