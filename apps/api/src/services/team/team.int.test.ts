// The team, end to end over the real HTTP API: an owner invites an admin by email (the
// outbox row, its link), the invited person accepts and signs in; roles change, members
// are removed, the last owner cannot leave; every change is in the audit log; "forgot
// password" mails a working link. No link token is ever readable in the database.
import { company as companyTable, emailMessage, teamEvent } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieFrom, createTestApp } from "../../../test/app";
import { databaseDump } from "../../../test/dump";
import { callerFor, createCompany } from "../../../test/factories";
import { TEST_TOKEN_KEY } from "../../../test/keys";
import { parseKey } from "../../lib/tokens";
import { createAdmin } from "../admin/create-admin";
import { composeEmail } from "../emails/compose";

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

const origin = "http://localhost:3000";

async function post(url: string, payload: unknown, cookie?: string) {
  return await harness.app.inject({
    method: "POST",
    url,
    headers: { origin, "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    payload: JSON.stringify(payload),
  });
}

async function signIn(email: string, password: string): Promise<string> {
  const response = await post("/api/auth/sign-in/email", { email, password });
  expect(response.statusCode).toBe(200);
  return cookieFrom(response.headers["set-cookie"]);
}

/** The link inside the newest outbox email of this kind to this address, as sent. */
async function linkInEmail(to: string, kind: "team_invitation" | "password_reset") {
  const rows = await harness.db
    .select()
    .from(emailMessage)
    .where(and(eq(emailMessage.to, to), eq(emailMessage.kind, kind)))
    .orderBy(asc(emailMessage.createdAt));
  const row = rows.at(-1);
  if (!row) throw new Error(`no ${kind} email to ${to}`);
  const composed = await composeEmail(
    {
      db: harness.db,
      publicUrl: origin,
      tokenKey: parseKey(TEST_TOKEN_KEY),
      emailFrom: "Meterlink <no-reply@meterlink.test>",
    },
    row,
  );
  if (!composed.ok) throw new Error(composed.reason);
  const link = composed.email.text.match(/http:\/\/localhost:3000\/\S+/)?.[0];
  if (!link) throw new Error("no link in the email");
  return { link: new URL(link), email: composed.email };
}

async function trpcMutation(path: string, input: unknown, cookie: string) {
  return await post(`/trpc/${path}`, input, cookie);
}

async function setUpCompany() {
  const company = await createCompany(harness.db);
  const ownerEmail = `owner-${company.id.slice(0, 8)}@example.test`;
  const owner = await createAdmin(harness.db, {
    companyId: company.id,
    email: ownerEmail,
    name: "Olive Owner",
    password: "owner-password",
    role: "owner",
  });
  return { company, owner, ownerCookie: await signIn(ownerEmail, "owner-password") };
}

describe("team invitations", () => {
  it("an owner invites an admin by email; the link makes an account that signs in", async () => {
    const { company, owner, ownerCookie } = await setUpCompany();
    const invitee = `ada-${company.id.slice(0, 8)}@example.test`;

    const invited = await post(
      "/api/auth/organization/invite-member",
      { email: invitee, role: "admin", organizationId: company.id },
      ownerCookie,
    );
    expect(invited.statusCode).toBe(200);

    const { link, email } = await linkInEmail(invitee, "team_invitation");
    expect(email.subject).toBe(`Join ${company.name} on Meterlink`);
    expect(email.text).toContain("as an admin");
    expect(link.pathname).toBe("/join");
    const token = link.searchParams.get("token") ?? "";
    expect(token.length).toBeGreaterThan(20);
    expect(await databaseDump(harness.db)).not.toContain(token);

    const anonymous = callerFor(harness.db, null);
    expect(await anonymous.team.invitation({ token })).toEqual({
      email: invitee,
      role: "admin",
      companyName: company.name,
    });
    await expect(
      anonymous.team.accept({ token, name: "Ada", password: "short" }),
    ).rejects.toMatchObject({ message: expect.stringContaining("at least 8 characters") });
    expect(
      await anonymous.team.accept({ token, name: "Ada Admin", password: "ada-password" }),
    ).toEqual({ email: invitee, role: "admin" });
    // Used once: the same link no longer works.
    await expect(
      anonymous.team.accept({ token, name: "Mallory", password: "mallory-password" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/invite you again/),
    });

    const adaCookie = await signIn(invitee, "ada-password");
    const me = await harness.app.inject({
      method: "GET",
      url: "/trpc/admin.me",
      headers: { cookie: adaCookie },
    });
    expect(me.json().result.data).toMatchObject({
      user: { email: invitee, role: "admin" },
      company: { id: company.id },
    });

    // The team is the owners' to change: an admin cannot invite.
    const refused = await post(
      "/api/auth/organization/invite-member",
      { email: "someone@example.test", role: "viewer", organizationId: company.id },
      adaCookie,
    );
    expect(refused.statusCode).toBe(403);

    const team = await callerFor(harness.db, {
      userId: owner.id,
      email: owner.email,
      name: owner.name,
    }).admin.team.list();
    expect(team.members.map((m) => [m.email, m.role])).toEqual([
      [owner.email, "owner"],
      [invitee, "admin"],
    ]);
    expect(team.invitations).toEqual([]);
  });

  it("changes a role, removes a member, keeps the last owner, and audits each change", async () => {
    const { company, owner, ownerCookie } = await setUpCompany();
    const member = `vic-${company.id.slice(0, 8)}@example.test`;
    await post(
      "/api/auth/organization/invite-member",
      { email: member, role: "admin", organizationId: company.id },
      ownerCookie,
    );
    const { link } = await linkInEmail(member, "team_invitation");
    await callerFor(harness.db, null).team.accept({
      token: link.searchParams.get("token") ?? "",
      name: "Vic",
      password: "vic-password",
    });
    const vicCookie = await signIn(member, "vic-password");
    const ownerCaller = callerFor(harness.db, {
      userId: owner.id,
      email: owner.email,
      name: owner.name,
    });
    const vic = (await ownerCaller.admin.team.list()).members.find((m) => m.email === member);

    // Admin → viewer: from now on every change is refused to them.
    const demoted = await post(
      "/api/auth/organization/update-member-role",
      { memberId: vic?.memberId, role: "viewer", organizationId: company.id },
      ownerCookie,
    );
    expect(demoted.statusCode).toBe(200);
    const asViewer = await trpcMutation("admin.apiKeys.create", { name: "ci" }, vicCookie);
    expect(asViewer.statusCode).toBe(403);
    expect(asViewer.json().error.message).toMatch(/Ask an owner/);

    // The last owner cannot leave, nor stop being an owner.
    const leave = await post(
      "/api/auth/organization/leave",
      { organizationId: company.id },
      ownerCookie,
    );
    expect(leave.statusCode).toBe(400);
    expect(leave.json().message).toMatch(/only owner/);
    const ownerMember = (await ownerCaller.admin.team.list()).members.find(
      (m) => m.email === owner.email,
    );
    const selfDemote = await post(
      "/api/auth/organization/update-member-role",
      { memberId: ownerMember?.memberId, role: "admin", organizationId: company.id },
      ownerCookie,
    );
    expect(selfDemote.statusCode).toBe(400);

    const removed = await post(
      "/api/auth/organization/remove-member",
      { memberIdOrEmail: member, organizationId: company.id },
      ownerCookie,
    );
    expect(removed.statusCode).toBe(200);
    const after = await harness.app.inject({
      method: "GET",
      url: "/trpc/admin.me",
      headers: { cookie: vicCookie },
    });
    expect(after.statusCode).toBe(403);

    const events = await harness.db
      .select({ type: teamEvent.type, subjectEmail: teamEvent.subjectEmail, data: teamEvent.data })
      .from(teamEvent)
      .where(eq(teamEvent.companyId, company.id))
      .orderBy(asc(teamEvent.id));
    expect(events).toEqual([
      { type: "invited", subjectEmail: member, data: { role: "admin" } },
      { type: "joined", subjectEmail: member, data: expect.objectContaining({ role: "admin" }) },
      { type: "role_changed", subjectEmail: member, data: { role: "viewer" } },
      { type: "removed", subjectEmail: member, data: expect.any(Object) },
    ]);
    expect((await ownerCaller.admin.team.list()).events[0]).toMatchObject({
      type: "removed",
      actorName: "Olive Owner",
    });
  });
});

describe("forgot password", () => {
  it("mails a one-time link that sets a new password; a database dump holds no token", async () => {
    const { owner } = await setUpCompany();
    const asked = await post("/api/auth/request-password-reset", { email: owner.email });
    expect(asked.statusCode).toBe(200);
    const { link, email } = await linkInEmail(owner.email, "password_reset");
    expect(email.subject).toBe("Reset your Meterlink password");
    expect(link.pathname).toBe("/set-password");
    const token = link.searchParams.get("token") ?? "";
    expect(token.length).toBeGreaterThan(10);
    expect(await databaseDump(harness.db)).not.toContain(token);

    const reset = await post("/api/auth/reset-password", { token, newPassword: "a-new-password" });
    expect(reset.statusCode).toBe(200);
    await signIn(owner.email, "a-new-password");
    const old = await post("/api/auth/sign-in/email", {
      email: owner.email,
      password: "owner-password",
    });
    expect(old.statusCode).toBe(401);
  });

  it("shows the company's uploaded logo by its public address (email clients drop data: images)", async () => {
    const { company, owner } = await setUpCompany();
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    await harness.db
      .update(companyTable)
      .set({ logoUrl: `data:image/png;base64,${png.toString("base64")}` })
      .where(eq(companyTable.id, company.id));
    await post("/api/auth/request-password-reset", { email: owner.email });
    const { email } = await linkInEmail(owner.email, "password_reset");
    expect(email.html).not.toContain("data:image");
    const src = email.html.match(/<img[^>]+src="([^"]+)"/)?.[1] ?? "";
    expect(src).toMatch(new RegExp(`^${origin}/brand/${company.id}/logo\\?v=`));
    const served = await harness.app.inject({ method: "GET", url: src.slice(origin.length) });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(png)).toBe(true);
  });

  it("answers the same for an unknown address and mails nothing", async () => {
    const asked = await post("/api/auth/request-password-reset", {
      email: "nobody@example.test",
    });
    expect(asked.statusCode).toBe(200);
    const rows = await harness.db
      .select()
      .from(emailMessage)
      .where(eq(emailMessage.to, "nobody@example.test"));
    expect(rows).toEqual([]);
  });
});
