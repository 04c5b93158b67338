import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./browser";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("admin sign-in (real Chromium)", () => {
  it("signs in with the demo login, sees the product navigation, and signs out", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/invitations`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screenshot(page, "admin-sign-in");

    await page.getByLabel("Email").fill(stack.admin.email);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/don't match/);

    await page.getByLabel("Password").fill(stack.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Back where the admin was going.
    await page.getByRole("heading", { name: "Invitations" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/invitations");

    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of ["Connections", "Invitations", "Branding", "API keys"]) {
      await expect(nav.getByRole("link", { name: label }).isVisible()).resolves.toBe(true);
    }
    await expect(nav.textContent()).resolves.toMatch(/Data Input.*Settings/s);

    await nav.getByRole("link", { name: "Connections" }).click();
    await page.getByRole("heading", { name: "Connections" }).waitFor();
    await page.getByRole("cell", { name: /City Water Department/ }).waitFor();
    await screenshot(page, "admin-connections");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // The session is really gone, not just hidden.
    await page.goto(`${stack.url}/connections`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(stack.logLines.join("\n")).not.toContain(stack.admin.password);
    await page.close();
  });

  it("fits a phone screen behind a menu button", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/sign-in`);
    await page.getByLabel("Email").fill(stack.admin.email);
    await page.getByLabel("Password").fill(stack.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Connections" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.isVisible()).resolves.toBe(false);
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(nav.isVisible()).resolves.toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await screenshot(page, "admin-phone-menu");
    await context.close();
  });
});
