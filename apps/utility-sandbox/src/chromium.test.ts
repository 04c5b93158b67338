import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNTS } from "./accounts";
import { sandboxProviders, type TSandboxProvider } from "./catalog";
import { loadTestEnv } from "./env";
import { resolvePortalId } from "./portals";
import { startSandbox, type TSandbox } from "./server";
import type { TLoginAttempt, TSentCode } from "./state";

// The sandbox in real Chromium: the JS-only portal (no <form>, fetch login), the catalog's
// login recipes applied to every portal as the worker would, and the benchmark pages.
// One browser for the whole file.

let sandbox: TSandbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, control: true });
  browser = await puppeteer.launch({
    executablePath: loadTestEnv().PUPPETEER_EXECUTABLE_PATH,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--disable-gpu",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});
beforeEach(async () => {
  await fetch(`${sandbox.url}/_control/reset`, { method: "POST" });
  // A fresh incognito context per test, as the worker does per recipient session.
  const context = await browser.createBrowserContext();
  page = await context.newPage();
  return async () => {
    await context.close();
  };
});

async function attempts(portal: string): Promise<TLoginAttempt[]> {
  const response = await fetch(`${sandbox.url}/_control/attempts?portal=${portal}`);
  return ((await response.json()) as { attempts: TLoginAttempt[] }).attempts;
}

const pathname = () => new URL(page.url()).pathname;

describe("Helios Energy (JS-only login)", () => {
  it("has no form, shows its error in place, then logs in with Enter", async () => {
    await page.goto(`${sandbox.url}/helios/login`);
    await page.waitForSelector("#login-email");
    expect(await page.$$eval("form", (forms) => forms.length)).toBe(0);

    await page.type("#login-email", "alice@example.com");
    await page.type("#login-password", "Tr0ub4dor&3");
    await page.click("#login-button");
    await page.waitForSelector('[role="alert"]:not([hidden])');
    const error = await page.$eval('[role="alert"]', (el) => el.textContent);
    expect(error).toBe("Incorrect email address or password. Please try again.");
    expect(pathname()).toBe("/helios/login");

    await page.type("#login-password", "correct-horse-1");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    expect(pathname()).toBe("/helios/account");
    const billIds = await page.$$eval("tr[data-bill-id]", (rows) =>
      rows.map((row) => row.getAttribute("data-bill-id")),
    );
    expect(billIds).toHaveLength(SANDBOX_ACCOUNTS.helios[0]?.bills.length ?? -1);

    // The control API saw exactly what was typed, in order.
    expect(
      (await attempts("helios")).map((a) => [a.step, a.username, a.password, a.result]),
    ).toEqual([
      ["password", "alice@example.com", "Tr0ub4dor&3", "wrong-password"],
      ["password", "alice@example.com", "correct-horse-1", "success"],
    ]);
  });
});

/** The catalog recipe, applied as the worker applies it: fill what is there, submit, repeat. */
async function followRecipe(
  provider: TSandboxProvider,
  account: { username: string; password: string },
): Promise<void> {
  const { rules } = provider;
  await page.goto(provider.loginUrl);
  for (let step = 0; step < 4; step++) {
    if (pathname().startsWith(rules.successPathPrefix)) return;
    expect(pathname().startsWith(rules.loginPathPrefix)).toBe(true);
    const fields = [rules.usernameSelector, rules.passwordSelector, rules.codeSelector];
    await page.waitForSelector(fields.filter(Boolean).join(", "));
    if (await page.$(rules.usernameSelector))
      await page.type(rules.usernameSelector, account.username);
    if (await page.$(rules.passwordSelector))
      await page.type(rules.passwordSelector, account.password);
    if (rules.codeSelector && (await page.$(rules.codeSelector))) {
      const body = await page.evaluate(() => document.body.textContent ?? "");
      expect(rules.mfaText.some((text) => body.includes(text))).toBe(true);
      const portal = provider.id;
      const response = await fetch(
        `${sandbox.url}/_control/codes/${portal}/${encodeURIComponent(account.username)}`,
      );
      const { code } = (await response.json()) as TSentCode;
      await page.type(rules.codeSelector, code);
    }
    await Promise.all([page.waitForNavigation(), page.click(rules.submitSelector ?? "")]);
  }
}

describe("catalog login recipes", () => {
  it("sign into every portal in Chromium and find the bills", async () => {
    for (const provider of sandboxProviders(sandbox.url)) {
      const portalId = resolvePortalId(provider.id);
      const account = portalId && SANDBOX_ACCOUNTS[portalId][0];
      if (!account) throw new Error(`no account for ${portalId}`);
      await followRecipe(provider, account);
      expect(pathname().startsWith(provider.rules.successPathPrefix), provider.id).toBe(true);
      const rows = await page.$$(provider.rules.billsSelector);
      expect(rows.length, provider.id).toBe(account.bills.length);
    }
  });

  it("recognise the wrong-password page by the recipe's error texts", async () => {
    for (const provider of sandboxProviders(sandbox.url).filter((p) => p.mfa === "none")) {
      const portalId = resolvePortalId(provider.id);
      const username = (portalId && SANDBOX_ACCOUNTS[portalId][0]?.username) ?? "";
      await page.goto(provider.loginUrl);
      const { rules } = provider;
      for (let step = 0; step < 2; step++) {
        await page.waitForSelector(`${rules.usernameSelector}, ${rules.passwordSelector}`);
        if (await page.$(rules.usernameSelector)) await page.type(rules.usernameSelector, username);
        if (await page.$(rules.passwordSelector)) {
          await page.type(rules.passwordSelector, "not-the-password");
          await page.click(rules.submitSelector ?? "");
          break;
        }
        await Promise.all([page.waitForNavigation(), page.click(rules.submitSelector ?? "")]);
      }
      await page.waitForFunction(
        (texts: string[]) => texts.some((text) => (document.body.textContent ?? "").includes(text)),
        { timeout: 5000 },
        rules.errorText,
      );
      expect(pathname().startsWith(rules.loginPathPrefix), provider.id).toBe(true);
    }
  });
});

describe("benchmark pages", () => {
  it("typing: every keystroke bumps the painted counter and the title", async () => {
    await page.goto(`${sandbox.url}/bench/typing`);
    await page.focus("#typing");
    const before = await page.screenshot({ encoding: "base64" });
    await page.keyboard.type("héllo");
    await page.waitForFunction(() => document.title === "n=5");
    expect(await page.$eval("#count", (el) => el.textContent)).toBe("5");
    const after = await page.screenshot({ encoding: "base64" });
    expect(after).not.toBe(before);
    await page.keyboard.press("Backspace");
    await page.keyboard.type("!");
    await page.waitForFunction(() => document.title === "n=6");
  });

  it("animation: frames keep coming", async () => {
    await page.goto(`${sandbox.url}/bench/animation`);
    await page.waitForFunction(() => {
      const bench = (window as unknown as { __bench?: { frames: number } }).__bench;
      return (bench?.frames ?? 0) > 10;
    });
  });
});
