// Test mode over real HTTP with real keys (#20): an `ml_test_` key acts on the company's
// test environment. A test key never sees live invitations, connections or webhook
// endpoints and a live key never sees test ones; test webhooks say `livemode: false`
// (and reach only test endpoints), test emails never reach the email provider, and
// only sandbox providers can be used. Calls go through @meterlink/client, as an
// integrator's code would; emails go through the real Resend SDK to the mail sink.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createMeterlinkClient, verifyWebhook } from "@meterlink/client";
import {
  bill,
  company as companyTable,
  connection,
  emailMessage,
  membership,
  provider,
} from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { createMailSinkClient, startMailSink, type TMailSink } from "@meterlink/mail-sink";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminSessionOf,
  callerFor,
  createAdminUser,
  recordingJobs,
  silentLog,
} from "../../test/factories";
import { adminWorld, recipientBrowser, tokenOf } from "../../test/invitations";
import { TEST_ENV } from "../../test/keys";
import { eventually } from "../../test/processes";
import { buildApp, type TApp } from "../app";
import { loadApiEnv } from "../env";
import { startJobRunner, type TJobRunner } from "../jobs/runner";
import { insertBills, markCollected } from "../services/bills/store";

type TReceived = { headers: IncomingHttpHeaders; body: string; path: string };

let database: TTestDatabase;
let sink: TMailSink;
let app: TApp;
let base: string;
let runner: TJobRunner;
let receiver: Server;
let receiverUrl: string;
const received: TReceived[] = [];

beforeAll(async () => {
  [database, sink] = await Promise.all([createTestDatabase(), startMailSink({ port: 0 })]);
  await database.db.insert(provider).values([
    {
      id: "sandbox-testmode",
      name: "Sandbox Power",
      country: "FR",
      loginUrl: "https://sandbox.example/login",
      allowedHostnames: ["sandbox.example"],
      isSandbox: true,
    },
    {
      id: "real-testmode",
      name: "Real Power",
      country: "FR",
      loginUrl: "https://real.example/login",
      allowedHostnames: ["real.example"],
      isSandbox: false,
    },
  ]);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        path: req.url ?? "/",
      });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  if (!address || typeof address === "string") throw new Error("no port");
  receiverUrl = `http://127.0.0.1:${address.port}`;
  const env = loadApiEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    PUBLIC_URL: "http://localhost:3000",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "silent",
    RESEND_BASE_URL: sink.url,
    RESEND_API_KEY: "re_test_mode",
    ...TEST_ENV,
  });
  app = await buildApp({ env, db: database.db, log: silentLog, jobs: recordingJobs().jobs });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const apiAddress = app.server.address();
  if (!apiAddress || typeof apiAddress === "string") throw new Error("no port");
  base = `http://127.0.0.1:${apiAddress.port}`;
  runner = await startJobRunner({
    db: database.db,
    env,
    log: silentLog,
    timing: { pollingIntervalSeconds: 0.5, sweepIntervalMs: 500, sweepAfterMs: 0 },
    webhookTiming: { dispatchIntervalMs: 100, pollingIntervalSeconds: 0.5, timeoutMs: 2_000 },
  });
});
afterAll(async () => {
  await runner?.stop();
  await app?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await Promise.all([database?.close(), sink?.close()]);
});

/** One company with a live key and a test key. */
async function developer() {
  const world = await adminWorld(database.db);
  const live = await world.caller.admin.apiKeys.create({ name: "prod" });
  const test = await world.caller.admin.apiKeys.create({ name: "staging", mode: "test" });
  const client = (key: string) => createMeterlinkClient({ baseUrl: `${base}/api/v1`, apiKey: key });
  return { ...world, liveKey: live, testKey: test, live: client(live.key), test: client(test.key) };
}

const manual = { delivery: { kind: "manual" as const }, maxUses: null };

describe("test mode (ml_test_ keys)", () => {
  it("creates ml_test_ keys the admin list marks as test", async () => {
    const { caller, liveKey, testKey } = await developer();
    expect(testKey.key).toMatch(/^ml_test_/);
    expect(liveKey.key).toMatch(/^ml_live_/);
    const listed = await caller.admin.apiKeys.list();
    expect(listed.map((key) => [key.name, key.mode, key.prefix.slice(0, 8)]).sort()).toEqual([
      ["prod", "live", "ml_live_"],
      ["staging", "test", "ml_test_"],
    ]);
  });

  it("keeps invitations apart: a test key never sees live ones and a live key never sees test ones", async () => {
    const { live, test, caller } = await developer();
    const liveMade = await live.POST("/invitations", {
      body: { ...manual, externalReference: "L" },
    });
    const testMade = await test.POST("/invitations", {
      body: { ...manual, externalReference: "T" },
    });
    expect(liveMade.response.status).toBe(200);
    expect(testMade.response.status).toBe(200);
    const liveId = liveMade.data?.id ?? "";
    const testId = testMade.data?.id ?? "";

    const liveList = await live.GET("/invitations", { params: { query: { status: "all" } } });
    const testList = await test.GET("/invitations", { params: { query: { status: "all" } } });
    expect(liveList.data?.items.map((item) => item.id)).toEqual([liveId]);
    expect(testList.data?.items.map((item) => item.id)).toEqual([testId]);

    const crossGet = await live.GET("/invitations/{id}", { params: { path: { id: testId } } });
    expect(crossGet.response.status).toBe(404);
    const crossGetBack = await test.GET("/invitations/{id}", { params: { path: { id: liveId } } });
    expect(crossGetBack.response.status).toBe(404);
    const crossRevoke = await test.POST("/invitations/{id}/revoke", {
      params: { path: { id: liveId } },
    });
    expect(crossRevoke.response.status).toBe(404);
    expect(
      (await live.GET("/invitations/{id}", { params: { path: { id: liveId } } })).data?.status,
    ).toBe("active");

    // The admin app shows live data: the test invitation is not in its list.
    const adminList = await caller.admin.invitations.list({ status: "all" });
    expect(adminList.items.map((item) => item.id)).toEqual([liveId]);
  });

  it("keeps connections apart", async () => {
    const { live, test, company } = await developer();
    const [liveConnection] = await database.db
      .insert(connection)
      .values({ companyId: company.id, providerName: "City Water", status: "active" })
      .returning();
    if (!liveConnection) throw new Error("no connection");
    const testList = await test.GET("/connections", { params: { query: {} } });
    expect(testList.data?.items).toEqual([]);
    const crossGet = await test.GET("/connections/{id}", {
      params: { path: { id: liveConnection.id } },
    });
    expect(crossGet.response.status).toBe(404);
    const crossReconnect = await test.POST("/connections/{id}/reconnect-invitations", {
      params: { path: { id: liveConnection.id } },
      body: manual,
    });
    expect(crossReconnect.response.status).toBe(404);
    const liveList = await live.GET("/connections", { params: { query: {} } });
    expect(liveList.data?.items.map((item) => item.id)).toEqual([liveConnection.id]);
  });

  it("keeps webhook endpoints apart, and test events say livemode:false and reach only test endpoints", async () => {
    const { live, test, company } = await developer();
    const liveHook = await live.POST("/webhook-endpoints", {
      body: { url: `${receiverUrl}/live`, eventTypes: ["invitation.created"] },
    });
    const testHook = await test.POST("/webhook-endpoints", {
      body: { url: `${receiverUrl}/test`, eventTypes: ["invitation.created"] },
    });
    if (!liveHook.data || !testHook.data) throw new Error("no endpoints");
    expect((await live.GET("/webhook-endpoints")).data?.items.map((e) => e.id)).toEqual([
      liveHook.data.id,
    ]);
    expect((await test.GET("/webhook-endpoints")).data?.items.map((e) => e.id)).toEqual([
      testHook.data.id,
    ]);
    const crossDelete = await test.DELETE("/webhook-endpoints/{id}", {
      params: { path: { id: liveHook.data.id } },
    });
    expect(crossDelete.response.status).toBe(404);

    const testMade = await test.POST("/invitations", { body: { ...manual } });
    const liveMade = await live.POST("/invitations", { body: { ...manual } });
    const testSecret = testHook.data.secret;
    const liveSecret = liveHook.data.secret;
    const [testEvent, liveEvent] = await eventually(async () => {
      const atTest = received.filter((message) => message.path === "/test");
      const atLive = received.filter((message) => message.path === "/live");
      if (!atTest[0] || !atLive[0]) throw new Error("not delivered yet");
      return [
        verifyWebhook(testSecret, atTest[0].body, atTest[0].headers),
        verifyWebhook(liveSecret, atLive[0].body, atLive[0].headers),
      ];
    });
    expect(testEvent).toMatchObject({
      type: "invitation.created",
      livemode: false,
      companyId: company.id,
      data: { invitationId: testMade.data?.id },
    });
    expect(liveEvent).toMatchObject({
      type: "invitation.created",
      livemode: true,
      companyId: company.id,
      data: { invitationId: liveMade.data?.id },
    });
    // Each endpoint got its own environment's event and nothing else.
    expect(received.filter((message) => message.path === "/test")).toHaveLength(1);
    expect(received.filter((message) => message.path === "/live")).toHaveLength(1);
  });

  it("sends no real email in test mode: the live email reaches the provider, the test one stays in the app", async () => {
    const { live, test } = await developer();
    const stamp = Date.now().toString(36);
    const liveTo = `live-${stamp}@example.test`;
    const testTo = `test-${stamp}@example.test`;
    const liveMade = await live.POST("/invitations", {
      body: { delivery: { kind: "email", recipients: [liveTo] }, maxUses: null },
    });
    const testMade = await test.POST("/invitations", {
      body: { delivery: { kind: "email", recipients: [testTo] }, maxUses: null },
    });
    const rowsOf = (id: string) =>
      database.db.select().from(emailMessage).where(eq(emailMessage.invitationId, id));
    const [testRow] = await eventually(async () => {
      const rows = await rowsOf(testMade.data?.id ?? "");
      const liveRows = await rowsOf(liveMade.data?.id ?? "");
      if (rows[0]?.status !== "sent" || liveRows[0]?.status !== "sent") throw new Error("queued");
      return rows;
    });
    expect(testRow?.providerMessageId).toBeNull();
    const mail = createMailSinkClient(sink.url);
    const recipients = (await mail.messages()).flatMap((message) => message.to);
    expect(recipients).toContain(liveTo);
    expect(recipients).not.toContain(testTo);
    // The admin still sees the test email in the invitation's detail (over the test key).
    const detail = await test.GET("/invitations/{id}", {
      params: { path: { id: testMade.data?.id ?? "" } },
    });
    expect(detail.data?.emails.map((email) => [email.to, email.status])).toEqual([
      [testTo, "sent"],
    ]);
  });

  it("keeps test emails in the admin app: listed without their link for the company only, opened rendered with a link that works", async () => {
    const { test, live, caller, company } = await developer();
    const other = await developer();
    const stamp = Date.now().toString(36);
    const to = `walk-${stamp}@example.test`;
    const made = await test.POST("/invitations", {
      body: { delivery: { kind: "email", recipients: [to] }, maxUses: null },
    });
    // A live email and another company's test email are not this list's.
    await live.POST("/invitations", {
      body: {
        delivery: { kind: "email", recipients: [`live-${stamp}@example.test`] },
        maxUses: null,
      },
    });
    await other.test.POST("/invitations", {
      body: {
        delivery: { kind: "email", recipients: [`other-${stamp}@example.test`] },
        maxUses: null,
      },
    });
    const listed = await eventually(async () => {
      const rows = await caller.admin.testEmails.list();
      if (rows[0]?.status !== "sent") throw new Error("not sent yet");
      return rows;
    });
    expect(listed.map((row) => [row.to, row.kind, row.invitationId])).toEqual([
      [to, "invitation", made.data?.id],
    ]);
    expect(listed[0]?.subject).toContain(company.displayName);
    const token = tokenOf(made.data?.url ?? "");
    // Links are secrets: the list carries none.
    expect(JSON.stringify(listed)).not.toContain(token);
    const emailId = listed[0]?.id ?? "";
    expect((await other.caller.admin.testEmails.list()).map((row) => row.to)).toEqual([
      `other-${stamp}@example.test`,
    ]);
    await expect(other.caller.admin.testEmails.open({ id: emailId })).rejects.toMatchObject({
      message: expect.stringMatching(/No such test email/),
    });

    const opened = await caller.admin.testEmails.open({ id: emailId });
    expect(opened.rendered?.subject).toBe(listed[0]?.subject);
    const href = /href="(http:\/\/localhost:3000\/p\/i\/[^"]+)"/.exec(
      opened.rendered?.html ?? "",
    )?.[1];
    if (!href) throw new Error("no recipient link in the email");
    const link = new URL(href.replaceAll("&amp;", "&"));
    expect(tokenOf(link.origin + link.pathname)).toBe(token);
    // The recipient flow opens from it, as the address it was sent to.
    const recipient = recipientBrowser(database.db);
    const page = await recipient.caller.recipient.open({
      token,
      proof: link.searchParams.get("r") ?? undefined,
    });
    expect(page.verification).toMatchObject({ verified: true, email: to });

    // A viewer reads the list but cannot open the link.
    const viewer = await createAdminUser(database.db, company.id);
    await database.db
      .update(membership)
      .set({ role: "viewer" })
      .where(eq(membership.userId, viewer.id));
    const viewing = callerFor(database.db, adminSessionOf(viewer));
    expect((await viewing.admin.testEmails.list()).map((row) => row.id)).toEqual([emailId]);
    await expect(viewing.admin.testEmails.open({ id: emailId })).rejects.toMatchObject({
      message: expect.stringMatching(/Viewers can list test emails/),
    });
  });

  it("allows only sandbox providers in test mode, in the prefill and in the recipient's search", async () => {
    const { live, test } = await developer();
    const refused = await test.POST("/invitations", {
      body: { ...manual, prefill: { providerId: "real-testmode" } },
    });
    expect(refused.response.status).toBe(400);
    expect(JSON.stringify(refused.error)).toContain("sandbox");
    expect(
      (
        await live.POST("/invitations", {
          body: { ...manual, prefill: { providerId: "real-testmode" } },
        })
      ).response.status,
    ).toBe(200);
    const sandboxed = await test.POST("/invitations", {
      body: { ...manual, prefill: { providerId: "sandbox-testmode" } },
    });
    expect(sandboxed.response.status).toBe(200);

    const recipient = recipientBrowser(database.db);
    const token = tokenOf(sandboxed.data?.url ?? "");
    const found = await recipient.caller.recipient.providers({ token, query: "Power" });
    expect(found.map((row) => row.id)).toEqual(["sandbox-testmode"]);

    // Completing a test link: no manual entry of some utility, no real catalog utility.
    await recipient.caller.recipient.open({ token });
    await recipient.caller.recipient.consent({ token });
    const credential = { method: "manual" as const, username: "u@example.com", password: "pw-1" };
    for (const choice of [
      { kind: "manual" as const, name: "My Real Utility" },
      { kind: "catalog" as const, providerId: "real-testmode" },
    ]) {
      await expect(
        recipient.caller.recipient.complete({ token, provider: choice, credential }),
      ).rejects.toMatchObject({ message: expect.stringMatching(/test link: only sandbox/) });
    }
    const done = await recipient.caller.recipient.complete({
      token,
      provider: { kind: "catalog", providerId: "sandbox-testmode" },
      credential,
    });
    expect(done.connectionId).toEqual(expect.any(String));
    // The connection exists in the test environment only.
    const testConnections = await test.GET("/connections", { params: { query: {} } });
    expect(testConnections.data?.items.map((item) => item.id)).toEqual([done.connectionId]);
    const liveConnections = await live.GET("/connections", { params: { query: {} } });
    expect(liveConnections.data?.items).toEqual([]);
  });

  it("says livemode on every REST object and in the OpenAPI document: false with a test key, true with a live key", async () => {
    const { live, test, company } = await developer();
    for (const [client, livemode] of [
      [live, true],
      [test, false],
    ] as const) {
      const made = await client.POST("/invitations", { body: manual });
      expect(made.data?.livemode).toBe(livemode);
      const id = made.data?.id ?? "";
      const listed = await client.GET("/invitations", { params: { query: { status: "all" } } });
      expect(listed.data?.items.map((item) => item.livemode)).toEqual([livemode]);
      const got = await client.GET("/invitations/{id}", { params: { path: { id } } });
      expect(got.data?.livemode).toBe(livemode);
      const revoked = await client.POST("/invitations/{id}/revoke", { params: { path: { id } } });
      expect(revoked.data?.livemode).toBe(livemode);
      const site = await client.POST("/sites", {
        body: { name: `Depot ${livemode ? "live" : "test"}` },
      });
      expect(site.data?.livemode).toBe(livemode);
      const sites = await client.GET("/sites", { params: { query: {} } });
      expect(sites.data?.data.map((row) => row.livemode)).toEqual([livemode]);
      const hook = await client.POST("/webhook-endpoints", {
        body: { url: `${receiverUrl}/livemode`, eventTypes: ["bill.created"] },
      });
      expect(hook.data?.livemode).toBe(livemode);
      const hooks = await client.GET("/webhook-endpoints");
      expect(hooks.data?.items.map((item) => item.livemode)).toEqual([livemode]);
      const rotated = await client.POST("/webhook-endpoints/{id}/rotate-secret", {
        params: { path: { id: hook.data?.id ?? "" } },
        body: {},
      });
      expect(rotated.data?.livemode).toBe(livemode);
    }

    // A connection with a bill in each environment.
    const [environment] = await database.db
      .select()
      .from(companyTable)
      .where(eq(companyTable.testOf, company.id));
    if (!environment) throw new Error("no test environment");
    for (const [client, companyId, livemode] of [
      [live, company.id, true],
      [test, environment.id, false],
    ] as const) {
      const [made] = await database.db
        .insert(connection)
        .values({ companyId, providerName: "City Water", status: "active" })
        .returning();
      if (!made) throw new Error("no connection");
      await database.db
        .insert(bill)
        .values({ companyId, connectionId: made.id, externalId: `B-${livemode}` });
      const listed = await client.GET("/connections", { params: { query: {} } });
      expect(listed.data?.items.map((item) => [item.id, item.livemode])).toEqual([
        [made.id, livemode],
      ]);
      const got = await client.GET("/connections/{id}", { params: { path: { id: made.id } } });
      expect(got.data?.livemode).toBe(livemode);
      const bills = await client.GET("/connections/{id}/bills", {
        params: { path: { id: made.id } },
      });
      expect(bills.data?.items.map((item) => [item.externalId, item.livemode])).toEqual([
        [`B-${livemode}`, livemode],
      ]);
    }

    const document = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as {
      components: { schemas: Record<string, { required?: string[]; properties?: object }> };
      paths: Record<string, unknown>;
    };
    for (const name of [
      "Invitation",
      "InvitationDetail",
      "CreatedInvitation",
      "Connection",
      "Bill",
      "WebhookEndpoint",
    ]) {
      expect(document.components.schemas[name]?.required, name).toContain("livemode");
      expect(document.components.schemas[name]?.properties, name).toHaveProperty(
        "livemode.type",
        "boolean",
      );
    }
    expect(JSON.stringify(document.paths["/sites/{id}"])).toContain('"livemode"');
  });

  it("shows a connection's account number, the newest bill's, over REST and in connection.* webhooks, in both environments", async () => {
    const { live, test, company } = await developer();
    await test.GET("/connections", { params: { query: {} } });
    const [environment] = await database.db
      .select()
      .from(companyTable)
      .where(eq(companyTable.testOf, company.id));
    if (!environment) throw new Error("no test environment");
    for (const [client, companyId, livemode] of [
      [live, company.id, true],
      [test, environment.id, false],
    ] as const) {
      const path = `/account-${livemode}`;
      const hook = await client.POST("/webhook-endpoints", {
        body: { url: `${receiverUrl}${path}`, eventTypes: ["connection.status_changed"] },
      });
      const [conn] = await database.db
        .insert(connection)
        .values({ companyId, providerName: "City Water" })
        .returning();
      if (!hook.data || !conn) throw new Error("no endpoint or connection");
      const billOf = (externalId: string, periodEnd: string, accountNumber: string | null) => ({
        companyId,
        connectionId: conn.id,
        externalId,
        periodEnd,
        accountNumber,
      });
      // The first collection: the newest bill's number wins.
      await database.db.transaction(async (tx) => {
        await insertBills(tx, [
          billOf("B-09", "2026-09-30", "AC-1001"),
          billOf("B-10", "2026-10-31", "AC-2002"),
        ]);
        await markCollected(tx, conn);
      });
      // Later: a newer bill printing none, and an older one found late, change nothing.
      await database.db.transaction(async (tx) => {
        await insertBills(tx, [
          billOf("B-11", "2026-11-30", null),
          billOf("B-08", "2026-08-31", "AC-0999"),
        ]);
        await markCollected(tx, { ...conn, status: "active" });
      });
      const got = await client.GET("/connections/{id}", { params: { path: { id: conn.id } } });
      expect(got.data).toMatchObject({ accountNumber: "AC-2002", livemode });
      const bills = await client.GET("/connections/{id}/bills", {
        params: { path: { id: conn.id } },
      });
      expect(
        Object.fromEntries(bills.data?.items.map((b) => [b.externalId, b.accountNumber]) ?? []),
      ).toEqual({ "B-08": "AC-0999", "B-09": "AC-1001", "B-10": "AC-2002", "B-11": null });

      const secret = hook.data.secret;
      const event = await eventually(async () => {
        const message = received.find((one) => one.path === path);
        if (!message) throw new Error("not delivered yet");
        return verifyWebhook(secret, message.body, message.headers);
      });
      expect(event).toMatchObject({
        type: "connection.status_changed",
        livemode,
        data: { connectionId: conn.id, status: "active", accountNumber: "AC-2002" },
      });
    }
  });

  it("refuses an unknown ml_test_ key like any unknown key", async () => {
    const anonymous = createMeterlinkClient({
      baseUrl: `${base}/api/v1`,
      apiKey: "ml_test_notarealkeynotarealkeynotarealkey",
    });
    const answer = await anonymous.GET("/invitations", { params: { query: {} } });
    expect(answer.response.status).toBe(401);
  });
});
