// The developer settings and the connection detail in real Chromium: an API key made in
// the UI works over HTTP until it is revoked in the UI; a webhook endpoint receives a
// signed test event (checked with the secret the UI showed once) and the delivery log
// shows it; a connection's detail page shows its runs, bills and forwarding address, and
// sends the reconnect invitation, and its bill PDF downloads. One browser and one stack for the file.
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bill, collectionRun, connection, connectionSite, site } from "@meterlink/db";
import { CONNECTION_ERROR_MESSAGES } from "@meterlink/shared/connection";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billStorageOf } from "../../api/src/services/collection/storage";
import { axeProblems, launchBrowser, screenshot, signInAdmin, WCAG_A_AA } from "./browser";
import { startStack } from "./stack";

/** A bill document as a utility serves it (content is what matters: it must come back intact). */
const BILL_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

type TReceived = { headers: Record<string, string | string[] | undefined>; body: string };

/** A customer's webhook receiver on loopback: records every request, answers 204. */
async function startReceiver() {
  const received: TReceived[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/meterlink`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Standard Webhooks verification, as docs/webhooks.md tells customers to do it. */
function verifySignature(secret: string, message: TReceived): boolean {
  const id = String(message.headers["webhook-id"]);
  const timestamp = String(message.headers["webhook-timestamp"]);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${message.body}`).digest();
  return String(message.headers["webhook-signature"])
    .split(" ")
    .some((entry) => {
      const [version, signature] = entry.split(",");
      const given = Buffer.from(signature ?? "", "base64");
      return (
        version === "v1" && given.length === expected.length && timingSafeEqual(given, expected)
      );
    });
}

let stack: Awaited<ReturnType<typeof startStack>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The test-mode key the first test creates in the UI (the test emails test uses it). */
let testKey = "";

beforeAll(async () => {
  [stack, browser, receiver] = await Promise.all([
    // Bill documents in a folder of this run's own, not the repository's .data.
    startStack({ env: { STORAGE_DIR: await mkdtemp(join(tmpdir(), "meterlink-e2e-bills-")) } }),
    launchBrowser(),
    startReceiver(),
  ]);
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
  await signInAdmin(page, {
    url: stack.url,
    ...stack.admin,
    next: "/settings/api-keys",
    heading: "API keys",
  });
}, 30_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await receiver?.close();
  await stack?.close();
});

/** Waits for a toast, then dismisses it so it covers no button the next step clicks. */
async function toast(title: string) {
  const item = page
    .getByRole("region", { name: /Notifications/ })
    .locator("li", { hasText: title })
    .first();
  await item.waitFor();
  await item.getByRole("button", { name: "Dismiss notification" }).click();
  // A pointer resting on the toasts pauses their timers.
  await page.mouse.move(0, 0);
}

/** Closes every toast still shown (earlier results), in a bounded loop. */
async function clearToasts() {
  const dismiss = page
    .getByRole("region", { name: /Notifications/ })
    .getByRole("button", { name: "Dismiss notification" });
  for (let i = 0; i < 10 && (await dismiss.count()) > 0; i++) {
    await dismiss.first().click();
    await page.waitForTimeout(50);
  }
  await page.mouse.move(0, 0);
}

const listInvitations = (key: string) =>
  fetch(`${stack.url}/api/v1/invitations`, { headers: { authorization: `Bearer ${key}` } });

describe("developer settings and connection detail (real Chromium)", { timeout: 25_000 }, () => {
  it("creates an API key shown once, which works over REST until it is revoked", async () => {
    await page.getByText("No API keys yet").waitFor();
    await expect(
      page.getByRole("link", { name: "API reference" }).getAttribute("href"),
    ).resolves.toBe("/api/docs");
    await expect(
      page.getByRole("link", { name: "OpenAPI document" }).getAttribute("href"),
    ).resolves.toBe("/api/v1/openapi.json");
    await screenshot(page, "admin-api-keys-empty");

    await page.getByRole("button", { name: "Create API key" }).first().click();
    const form = page.getByRole("dialog", { name: "Create an API key" });
    // An empty name is refused before anything is sent.
    await form.getByRole("button", { name: "Create key" }).click();
    await form.getByRole("alert").getByText("Name the key").waitFor();
    await form.getByLabel("Name").fill("CRM sync");
    await form.getByRole("button", { name: "Create key" }).click();

    const reveal = page.getByRole("dialog", { name: "Copy your new API key" });
    await reveal.getByText("You won't see this key again").waitFor();
    const key = await reveal.getByRole("textbox", { name: "API key" }).inputValue();
    expect(key).toMatch(/^ml_live_/);
    await reveal.getByRole("button", { name: "Copy API key" }).click();
    await reveal.getByRole("status").getByText("API key copied to the clipboard").waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(key);
    await screenshot(page, "admin-api-key-created");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);
    await reveal.getByRole("button", { name: "Done" }).click();
    await reveal.waitFor({ state: "detached" });

    const row = page.getByRole("row", { name: /CRM sync/ });
    await row.getByText("Active").waitFor();
    // The list keeps the prefix only; the key itself is nowhere on the page any more.
    await expect(row.textContent()).resolves.toContain(key.slice(0, 12));
    await expect(page.locator("body").textContent()).resolves.not.toContain(key);

    const allowed = await listInvitations(key);
    expect(allowed.status).toBe(200);
    await expect(allowed.json()).resolves.toMatchObject({ items: [], total: 0 });

    await page.reload();
    await expect(row.textContent()).resolves.not.toContain("Never");
    await screenshot(page, "admin-api-keys");

    const confirm = page.getByRole("dialog", { name: "Revoke “CRM sync”?" });
    // The network fails once: the optimistic "Revoked" is rolled back and the key still works.
    await page.route("**/trpc/admin.apiKeys.revoke**", (route) => route.abort(), { times: 1 });
    await row.getByRole("button", { name: "Revoke CRM sync" }).click();
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await toast("Key not revoked");
    await row.getByText("Active").waitFor();
    await expect(listInvitations(key).then((r) => r.status)).resolves.toBe(200);

    await row.getByRole("button", { name: "Revoke CRM sync" }).click();
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await row.getByText("Revoked").waitFor();
    await toast("API key revoked");
    await expect(row.getByRole("button", { name: "Revoke CRM sync" }).count()).resolves.toBe(0);

    const refused = await listInvitations(key);
    expect(refused.status).toBe(401);

    // A test-mode key (#20): chosen in the same dialog, badged "Test" in the list.
    await page.getByRole("button", { name: "Create API key" }).first().click();
    await form.getByLabel("Name").fill("Staging");
    await form.getByRole("radio", { name: /^Test/ }).check();
    await form.getByRole("button", { name: "Create key" }).click();
    testKey = await reveal.getByRole("textbox", { name: "API key" }).inputValue();
    expect(testKey).toMatch(/^ml_test_/);
    await reveal.getByRole("button", { name: "Done" }).click();
    const testRow = page.getByRole("row", { name: /Staging/ });
    await testRow.getByText("Test", { exact: true }).waitFor();
    await expect(row.getByText("Live", { exact: true }).count()).resolves.toBe(1);
    expect((await listInvitations(testKey)).status).toBe(200);
  });

  it("keeps a test-mode email under Developers › Test emails, whose link opens the recipient flow", async () => {
    expect(testKey).toMatch(/^ml_test_/);
    const to = "walk-through@example.test";
    const made = await fetch(`${stack.url}/api/v1/invitations`, {
      method: "POST",
      headers: { authorization: `Bearer ${testKey}`, "content-type": "application/json" },
      body: JSON.stringify({ delivery: { kind: "email", recipients: [to] }, maxUses: null }),
    });
    expect(made.status).toBe(200);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Test emails" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Test emails" }).waitFor();
    const row = page.getByRole("row", { name: new RegExp(to) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("Invitation");
    await row.getByRole("button", { name: `Open the email to ${to}` }).click();
    const email = page.frameLocator(`iframe[title="Email to ${to}"]`);
    const button = email.getByRole("link", { name: "Connect your utility account" });
    await button.waitFor();
    await screenshot(page, "admin-test-email");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);
    // The link opens in a tab of its own (the sandboxed frame could not run the flow).
    const [recipient] = await Promise.all([context.waitForEvent("page"), button.click()]);
    await recipient.getByRole("heading", { level: 1, name: /asks you/ }).waitFor();
    expect(new URL(recipient.url()).pathname).toMatch(/^\/p\/i\//);
    await recipient.close();
    const sheet = page.getByRole("dialog");
    await sheet.getByRole("button", { name: "Close" }).click();
    await sheet.waitFor({ state: "detached" });
  });

  it("sends a signed test event to a new webhook endpoint and logs the delivery", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Webhooks" })
      .click();
    await page.getByText("No webhook endpoints yet").waitFor();
    await page.getByRole("button", { name: "Add endpoint" }).first().click();
    const form = page.getByRole("dialog", { name: "Add a webhook endpoint" });
    await form.getByLabel("Endpoint URL").fill("http://example.com/hook");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await form.getByText("Use an https:// address").waitFor();
    await form.getByLabel("Endpoint URL").fill(receiver.url);
    await form.getByRole("checkbox", { name: /Connection created/ }).check();
    await form.getByRole("checkbox", { name: /Connection status changed/ }).check();
    await screenshot(page, "admin-webhook-create");
    await form.getByRole("button", { name: "Add endpoint" }).click();

    const reveal = page.getByRole("dialog", { name: "Copy the signing secret" });
    const secret = await reveal.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await screenshot(page, "admin-webhook-secret");
    await reveal.getByRole("button", { name: "Done" }).click();
    await reveal.waitFor({ state: "detached" });

    const item = page.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem");
    await item.getByText(receiver.url).waitFor();
    await expect(item.textContent()).resolves.toMatch(
      /Connection created, Connection status changed/,
    );
    await expect(page.locator("body").textContent()).resolves.not.toContain(secret);
    await screenshot(page, "admin-webhooks");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);

    await item.getByRole("button", { name: "Send test event" }).click();
    await page
      .getByRole("region", { name: /Notifications/ })
      .getByText("Test event delivered")
      .waitFor({ timeout: 15_000 });
    expect(receiver.received).toHaveLength(1);
    const [message] = receiver.received;
    if (!message) throw new Error("no webhook received");
    expect(verifySignature(secret, message)).toBe(true);
    expect(verifySignature(`whsec_${Buffer.alloc(24).toString("base64")}`, message)).toBe(false);
    expect(JSON.parse(message.body)).toMatchObject({
      type: "webhook.test",
      data: { message: expect.any(String) },
    });

    await item.getByRole("button", { name: "Deliveries" }).click();
    const sheet = page.getByRole("dialog", { name: "Deliveries" });
    const delivery = sheet.getByRole("row", { name: /webhook\.test/ });
    await delivery.waitFor();
    await expect(delivery.textContent()).resolves.toMatch(/HTTP 204.*1 of 8/s);
    await delivery.getByText("Payload").click();
    await delivery.getByText(/"message": "This is a test event/).waitFor();
    await screenshot(page, "admin-webhook-deliveries");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);
    // Redeliver: the same event (same webhook-id) reaches the receiver again.
    await delivery.getByRole("button", { name: /^Redeliver webhook\.test/ }).click();
    // (Its toast is outside the modal sheet, hidden from the accessibility tree meanwhile.)
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(2);
    expect(receiver.received[1]?.headers["webhook-id"]).toBe(message.headers["webhook-id"]);
    await sheet.getByText("Redelivery").waitFor({ timeout: 15_000 });
    // Escape would first dismiss the toast the redelivery raised: close the sheet itself.
    await sheet.getByRole("button", { name: "Close" }).click();
    await sheet.waitFor({ state: "detached" });

    // Rotate with the default overlap: the next event verifies with the old and the new secret.
    await item.getByRole("button", { name: "Rotate secret…" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await rotate.getByRole("radio", { name: /24 hours/ }).check();
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = page.getByRole("dialog", { name: "Copy the new signing secret" });
    const newSecret = await rotated
      .getByRole("textbox", { name: "New signing secret" })
      .inputValue();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole("button", { name: "Done" }).click();
    await item.getByText(/Old secret/).waitFor();
    await item.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(3);
    const afterRotation = receiver.received[2];
    if (!afterRotation) throw new Error("no webhook after rotation");
    expect(verifySignature(newSecret, afterRotation)).toBe(true);
    expect(verifySignature(secret, afterRotation)).toBe(true);

    await item.getByRole("button", { name: "Delete…" }).click();
    await page
      .getByRole("dialog", { name: "Delete this endpoint?" })
      .getByRole("button", { name: "Delete endpoint" })
      .click();
    await page.getByText("No webhook endpoints yet").waitFor();
    await toast("Endpoint deleted");
  });

  it("shows a connection's status, forwarding address, runs and bills, and offers to reconnect", async () => {
    const [harbor] = await stack.db
      .select()
      .from(site)
      .where(eq(site.companyId, stack.company.id))
      .limit(1);
    const [created] = await stack.db
      .insert(connection)
      .values({
        companyId: stack.company.id,
        providerName: "Harbor Gas & Power",
        utilityTypes: ["electricity", "gas"],
        ownerEmail: "energy@harbor.test",
        status: "error",
        statusReason: CONNECTION_ERROR_MESSAGES.mfa_timeout,
        lastCollectedAt: new Date("2026-02-03T09:15:00Z"),
      })
      .returning();
    if (!created || !harbor) throw new Error("seed failed");
    await stack.db.insert(connectionSite).values({ connectionId: created.id, siteId: harbor.id });
    const [firstRun] = await stack.db
      .insert(collectionRun)
      .values([
        {
          connectionId: created.id,
          companyId: stack.company.id,
          trigger: "first",
          status: "succeeded",
          billsFound: 1,
          billsNew: 1,
          startedAt: new Date("2026-02-03T09:14:00Z"),
          endedAt: new Date("2026-02-03T09:15:00Z"),
        },
        {
          connectionId: created.id,
          companyId: stack.company.id,
          trigger: "weekly",
          status: "failed",
          reason: "mfa_timeout",
          message: CONNECTION_ERROR_MESSAGES.mfa_timeout,
          startedAt: new Date("2026-02-10T09:14:00Z"),
          endedAt: new Date("2026-02-10T09:18:00Z"),
        },
      ])
      .returning();
    await stack.db.insert(bill).values({
      connectionId: created.id,
      companyId: stack.company.id,
      externalId: "INV-2041",
      utilityType: "electricity",
      periodStart: "2026-01-01",
      periodEnd: "2026-01-31",
      issuedOn: "2026-02-02",
      usage: "1234.500",
      unit: "kWh",
      amount: "187.42",
      currency: "USD",
      files: [
        {
          kind: "pdf",
          key: `${stack.company.id}/${created.id}/inv-2041.pdf`,
          contentType: "application/pdf",
          bytes: 48_213,
          sha256: "0".repeat(64),
        },
      ],
      collectionRunId: firstRun?.id ?? null,
    });
    // Its document, where the collection would have stored it.
    await billStorageOf(stack.env).put(
      `${stack.company.id}/${created.id}/inv-2041.pdf`,
      BILL_PDF,
      "application/pdf",
    );

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Connections" })
      .click();
    await page.getByRole("link", { name: "Harbor Gas & Power" }).click();
    await page.getByRole("heading", { name: "Harbor Gas & Power", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/connections/${created.id}`);

    const status = page.getByRole("region", { name: "Status" });
    await status.getByText(CONNECTION_ERROR_MESSAGES.mfa_timeout).waitFor();
    await expect(status.textContent()).resolves.toMatch(/Harbor View Apartments|Maple Court/);
    await status.getByText("energy@harbor.test").waitFor();

    const forwarding = page.getByRole("textbox", { name: "Forwarding address" });
    await expect(forwarding.inputValue()).resolves.toBe(
      `${created.forwardingKey}@${stack.env.INBOUND_EMAIL_DOMAIN}`,
    );
    await page.getByRole("button", { name: "Copy forwarding address" }).click();
    await toast("Forwarding address copied");

    const runs = page.getByRole("list", { name: "Collection runs" });
    await expect(runs.getByRole("listitem").count()).resolves.toBe(2);
    // Newest first: the failed weekly run, then the first collection.
    await expect(runs.textContent()).resolves.toMatch(
      /Failed.*Weekly collection.*0 bills found.*one-time code.*Succeeded.*First collection.*1 bill found, 1 new/s,
    );

    const bills = page.getByRole("table", { name: "Bills" });
    const row = bills.getByRole("row", { name: /INV-2041/ });
    await expect(row.textContent()).resolves.toMatch(/1,234\.5 kWh.*\$187\.42.*PDF · 47 KB/s);
    // The admin downloads the bill's PDF: the stored document, byte for byte, named for the bill.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("link", { name: "Download PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^bill-.*\.pdf$/);
    const saved = await download.path();
    await expect(readFile(saved)).resolves.toEqual(BILL_PDF);
    await screenshot(page, "admin-connection-detail");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);

    await clearToasts();
    await page.getByRole("link", { name: "Send reconnect invitation" }).click();
    await page.getByRole("heading", { name: "Who is this invitation for?" }).waitFor();
    await expect(page.getByRole("radio", { name: /Reconnect/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole("radio", { name: /Harbor Gas & Power/ }).isChecked()).resolves.toBe(
      true,
    );
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByLabel("Days until expiry").inputValue()).resolves.toBe("7");

    // Another company's connection, or none at all, is simply not found.
    await page.goto(`${stack.url}/connections/${crypto.randomUUID()}`);
    await page.getByRole("alert").getByText("This connection was not found").waitFor();
    await page.goto(`${stack.url}/connections/not-a-connection`);
    await page.getByText("This connection was not found").waitFor();
  });

  it("fits a 360 px phone", async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      storageState: await context.storageState(),
    });
    phone.setDefaultTimeout(5000);
    const small = await phone.newPage();
    const [row] = await stack.db
      .select({ id: connection.id })
      .from(connection)
      .where(eq(connection.providerName, "Harbor Gas & Power"));
    for (const [path, name] of [
      ["/settings/api-keys", "admin-api-keys-phone"],
      ["/settings/webhooks", "admin-webhooks-phone"],
      [`/connections/${row?.id}`, "admin-connection-detail-phone"],
    ] as const) {
      await small.goto(`${stack.url}${path}`);
      await small.getByRole("main").getByRole("heading").first().waitFor();
      await small.waitForLoadState("networkidle");
      await expect(
        small.evaluate(() => document.documentElement.scrollWidth),
      ).resolves.toBeLessThanOrEqual(360);
      await screenshot(small, name);
    }
    // The tallest dialog stays within a short phone screen and scrolls inside.
    await small.goto(`${stack.url}/settings/webhooks`);
    await small.getByRole("button", { name: "Add endpoint" }).first().click();
    const dialog = small.getByRole("dialog", { name: "Add a webhook endpoint" });
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box?.height).toBeLessThanOrEqual(740);
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await dialog.getByText("Enter the endpoint's address").waitFor();
    await screenshot(small, "admin-webhook-create-phone");
    await phone.close();
  });
});
