// A new deployment without the demo seed: the first visitor sets up the company and its
// owner, then it is the normal sign-in.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
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
});
