// The invitations admin in real Chromium: both wizard flows, copy, resend, revoke,
// filters, search, the detail sheet, and the phone layout. One browser for the file.

import { connection, invitation, invitationConnection, invitationEvent } from "@meterlink/db";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeProblems, launchBrowser, screenshot, signInAdmin, WCAG_A_AA } from "./browser";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
  await signInAdmin(page, {
    url: stack.url,
    ...stack.admin,
    next: "/invitations",
    heading: "Invitations",
  });
}, 30_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
const toast = (title: string | RegExp) =>
  page
    .getByRole("region", { name: /Notifications/ })
    .getByText(title)
    .first()
    .waitFor();

function tab(name: string) {
  return page.getByRole("tab", { name: new RegExp(`^${name}`) });
}

async function tabCount(name: string): Promise<string> {
  return ((await tab(name).textContent()) ?? "").replace(name, "").trim();
}

let contributorLink = "";
let reconnectLink = "";

describe("invitations admin (real Chromium)", { timeout: 20_000 }, () => {
  it("starts empty and says what to do", async () => {
    await page.getByText("No invitations yet").waitFor();
    await screenshot(page, "admin-invitations-empty");
  });

  it("creates a contributor invitation through the wizard, with prefill and platform email", async () => {
    await page.getByRole("link", { name: "New invitation" }).click();
    await page.getByRole("heading", { name: "Who is this invitation for?" }).waitFor();
    await expect(page.getByRole("radio", { name: /Contributor/ }).isChecked()).resolves.toBe(true);
    await screenshot(page, "admin-wizard-1-flow");
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { name: "Access and prefill" }).waitFor();
    // Focus moved to the new step, for keyboard and screen-reader users.
    await expect(page.evaluate(() => document.activeElement?.textContent ?? "")).resolves.toBe(
      "Access and prefill",
    );
    await page.getByLabel("Allowed emails").fill("Not an email");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("Enter a valid email address").waitFor();
    await page.getByLabel("Allowed emails").fill("manager@harbor.test");
    await page.getByRole("radio", { name: "Expires after" }).check();
    await page.getByLabel("Days until expiry").fill("30");
    await page.getByLabel("Max uses").fill("2");
    await page.getByLabel("Provider website").fill("https://power.example.com/login");
    await page.getByLabel("Country").fill("us");
    await page.getByRole("checkbox", { name: "Harbor View Apartments" }).check();
    await page.getByRole("checkbox", { name: "Electricity" }).check();
    await page.getByLabel("Account owner email").fill("owner@harbor.test");
    await page.getByLabel("Collect bills from").fill("2026-01-01");
    await screenshot(page, "admin-wizard-2-access");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { name: "How should it reach them?" }).waitFor();
    await expect(
      page.getByRole("radio", { name: /Send by email \(recommended\)/ }).isChecked(),
    ).resolves.toBe(true);
    // Recipients are suggested from the allowed emails.
    await expect(page.getByLabel("Recipients").inputValue()).resolves.toBe("manager@harbor.test");
    await page.getByLabel("Personal message (optional)").fill("Harbor View electricity, please");
    await screenshot(page, "admin-wizard-3-delivery");
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { name: "Review" }).waitFor();
    await page.getByText("After 30 days").waitFor();
    await page.getByText("Email to manager@harbor.test").waitFor();
    await screenshot(page, "admin-wizard-4-review");
    await page.getByRole("button", { name: "Create invitation" }).click();

    await page.getByRole("heading", { name: "Your invitation is ready" }).waitFor();
    contributorLink = await page.getByLabel("Invitation link").inputValue();
    expect(contributorLink).toMatch(new RegExp(`^${stack.url}/p/i/[A-Za-z0-9_-]{20,}$`));
    const snippet = await page.getByLabel("Embed snippet").inputValue();
    // No allowed origin yet: a placeholder the admin replaces with their site (docs/embedding.md).
    expect(snippet).toContain(
      `<iframe src="${contributorLink}?embed=1&origin=https%3A%2F%2FYOUR-SITE.example"`,
    );
    await page.getByRole("button", { name: "Copy link" }).click();
    await toast("Link copied");
    await expect(clipboard()).resolves.toBe(contributorLink);
    await screenshot(page, "admin-wizard-5-created");
  });

  it("sends a reconnect invitation from a connection in error, prefilled with a 7-day expiry", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Connections" })
      .click();
    await page.getByRole("heading", { name: "Connections" }).waitFor();
    await page.getByText("The utility rejected the stored password").waitFor();
    await screenshot(page, "admin-connections-reconnect");
    await page
      .getByRole("row", { name: /City Water Department/ })
      .getByRole("link", { name: "Send reconnect invitation" })
      .click();

    await page.getByRole("heading", { name: "Who is this invitation for?" }).waitFor();
    await expect(page.getByRole("radio", { name: /Reconnect/ }).isChecked()).resolves.toBe(true);
    await expect(
      page.getByRole("radio", { name: /City Water Department/ }).isChecked(),
    ).resolves.toBe(true);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Access and prefill" }).waitFor();
    await expect(page.getByRole("radio", { name: "Expires after" }).isChecked()).resolves.toBe(
      true,
    );
    await expect(page.getByLabel("Days until expiry").inputValue()).resolves.toBe("7");
    // Reconnect carries the connection's own settings: no contributor prefill here.
    await expect(page.getByLabel("Provider website").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("radio", { name: /I'll share the link myself/ }).check();
    // A shared link has no recipient to be known by: the admin names it.
    await page.getByLabel("Name (optional)").fill("City Water reconnect");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("Reconnect City Water Department").waitFor();
    await page.getByText("City Water reconnect").waitFor();
    await page.getByText("Shared manually").waitFor();
    await page.getByRole("button", { name: "Create invitation" }).click();
    await page.getByRole("heading", { name: "Your invitation is ready" }).waitFor();
    reconnectLink = await page.getByLabel("Invitation link").inputValue();
    expect(reconnectLink).not.toBe(contributorLink);
  });

  it("lists both with counts per status, filters, searches and copies a link", async () => {
    await page.goto(`${stack.url}/invitations`);
    await page.getByRole("table").waitFor();
    await expect(tabCount("Active")).resolves.toBe("2");
    await expect(tabCount("All")).resolves.toBe("2");
    await expect(tabCount("Revoked")).resolves.toBe("0");
    const rows = page.getByRole("table", { name: "Invitations, newest first" }).getByRole("row");
    await expect(rows.count()).resolves.toBe(3); // header + 2
    const contributorRow = page.getByRole("row", { name: /manager@harbor\.test/ });
    await expect(contributorRow.textContent()).resolves.toMatch(/contributor.*0\/2.*active/is);
    const reconnectRow = page.getByRole("row", { name: /City Water reconnect/ });
    await expect(reconnectRow.textContent()).resolves.toMatch(/reconnect.*0\/1.*active/is);
    await expect(page.getByText(/Shared link [0-9a-f]{8}/).count()).resolves.toBe(0);
    await screenshot(page, "admin-invitations-list");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);

    await page.getByLabel("Search invitations").fill("harbor");
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid=invitations-list] tbody tr").length === 1,
    );
    expect(new URL(page.url()).searchParams.get("q")).toBe("harbor");
    await page.getByLabel("Search invitations").fill("nobody-at-all");
    await page.getByText("No invitations match “nobody-at-all”").waitFor();
    await screenshot(page, "admin-invitations-search-empty");
    await page.getByRole("button", { name: "clear the search" }).click();
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid=invitations-list] tbody tr").length === 2,
    );

    await page.getByRole("button", { name: "Actions for manager@harbor.test" }).click();
    await page.getByRole("menuitem", { name: "Copy link" }).click();
    await toast("Link copied");
    await expect(clipboard()).resolves.toBe(contributorLink);
  });

  it("resends the email, and the detail sheet shows it in the activity log", async () => {
    await page.getByRole("button", { name: "Actions for manager@harbor.test" }).click();
    await page.getByRole("menuitem", { name: "Resend email" }).click();
    await toast("Invitation sent again");

    await page.getByRole("link", { name: "manager@harbor.test" }).click();
    const sheet = page.getByRole("dialog", { name: "manager@harbor.test" });
    await sheet.waitFor();
    const activity = sheet.getByRole("list", { name: "Activity" });
    await activity.getByText("Email resent").waitFor();
    await expect(activity.textContent()).resolves.toMatch(/Created.*Email queued.*Email resent/s);
    // The log names the admin who acted (#24 item 9).
    await expect(activity.textContent()).resolves.toMatch(/Created.*by Dana Admin/s);
    // The resend created a second email for the same address, and it reached the inbox.
    await expect(
      sheet.getByRole("region", { name: "Emails" }).getByRole("listitem").count(),
    ).resolves.toBe(2);
    await expect
      .poll(async () => (await stack.mail.messages({ to: "manager@harbor.test" })).length, {
        timeout: 5000,
      })
      .toBe(2);
    await sheet.getByText("None yet.").waitFor();
    await screenshot(page, "admin-invitation-detail");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe("/invitations");
  });

  it("shows the recipient's progress and the linked connection in the detail sheet", async () => {
    // The recipient flow is another screen's job; here its outcome is written as the
    // API would record it, and the admin sheet must show it.
    const id = await page
      .getByRole("link", { name: "manager@harbor.test" })
      .getAttribute("href")
      .then((href) => href?.split("/")[2]?.split("?")[0] ?? "");
    const [created] = await stack.db
      .insert(connection)
      .values({
        companyId: stack.company.id,
        providerName: "Harbor Power Co",
        utilityTypes: ["electricity"],
        ownerEmail: "owner@harbor.test",
        status: "active",
      })
      .returning();
    if (!created) throw new Error("no connection");
    for (const type of ["viewed", "email_verified", "submitted", "connection_created"] as const) {
      await stack.db
        .insert(invitationEvent)
        .values({ invitationId: id, type, actorType: "recipient", data: {} });
    }
    await stack.db
      .insert(invitationConnection)
      .values({ invitationId: id, connectionId: created.id, action: "created" });

    await page.goto(`${stack.url}/invitations/${id}`);
    const sheet = page.getByRole("dialog", { name: "manager@harbor.test" });
    await sheet.getByText("Harbor Power Co").waitFor();
    await expect(sheet.getByRole("list", { name: "Activity" }).textContent()).resolves.toMatch(
      /Viewed.*Email verified.*Submitted.*Connection created/s,
    );
    await screenshot(page, "admin-invitation-detail-linked");
    await sheet.getByRole("button", { name: "Close" }).click();
    await stack.db
      .delete(invitationConnection)
      .where(eq(invitationConnection.connectionId, created.id));
  });

  it("revokes after confirmation: status Revoked at once, counts move, and the link is dead", async () => {
    const label = /City Water reconnect/;
    await page.getByRole("button", { name: new RegExp(`Actions for (${label.source})`) }).click();
    await page.getByRole("menuitem", { name: "Revoke…" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke this invitation?" });
    await dialog.waitFor();
    // Focus is inside the dialog, and Escape backs out without revoking.
    await expect(
      page.evaluate(() => document.activeElement?.closest("[role=dialog]") !== null),
    ).resolves.toBe(true);
    await screenshot(page, "admin-invitation-revoke-confirm");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expect(tabCount("Revoked")).resolves.toBe("0");

    await page.getByRole("button", { name: new RegExp(`Actions for (${label.source})`) }).click();
    await page.getByRole("menuitem", { name: "Revoke…" }).click();
    await dialog.getByRole("button", { name: "Revoke invitation" }).click();
    await toast("Invitation revoked");
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid=invitations-list] tbody tr").length === 1,
    );
    await expect(tabCount("Revoked")).resolves.toBe("1");
    await expect(tabCount("Active")).resolves.toBe("1");

    await tab("Revoked").click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("[data-testid=invitations-list] tbody tr")).some((row) =>
        /revoked/i.test(row.textContent ?? ""),
      ),
    );
    expect(new URL(page.url()).searchParams.get("status")).toBe("revoked");
    await screenshot(page, "admin-invitations-revoked-tab");
    await tab("Fulfilled").click();
    await page.getByText("No fulfilled invitations").waitFor();

    // The recipient's link is dead: opening it answers "revoked".
    const token = new URL(reconnectLink).pathname.split("/").pop() ?? "";
    const opened = await fetch(
      `${stack.url}/trpc/recipient.open?input=${encodeURIComponent(JSON.stringify({ token }))}`,
    );
    const body = (await opened.json()) as { error?: { data?: { appCode?: string } } };
    expect(body.error?.data?.appCode).toBe("INVITATION_REVOKED");
    const recipient = await context.newPage();
    await recipient.goto(reconnectLink);
    await recipient.locator('[data-error="INVITATION_REVOKED"]').waitFor();
    await recipient.getByRole("heading", { name: /cancelled|revoked/i }).waitFor();
    await screenshot(recipient, "recipient-revoked");
    await recipient.close();
  });

  it("the overview counts how far the recipients of the period's invitations got", async () => {
    // Two invitations sent; the contributor's recipient went all the way (events above),
    // the reconnect link was never opened before it was revoked.
    await page.goto(`${stack.url}/invitations?status=all`);
    const overview = page.getByTestId("invitation-funnel");
    // Folded above the list: one line of totals, the funnel on demand.
    await overview.getByText("Last 30 days: 2 sent · 1 opened · 1 completed").waitFor();
    await overview.getByText("Show funnel").click();
    const steps = overview.getByRole("table", { name: "Steps" });
    await steps.waitFor();
    const cells = async (row: string) =>
      (await steps.getByRole("row", { name: new RegExp(`^${row}`) }).textContent()) ?? "";
    await expect(cells("Sent")).resolves.toMatch(/^Sent2100%/);
    await expect(cells("Opened")).resolves.toMatch(/^OpenedMost recipients stop here150%1/);
    for (const row of ["Email confirmed", "Started sign-in", "Signed in", "Completed"]) {
      await expect(cells(row)).resolves.toMatch(new RegExp(`^${row}150%0`));
    }
    // Neither recipient chose a catalog utility (manual prefill, reconnect never opened).
    const byUtility = overview.getByRole("table", { name: "By utility" });
    await expect(
      byUtility.getByRole("row", { name: /^Not chosen yet/ }).textContent(),
    ).resolves.toBe("Not chosen yet211111");
    await screenshot(page, "admin-invitations-funnel");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);
    // A period with nothing in it says so.
    await stack.db.update(invitation).set({ createdAt: new Date(Date.now() - 60 * 86_400_000) });
    await overview.getByLabel("Invitations sent").selectOption("7");
    await overview.getByText("No invitations were sent in this period.").waitFor();
    await overview.getByLabel("Invitations sent").selectOption("90");
    await expect(cells("Sent")).resolves.toMatch(/^Sent2100%/);
  });

  it("fits a 360 px phone: list and wizard without sideways scrolling of the page", async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      storageState: await context.storageState(),
    });
    const small = await phone.newPage();
    await small.goto(`${stack.url}/invitations?status=all`);
    await small.getByRole("table").waitFor();
    const width = () => small.evaluate(() => document.documentElement.scrollWidth);
    await expect(width()).resolves.toBeLessThanOrEqual(360);
    await screenshot(small, "admin-invitations-phone");
    await small.goto(`${stack.url}/invitations/new`);
    await small.getByRole("heading", { name: "Who is this invitation for?" }).waitFor();
    await expect(width()).resolves.toBeLessThanOrEqual(360);
    await phone.close();
  });
});
