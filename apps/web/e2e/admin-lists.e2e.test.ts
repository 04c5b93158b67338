// Admin lists that scale (#24 item 9), in real Chromium: a company with many connections
// finds one by search, narrows to the ones that need attention, and pages through the
// rest, one short row each.
import { connection, invitationEvent } from "@meterlink/db";
import { and, eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminSessionOf,
  callerFor,
  createAdminUser,
  createConnection,
} from "../../api/test/factories";
import { axeProblems, launchBrowser, screenshot, signInAdmin } from "./browser";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  // 30 active accounts and 3 that need attention, after the stack's own (City Water
  // Department among them, needing attention).
  for (let i = 1; i <= 30; i++) {
    await createConnection(stack.db, stack.company.id, {
      providerName: `Utility ${String(i).padStart(2, "0")}`,
      status: "active",
      statusReason: null,
      ownerEmail: `owner${i}@example.com`,
      utilityTypes: ["water"],
    });
  }
  for (const name of ["Broken Gas", "Broken Power", "Broken Water"]) {
    await createConnection(stack.db, stack.company.id, {
      providerName: name,
      statusReason:
        "The stored password stopped working; the portal now asks for a new one after its yearly reset.",
    });
  }
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
  await signInAdmin(page, {
    url: stack.url,
    ...stack.admin,
    next: "/connections",
    heading: "Connections",
  });
}, 60_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

const rows = () => page.getByRole("table", { name: "Connections" }).locator("tbody tr");
const providers = async () =>
  (await rows().locator("td:first-child a").allTextContents()).map((text) => text.trim());

describe("the Connections list", { timeout: 30_000 }, () => {
  it("pages through many connections, newest first, one short row each", async () => {
    const total = (
      await stack.db.select().from(connection).where(eq(connection.companyId, stack.company.id))
    ).length;
    expect(total).toBeGreaterThan(33);
    await page.getByText(`1–25 of ${total}`).waitFor();
    await expect(rows().count()).resolves.toBe(25);
    expect((await providers())[0]).toBe("Broken Water");
    // A long status reason stays on one line.
    const heights = await rows().evaluateAll((trs) => trs.map((tr) => tr.clientHeight));
    expect(Math.max(...heights)).toBeLessThan(72);
    await screenshot(page, "connections-paged");
    expect(await axeProblems(page)).toEqual([]);

    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText(`26–${total} of ${total}`).waitFor();
    await expect(rows().count()).resolves.toBe(total - 25);
    expect(await providers()).toContain("Utility 01");
    await page.getByRole("button", { name: "Previous" }).click();
    await page.getByText(`1–25 of ${total}`).waitFor();
  });

  it("on a phone, each row shows its status without scrolling the table sideways", async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    phone.setDefaultTimeout(5000);
    const small = await phone.newPage();
    await signInAdmin(small, {
      url: stack.url,
      ...stack.admin,
      next: "/connections",
      heading: "Connections",
    });
    const first = small.getByRole("table", { name: "Connections" }).locator("tbody tr").first();
    await first.getByText("Broken Water").waitFor();
    // The first row's status is on screen as the table first shows, not in a column off
    // its right edge.
    const shown = await first.getByText("error", { exact: true }).evaluateAll((badges) =>
      badges.some((badge) => {
        const box = badge.getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
      }),
    );
    expect(shown).toBe(true);
    await screenshot(small, "connections-phone");
    await phone.close();
  });

  it("narrows to the connections that need attention, and finds one by search", async () => {
    await page.getByLabel("Status").selectOption({ label: "Needs attention" });
    await expect
      .poll(providers)
      .toEqual(["Broken Water", "Broken Power", "Broken Gas", "City Water Department"]);
    expect(new URL(page.url()).searchParams.get("status")).toBe("error");

    await page.getByLabel("Search").fill("power");
    await expect.poll(providers).toEqual(["Broken Power"]);

    await page.getByLabel("Status").selectOption({ label: "All statuses" });
    await page.getByLabel("Search").fill("owner17@");
    await expect.poll(providers).toEqual(["Utility 17"]);

    await page.getByLabel("Search").fill("no such utility");
    await page.getByText("No connections match").waitFor();
    await screenshot(page, "connections-no-match");
  });
});

describe("revoking an invitation", { timeout: 30_000 }, () => {
  it("takes an optional reason, kept on the revoked event and shown in the activity", async () => {
    const user = await createAdminUser(stack.db, stack.company.id);
    const admin = callerFor(stack.db, adminSessionOf(user), { jobs: stack.jobs });
    const created = await admin.admin.invitations.create({
      kind: "contributor",
      delivery: { kind: "manual" },
      prefill: { ownerEmail: "tenant@harbor.test" },
    } as Parameters<typeof admin.admin.invitations.create>[0]);

    await page.goto(`${stack.url}/invitations`);
    await page.getByRole("button", { name: "Actions for tenant@harbor.test" }).click();
    await page.getByRole("menuitem", { name: "Revoke…" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke this invitation?" });
    await dialog.getByLabel(/Reason/).fill("  Tenant moved out in March  ");
    await screenshot(page, "invitations-revoke-reason");
    expect(await axeProblems(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Revoke invitation" }).click();
    await dialog.waitFor({ state: "detached" });

    const revoked = async () =>
      stack.db
        .select({ data: invitationEvent.data })
        .from(invitationEvent)
        .where(
          and(eq(invitationEvent.invitationId, created.id), eq(invitationEvent.type, "revoked")),
        );
    await expect
      .poll(async () => (await revoked())[0]?.data)
      .toMatchObject({
        reason: "Tenant moved out in March",
      });

    await page.goto(`${stack.url}/invitations/${created.id}?status=revoked`);
    const activity = page.getByRole("list", { name: "Activity" });
    await activity.getByText("Reason: Tenant moved out in March").waitFor();
    await screenshot(page, "invitations-revoke-reason-activity");
  });
});

describe("a reconnect invitation", { timeout: 30_000 }, () => {
  it("warns when the connection already has an active reconnect invitation", async () => {
    const user = await createAdminUser(stack.db, stack.company.id);
    const admin = callerFor(stack.db, adminSessionOf(user), { jobs: stack.jobs });
    const [covered, uncovered] = await Promise.all([
      createConnection(stack.db, stack.company.id, { providerName: "Covered Water" }),
      createConnection(stack.db, stack.company.id, { providerName: "Uncovered Gas" }),
    ]);
    await admin.admin.invitations.create({
      kind: "reconnect",
      targetConnectionId: covered.id,
      delivery: { kind: "manual" },
    } as Parameters<typeof admin.admin.invitations.create>[0]);

    const warning = page.getByRole("status").filter({ hasText: /already has an active reconnect/ });
    await page.goto(`${stack.url}/invitations/new?kind=reconnect&connection=${uncovered.id}`);
    await page.getByRole("heading", { name: "Who is this invitation for?" }).waitFor();
    await expect(page.getByRole("radio", { name: /Uncovered Gas/ }).isChecked()).resolves.toBe(
      true,
    );

    await page.getByRole("radio", { name: /Covered Water/ }).check();
    await warning.waitFor();
    await expect(
      warning.getByRole("link", { name: "resend or revoke that one" }).count(),
    ).resolves.toBe(1);
    await screenshot(page, "invitations-reconnect-already-active");
    expect(await axeProblems(page)).toEqual([]);

    await page.getByRole("radio", { name: /Uncovered Gas/ }).check();
    await expect.poll(() => warning.count()).toBe(0);
  });
});
