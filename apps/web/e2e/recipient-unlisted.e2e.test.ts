// #17: a recipient whose utility is not in the list types its website address on the
// utility step, in real Chromium against the real API. A refused address is said beside
// the field with what was typed kept; an address on a catalog provider's domain is that
// provider; any other public address opens the live sign-in restricted to its domain,
// and the connection (here finished by manual entry) shows the admin that domain.
//
// The stack has a fleet but no worker joins it: a live sign-in waits in line on the
// sign-in step it would run on, which is what the recipient sees of it here (the sandbox
// cannot serve a public https address; recipient-live.e2e.test.ts drives a real worker).
import { randomUUID } from "node:crypto";
import { connection, invitationConnection } from "@meterlink/db";
import { eq } from "drizzle-orm";
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importProviders } from "../../api/src/services/providers/import";
import { adminSessionOf, callerFor, createAdminUser } from "../../api/test/factories";
import { adminWorld, manualContributor, tokenOf } from "../../api/test/invitations";
import { axeProblems, launchBrowser, screenshot, signInAdmin } from "./browser";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let admin: ReturnType<typeof callerFor>;
let adminUser: Awaited<ReturnType<typeof createAdminUser>>;
const ADMIN_PASSWORD = "correct-horse-battery";

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    // A fleet no worker joins (FLEET_WORKERS unset admits none).
    startStack({ env: { FLEET_TOKEN: "e2e-fleet-token-unlisted-0123456789" } }),
    launchBrowser(),
  ]);
  adminUser = await createAdminUser(stack.db, stack.company.id, ADMIN_PASSWORD);
  admin = callerFor(stack.db, adminSessionOf(adminUser));
  // A catalog utility with a public website (the sandbox ones live on loopback).
  await importProviders(stack.db, {
    providers: [
      {
        id: "riverside-water",
        name: "Riverside Water",
        country: "US",
        loginUrl: "https://www.riversidewater.com/login",
        utilityTypes: ["water"],
      },
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

/** A contributor link (of `by`, else the demo company), agreed to, up to the "not listed" form. */
async function toNotListedForm(by = admin) {
  const created = await by.admin.invitations.create(manualContributor());
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  // Every startLogin the page sends, to see what it asked the API for.
  const startLogins: Request[] = [];
  page.on("request", (request) => {
    if (request.url().includes("recipient.startLogin")) startLogins.push(request);
  });
  await page.goto(`${stack.url}/p/i/${tokenOf(created.url)}`);
  await page.getByLabel(/I agree/).check();
  await page.getByRole("button", { name: "Get started" }).click();
  await heading(page, /Which utility/);
  await page.getByRole("button", { name: "My utility is not listed — enter its website" }).click();
  await heading(page, "Tell us about your utility");
  return { page, invitationId: created.id, startLogins };
}

/** The live sign-in step, waiting in line for a secure browser, then manual entry. */
async function liveStepThenManual(page: Page, name: string) {
  await heading(page, `Sign in to ${name}`);
  await page.getByText(/You are number \d+ in line/).waitFor();
  await page.getByRole("button", { name: /Enter your details instead/ }).click();
  await heading(page, `Enter your ${name} sign-in details`);
  await page.getByLabel("Username or email").fill(`sam+${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel(/^Password$/).fill("correct-horse-1");
  await page.getByRole("button", { name: "Continue" }).click();
  await heading(page, /Which buildings/);
}

/** The sites step: a site, then connect. */
async function finish(page: Page) {
  await page.getByLabel("Harbor View Apartments").check();
  await page.getByRole("button", { name: "Connect my account" }).click();
  await heading(page, /Thanks for connecting/);
}

async function connectionOf(invitationId: string) {
  const [row] = await stack.db
    .select({ connection })
    .from(invitationConnection)
    .innerJoin(connection, eq(connection.id, invitationConnection.connectionId))
    .where(eq(invitationConnection.invitationId, invitationId));
  return row?.connection;
}

/** What each startLogin call asked for (tRPC's JSON body, batched or not). */
function startLoginInputs(requests: Request[]): unknown[] {
  return requests.map((request) => {
    const body = request.postDataJSON() as Record<string, unknown>;
    return "0" in body ? body["0"] : body;
  });
}

describe("the recipient types their utility's website (real Chromium)", { timeout: 60_000 }, () => {
  it("refuses an http, a private and a loopback address beside the field, keeping what was typed", async () => {
    const { page, startLogins } = await toNotListedForm();
    const website = page.getByLabel("Website address");
    const refusals = [
      ["http://www.riverside-power.com/login", /Only https addresses are allowed/],
      ["https://10.0.0.5/login", /10\.0\.0\.5 is a private address/i],
      ["https://localhost:8443/", /not a public website/],
    ] as const;
    for (const [address, message] of refusals) {
      await website.fill(address);
      await page.getByRole("button", { name: "Continue" }).click();
      const error = page.getByText(message);
      await error.waitFor();
      // Said beside the address it is about, and nothing typed is lost.
      await expect(website.getAttribute("aria-invalid")).resolves.toBe("true");
      await expect(website.getAttribute("aria-describedby")).resolves.toContain(
        await error.getAttribute("id"),
      );
      await expect(website.inputValue()).resolves.toBe(address);
      await heading(page, "Tell us about your utility");
    }
    await screenshot(page, "recipient-unlisted-refused");
    expect(await axeProblems(page), "axe violations on the refused address").toEqual([]);
    expect(startLogins).toEqual([]);
    await page.close();
  });

  it("a test link refuses any typed address, saying to pick a sandbox utility", async () => {
    const testMode = await adminWorld(stack.db, { testOf: stack.company.id });
    const { page, startLogins } = await toNotListedForm(testMode.caller);
    await page.getByLabel("Website address").fill("https://www.riverside-power.com/");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText(/This is a test link: only sandbox utilities/).waitFor();
    await expect(page.getByLabel("Website address").inputValue()).resolves.toBe(
      "https://www.riverside-power.com/",
    );
    expect(startLogins).toEqual([]);
    await page.close();
  });

  it("an address on a catalog utility's domain is that utility", async () => {
    const { page, invitationId, startLogins } = await toNotListedForm();
    await page.getByLabel("Website address").fill("https://my.riversidewater.com/account");
    await page.getByRole("button", { name: "Continue" }).click();
    await liveStepThenManual(page, "Riverside Water");
    expect(startLoginInputs(startLogins)[0]).toMatchObject({ providerId: "riverside-water" });
    // The catalog says what Riverside supplies.
    await expect(page.getByLabel("Water").isChecked()).resolves.toBe(true);
    await finish(page);
    await expect(connectionOf(invitationId)).resolves.toMatchObject({
      providerId: "riverside-water",
      providerName: "Riverside Water",
      unlistedDomain: null,
    });
    await page.close();
  });

  it("any other public address signs in on that domain, and the admin sees it marked unlisted", async () => {
    const { page, invitationId, startLogins } = await toNotListedForm();
    // Typed as people type it: no https://.
    await page.getByLabel("Website address").fill("www.riverside-power.com/sign-in");
    await page.getByRole("button", { name: "Continue" }).click();
    await heading(page, "Sign in to riverside-power.com");
    await page
      .getByText(/in a secure remote browser that only opens pages of riverside-power\.com/)
      .waitFor();
    await screenshot(page, "recipient-unlisted-live");
    await liveStepThenManual(page, "riverside-power.com");
    // The live browser was asked for that address, checked, not for a provider.
    const [asked] = startLoginInputs(startLogins);
    expect(asked).toMatchObject({ unlistedUrl: "https://www.riverside-power.com/sign-in" });
    expect(asked).not.toHaveProperty("providerId");
    await page.getByLabel("Electricity").check();
    await finish(page);

    const created = await connectionOf(invitationId);
    expect(created).toMatchObject({
      status: "pending",
      providerId: null,
      providerName: "riverside-power.com",
      unlistedDomain: "riverside-power.com",
    });
    // The admin's connection page says it is unlisted, and which domain.
    const adminPage = await browser.newPage();
    await signInAdmin(adminPage, {
      url: stack.url,
      email: adminUser.email,
      password: ADMIN_PASSWORD,
      next: `/connections/${created?.id}`,
      heading: "riverside-power.com",
    });
    await adminPage.getByText("unlisted: riverside-power.com, not in the catalog").waitFor();
    await screenshot(adminPage, "recipient-unlisted-admin");
    await adminPage.close();
    await page.close();
  });
});
