// The invitations funnel from a scripted set of recipients, each stopping at a known step
// through the real recipient procedures (live sign-ins as the fleet records them).
import { emailMessage, invitation, invitationEvent, provider } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminWorld,
  manualContributor,
  recipientBrowser,
  tokenOf,
} from "../../../test/invitations";
import { TEST_TOKEN_KEY } from "../../../test/keys";
import { decryptSecret, parseKey } from "../../lib/tokens";
import { recordEvent } from "./events";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.insert(provider).values({
    id: "funnel-northwind",
    name: "Northwind Power",
    country: "US",
    loginUrl: "https://northwind.example/login",
    allowedHostnames: ["northwind.example"],
  });
});
afterAll(() => database.close());

const manual = { method: "manual" as const, username: "alice", password: "correct-horse-1" };

describe("admin.invitations.funnel", () => {
  it("counts how far each scripted recipient got, per step and per utility, with median times", async () => {
    const { caller } = await adminWorld(database.db);
    const create = async (overrides: Parameters<typeof manualContributor>[0] = {}) => {
      const created = await caller.admin.invitations.create(manualContributor(overrides));
      return { id: created.id, token: tokenOf(created.url) };
    };
    const opened = async (token: string) => {
      const browser = recipientBrowser(database.db);
      await browser.caller.recipient.open({ token });
      await browser.caller.recipient.consent({ token });
      return browser.caller;
    };
    const live = async (invitationId: string, outcome: "login_succeeded" | "login_failed") => {
      const data = { providerId: "funnel-northwind" };
      await recordEvent(database.db, {
        invitationId,
        type: "login_started",
        actor: { type: "recipient" },
        data,
      });
      await recordEvent(database.db, {
        invitationId,
        type: outcome,
        actor: { type: "system" },
        data,
      });
    };
    const prefill = { prefill: { providerId: "funnel-northwind" } } as const;

    // Northwind (prefilled): one completes after a live sign-in, one is refused, one never opens.
    const done = await create(prefill);
    const doneRecipient = await opened(done.token);
    await live(done.id, "login_succeeded");
    await doneRecipient.recipient.complete({
      token: done.token,
      provider: { kind: "catalog", providerId: "funnel-northwind" },
      credential: manual,
    });
    const refused = await create(prefill);
    await opened(refused.token);
    await live(refused.id, "login_failed");
    await create(prefill); // never opened

    // Restricted links: one never confirms the email, one confirms and enters City Water by hand.
    const unverified = await create({ allowedEmails: ["a@harbor.test"] });
    const unverifiedRecipient = await opened(unverified.token);
    await unverifiedRecipient.recipient.requestVerification({
      token: unverified.token,
      email: "a@harbor.test",
    });
    const manualDone = await create({ allowedEmails: ["b@harbor.test"] });
    const manualRecipient = await opened(manualDone.token);
    await manualRecipient.recipient.requestVerification({
      token: manualDone.token,
      email: "b@harbor.test",
    });
    const [email] = await database.db
      .select()
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, manualDone.id));
    const code = decryptSecret(String(email?.payload.codeCiphertext), parseKey(TEST_TOKEN_KEY));
    await manualRecipient.recipient.verifyEmail({ token: manualDone.token, code });
    await manualRecipient.recipient.complete({
      token: manualDone.token,
      provider: { kind: "manual", name: "City Water" },
      credential: manual,
    });

    // Outside the period: sent 40 days ago (and opened since). Another company's: not ours.
    const old = await create(prefill);
    await opened(old.token);
    await database.db
      .update(invitation)
      .set({ createdAt: new Date(Date.now() - 40 * 86_400_000) })
      .where(eq(invitation.id, old.id));
    const other = await adminWorld(database.db);
    const foreign = await other.caller.admin.invitations.create(manualContributor());
    await recipientBrowser(database.db).caller.recipient.open({ token: tokenOf(foreign.url) });

    // Opened 60, 180, 300 and 100 seconds after being sent: the median is 140 s.
    const openedAfter = new Map([
      [done.id, 60],
      [refused.id, 180],
      [unverified.id, 300],
      [manualDone.id, 100],
    ]);
    for (const [id, seconds] of openedAfter) {
      const [view] = await database.db
        .select()
        .from(invitationEvent)
        .where(and(eq(invitationEvent.invitationId, id), eq(invitationEvent.type, "viewed")));
      if (!view) throw new Error("no view recorded");
      await database.db
        .update(invitation)
        .set({ createdAt: new Date(view.createdAt.getTime() - seconds * 1000) })
        .where(eq(invitation.id, id));
    }

    const funnel = await caller.admin.invitations.funnel({ days: 30 });
    expect(funnel.overall.counts).toEqual({
      sent: 5,
      opened: 4,
      verified: 3,
      started: 3,
      signedIn: 2,
      completed: 2,
    });
    expect(funnel.overall.medianSeconds.opened).toBe(140);
    expect(funnel.overall.medianSeconds.verified).toBeGreaterThanOrEqual(0);
    expect(funnel.overall.biggestDrop).toBe("opened");
    const byName = Object.fromEntries(
      funnel.byProvider.map((group) => [group.providerName ?? "(none)", group.counts]),
    );
    expect(byName).toEqual({
      "Northwind Power": { sent: 3, opened: 2, verified: 2, started: 2, signedIn: 1, completed: 1 },
      "City Water": { sent: 1, opened: 1, verified: 1, started: 1, signedIn: 1, completed: 1 },
      "(none)": { sent: 1, opened: 1, verified: 0, started: 0, signedIn: 0, completed: 0 },
    });
    const northwind = funnel.byProvider.find((group) => group.providerName === "Northwind Power");
    expect(northwind?.biggestDrop).toBe("opened");

    // The other company sees only its own invitation.
    const theirs = await other.caller.admin.invitations.funnel({});
    expect(theirs.overall.counts).toMatchObject({ sent: 1, opened: 1 });
  });

  it("refuses a period that ends before it starts, saying which field", async () => {
    const { caller } = await adminWorld(database.db);
    await expect(
      caller.admin.invitations.funnel({
        from: "2026-02-01T00:00:00Z",
        to: "2026-01-01T00:00:00Z",
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/start before it ends/) });
  });
});
