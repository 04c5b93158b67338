// A new deployment without the demo seed: the first visitor sets up the company and its
// owner, then it is the normal sign-in; the owner invites an admin by email, who imports
// the sites from a CSV, adds the company's own utility and prefills an invitation with it.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./browser";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ seed: false }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("first-run setup (real Chromium, empty database)", () => {
  it("creates the company and owner, signs in, and is then closed", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/connections`);
    await page.getByRole("heading", { name: "Set up Meterlink" }).waitFor();

    await page.getByLabel("Company name").fill("Bayside Estates");
    await page.getByLabel("Your name").fill("Olive Owner");
    await page.getByLabel("Email").fill("olive@bayside.test");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create company" }).click();
    await page.getByText("Choose a password of at least 8 characters.").waitFor();
    await screenshot(page, "first-run-setup");

    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create company" }).click();
    await page.getByRole("heading", { name: "Connections" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // Set up once: the setup page now leads to the sign-in.
    await page.goto(`${stack.url}/setup`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill("olive@bayside.test");
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Connections" }).waitFor();
    // The shell names the company the owner created (the desktop sidebar; the mobile bar hides).
    await page.getByText("Bayside Estates").filter({ visible: true }).first().waitFor();
    await page.close();
  });

  it("the owner invites an admin by email; the admin imports sites and adds a utility", async () => {
    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await owner.goto(`${stack.url}/sign-in`);
    await owner.getByLabel("Email").fill("olive@bayside.test");
    await owner.getByLabel("Password").fill("a-long-password");
    await owner.getByRole("button", { name: "Sign in" }).click();
    await owner.getByRole("heading", { name: "Connections" }).waitFor();
    await owner.goto(`${stack.url}/settings/team`);
    await owner.getByRole("heading", { name: "Team" }).waitFor();
    const invite = owner.getByRole("form", { name: "Invite a team member" });
    await invite.getByLabel("Email").fill("ada@bayside.test");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await owner.getByText("ada@bayside.test · Admin").waitFor();
    await screenshot(owner, "team-invited");

    // The email in the mail sink; its link opens the join page in another browser.
    const email = await stack.mail.waitForMessage({ to: "ada@bayside.test", timeoutMs: 20_000 });
    const link = (await stack.mail.links(email.id)).find((found) =>
      found.href.includes("/join?token="),
    )?.href;
    expect(link).toBeDefined();
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await admin.goto(link ?? "");
    await admin
      .getByText("Bayside Estates invites ada@bayside.test to join as an admin.")
      .waitFor();
    await admin.getByLabel("Your name").fill("Ada Admin");
    await admin.getByLabel("Choose a password").fill("ada-long-password");
    await admin.getByRole("button", { name: "Join Bayside Estates" }).click();
    await admin.getByRole("heading", { name: "Connections" }).waitFor();

    // Three sites from a CSV with one bad line: shown by line, nothing imported, fixed.
    await admin.goto(`${stack.url}/sites`);
    await admin.getByRole("heading", { name: "Sites" }).waitFor();
    await admin.getByRole("button", { name: "Import CSV" }).click();
    const withBadLine = "name,address\nHarbor Tower,1 Quay St\n,2 Mill Rd\nDock 4,3 Pier\n";
    await admin.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "sites.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(withBadLine),
    });
    await admin.getByText("Line 3:").waitFor();
    await admin.getByText("Enter the site's name.").waitFor();
    await expect(admin.getByRole("button", { name: "Import 2 sites" }).isDisabled()).resolves.toBe(
      true,
    );
    await screenshot(admin, "sites-import-error");
    await admin.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "sites-fixed.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(withBadLine.replace(",2 Mill Rd", "Mill House,2 Mill Rd")),
    });
    await admin.getByRole("button", { name: "Import 3 sites" }).click();
    await admin.getByRole("cell", { name: "Mill House", exact: true }).waitFor();
    await expect(admin.getByRole("row").count()).resolves.toBe(4);

    // The company's own utility, by address: an http address is refused with the reason.
    await admin.goto(`${stack.url}/settings/utilities`);
    await admin.getByLabel("Name").fill("Bayside Water");
    await admin.getByLabel("Country").fill("US");
    await admin
      .getByLabel("Website or sign-in address")
      .fill("http://my.baysidewater-utility.com/");
    await admin.getByRole("checkbox", { name: "Water" }).check();
    await admin.getByRole("button", { name: "Add utility" }).click();
    await admin.getByText("Only https addresses are allowed").waitFor();
    await admin
      .getByLabel("Website or sign-in address")
      .fill("https://my.baysidewater-utility.com/sign-in");
    await admin.getByRole("button", { name: "Add utility" }).click();
    await admin.getByText("Opens only *.baysidewater-utility.com").waitFor();

    // The wizard finds it by name; the review names it.
    await admin.goto(`${stack.url}/invitations/new`);
    await admin.getByRole("heading", { name: "Who is this invitation for?" }).waitFor();
    await admin.getByRole("button", { name: "Continue" }).click();
    await admin.getByRole("heading", { name: "Access and prefill" }).waitFor();
    await admin.getByRole("combobox", { name: "Utility" }).fill("Bayside");
    await admin.getByRole("option", { name: /Bayside Water/ }).click();
    await admin.getByRole("checkbox", { name: "Harbor Tower" }).check();
    await admin.getByRole("button", { name: "Continue" }).click();
    await admin.getByRole("radio", { name: /I'll share the link myself/ }).check();
    await admin.getByRole("button", { name: "Continue" }).click();
    await admin.getByRole("heading", { name: "Review" }).waitFor();
    await admin.getByText("Bayside Water", { exact: true }).waitFor();
    await screenshot(admin, "wizard-review-own-utility");
    await ownerContext.close();
    await adminContext.close();
  });
});
