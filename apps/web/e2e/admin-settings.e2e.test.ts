// Settings in real Chromium: branding with its live preview (and what recipients then
// get), embedding origins, and the API keys page. One browser for the file.
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
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
  await signInAdmin(page, {
    url: stack.url,
    ...stack.admin,
    next: "/settings/branding",
    heading: "Branding",
  });
}, 30_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

// A 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

// The WOFF2 signature and filler: the API checks the signature (no real font is needed to
// see that the page asks for the upload; the browser then falls back to the stack).
const WOFF2 = Buffer.concat([Buffer.from("wOF2"), Buffer.alloc(64, 7)]);

const toast = (title: string) =>
  page
    .getByRole("region", { name: /Notifications/ })
    .getByText(title)
    .first()
    .waitFor();

describe("settings (real Chromium)", { timeout: 20_000 }, () => {
  it("changes branding with a live preview, saves it, and recipients get it", async () => {
    const preview = page.getByRole("figure", { name: "Recipient page preview" });
    await preview.waitFor();
    await expect(preview.textContent()).resolves.toContain("Secured by Meterlink");
    await screenshot(page, "admin-branding-before");

    await page.getByLabel("Display name").fill("Harbor Estates");
    await preview.getByText("Harbor Estates asks you to connect").waitFor();

    // A file that is not an allowed image is refused before anything is sent.
    await page.getByLabel("Upload logo").setInputFiles({
      name: "logo.gif",
      mimeType: "image/gif",
      buffer: Buffer.from("GIF89a"),
    });
    await page.getByText("Upload a PNG, JPEG or SVG image").waitFor();
    await page.getByLabel("Upload logo").setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: PNG,
    });
    await preview.getByRole("img", { name: "Harbor Estates logo" }).waitFor();

    await page.getByLabel("Primary colour hex").fill("#1d4ed8");
    await expect(
      preview.getByText("Get started").evaluate((el) => getComputedStyle(el).backgroundColor),
    ).resolves.toBe("rgb(29, 78, 216)");
    await page.getByLabel("Font", { exact: true }).selectOption("serif");
    await expect(preview.evaluate((el) => getComputedStyle(el).fontFamily)).resolves.toMatch(
      /serif$/,
    );
    await page.getByLabel("White-label").check();
    await preview.getByText("© Harbor Estates").waitFor();
    await expect(preview.textContent()).resolves.not.toContain("Meterlink");
    // An uploaded font must be WOFF2: a TrueType file is refused with what to do.
    await page.getByLabel("Upload font").setInputFiles({
      name: "brand.ttf",
      mimeType: "font/ttf",
      buffer: Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x10]),
    });
    await page.getByText("This file is not a WOFF2 font. Convert it to WOFF2").waitFor();
    await page.getByLabel("Upload font").setInputFiles({
      name: "brand.woff2",
      mimeType: "application/octet-stream",
      buffer: WOFF2,
    });
    await page.getByText("New font ready: save to use it.").waitFor();
    await expect(preview.evaluate((el) => getComputedStyle(el).fontFamily)).resolves.toMatch(
      /^"Brand upload", .*serif$/,
    );
    await screenshot(page, "admin-branding-preview");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);

    await page.getByRole("button", { name: "Save branding" }).click();
    await toast("Branding saved");
    // The app shell shows the new name too.
    await page
      .getByRole("complementary")
      .getByText("Harbor Estates", { exact: true })
      .first()
      .waitFor();

    await page.reload();
    await preview.getByRole("img", { name: "Harbor Estates logo" }).waitFor();
    await expect(page.getByLabel("Primary colour hex").inputValue()).resolves.toBe("#1d4ed8");
    await expect(page.getByLabel("White-label").isChecked()).resolves.toBe(true);
    await page.getByText("Using your uploaded font.").waitFor();
    // The saved branding's previews: the real invitation email, and the phone landing.
    const email = page.frameLocator('iframe[title="Invitation email preview"]');
    await expect.poll(() => email.locator("body").textContent()).toContain("Harbor Estates");
    await expect(email.locator("body").textContent()).resolves.not.toContain("Meterlink");
    const phone = page.frameLocator('iframe[title="Phone preview"]');
    await phone.getByRole("heading", { name: /Harbor Estates asks you to connect/ }).waitFor();
    await expect(phone.locator("html").evaluate(() => window.innerWidth)).resolves.toBe(390);
    await screenshot(page, "admin-branding-saved-previews");

    // White text on yellow: a warning with its WCAG ratio comes before anything is saved…
    await page.getByLabel("Primary colour hex").fill("#fde047");
    // The preview's button text turns near-black on yellow, as the recipient page's does.
    await expect(
      preview.getByText("Get started").evaluate((el) => getComputedStyle(el).color),
    ).resolves.toBe("rgb(15, 23, 42)");
    await page.getByRole("button", { name: "Save branding" }).click();
    const warning = page.getByRole("alert").filter({ hasText: "Low contrast" });
    await warning.getByText(/#fde047 has a contrast of 1\.\d:1 against the white page/).waitFor();
    // (No axe run here: the live preview shows the low-contrast colour on purpose.)
    await screenshot(page, "admin-branding-contrast-warning");
    await page.reload();
    await expect(page.getByLabel("Primary colour hex").inputValue()).resolves.toBe("#1d4ed8");
    // …and the admin may keep the colour anyway.
    await page.getByLabel("Primary colour hex").fill("#fde047");
    await page.getByRole("button", { name: "Save branding" }).click();
    await warning.getByRole("button", { name: "Save anyway" }).click();
    await toast("Branding saved");
    await page.reload();
    await expect(page.getByLabel("Primary colour hex").inputValue()).resolves.toBe("#fde047");
    // A colour that reads well saves without a word.
    await page.getByLabel("Primary colour hex").fill("#1d4ed8");
    await page.getByRole("button", { name: "Save branding" }).click();
    await expect(warning.count()).resolves.toBe(0);
    // Saved (nothing left to save) before the reload reads it back.
    await expect
      .poll(() => page.getByRole("button", { name: "Save branding" }).isDisabled())
      .toBe(true);
    await page.reload();
    await expect(page.getByLabel("Primary colour hex").inputValue()).resolves.toBe("#1d4ed8");

    // Bad input is refused with a reason, and nothing is saved.
    await page.getByLabel("Accent colour hex").fill("orange; background:url(x)");
    // What was typed stays typed (CI5 once found the Save button disabled right after this).
    await expect(page.getByLabel("Accent colour hex").inputValue()).resolves.toBe(
      "orange; background:url(x)",
    );
    await page.getByRole("button", { name: "Save branding" }).click();
    await page.getByText("Use a hex colour like #0f766e.").waitFor();
    await page.getByRole("button", { name: "Discard changes" }).click();

    // What a recipient's page is given for this company.
    const created = await page.evaluate(async () => {
      const response = await fetch("/trpc/admin.invitations.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: "contributor", delivery: { kind: "manual" } }),
      });
      return ((await response.json()) as { result: { data: { url: string } } }).result.data;
    });
    const token = new URL(created.url).pathname.split("/").pop() ?? "";
    const opened = await fetch(
      `${stack.url}/trpc/recipient.open?input=${encodeURIComponent(JSON.stringify({ token }))}`,
    );
    const body = (await opened.json()) as {
      result: { data: { company: Record<string, unknown> } };
    };
    expect(body.result.data.company).toMatchObject({
      displayName: "Harbor Estates",
      primaryColor: "#1d4ed8",
      font: "serif",
      whiteLabel: true,
    });
    expect(String(body.result.data.company.logoUrl)).toMatch(/^data:image\/png;base64,/);

    // And the recipient's page wears it: logo, brand colour, no vendor name.
    const recipient = await context.newPage();
    const cspViolations: string[] = [];
    recipient.on("console", (message) => {
      if (/Content Security Policy/.test(message.text())) cspViolations.push(message.text());
    });
    const fontResponse = recipient.waitForResponse((response) =>
      /\/brand\/[0-9a-f-]+\/font\?v=/.test(response.url()),
    );
    await recipient.goto(created.url);
    await recipient.getByRole("img", { name: "Harbor Estates" }).first().waitFor();
    await expect(
      recipient.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue("--brand").trim(),
      ),
    ).resolves.toBe("#1d4ed8");
    await expect(recipient.locator("body").textContent()).resolves.not.toContain("Meterlink");
    // The uploaded font is the page's @font-face, fetched from the API under the page's CSP.
    const served = await fontResponse;
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toBe("font/woff2");
    expect((await served.body()).equals(WOFF2)).toBe(true);
    await expect(
      recipient.evaluate(() => getComputedStyle(document.body).fontFamily),
    ).resolves.toMatch(/^"Brand upload", /);
    expect(cspViolations).toEqual([]);
    await screenshot(recipient, "recipient-branded");
    await recipient.close();
  });

  it("keeps a list of origins allowed to embed invitations", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Embedding" })
      .click();
    await page.getByRole("heading", { name: "Embedding" }).waitFor();
    await page.getByText("No sites may embed your invitations").waitFor();
    await screenshot(page, "admin-embedding-empty");

    const input = page.getByRole("textbox", { name: "Allowed origin" });
    await input.fill("http://app.example.com");
    await page.getByRole("button", { name: "Add origin" }).click();
    await page
      .getByRole("alert")
      .getByText(/must use https/)
      .waitFor();

    await input.fill("https://app.example.com/");
    await page.getByRole("button", { name: "Add origin" }).click();
    const list = page.getByRole("list", { name: "Allowed origins" });
    await list.getByText("https://app.example.com", { exact: true }).waitFor();
    await toast("Embedding origins saved");
    await input.fill("http://localhost:5173");
    await page.getByRole("button", { name: "Add origin" }).click();
    await list.getByText("http://localhost:5173").waitFor();
    await screenshot(page, "admin-embedding");
    await expect(axeProblems(page, WCAG_A_AA)).resolves.toEqual([]);

    await page.getByRole("button", { name: "Remove https://app.example.com" }).click();
    await list.getByText("https://app.example.com", { exact: true }).waitFor({ state: "detached" });
    // Saved (the toast), then reloaded: the list shows what the server kept.
    await toast("Embedding origins saved");
    await page.reload();
    await list.getByText("http://localhost:5173").waitFor();
    await expect(list.getByRole("listitem").count()).resolves.toBe(1);
  });

  it("opens API keys from the navigation, empty until a key is created", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "API keys" })
      .click();
    await page.getByText("No API keys yet").waitFor();
    await screenshot(page, "admin-api-keys");
  });

  it("fits a 360 px phone", async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      storageState: await context.storageState(),
    });
    const small = await phone.newPage();
    for (const path of ["/settings/branding", "/settings/embedding", "/connections"]) {
      await small.goto(`${stack.url}${path}`);
      await small.getByRole("main").getByRole("heading").first().waitFor();
      await small.waitForLoadState("networkidle");
      await expect(
        small.evaluate(() => document.documentElement.scrollWidth),
      ).resolves.toBeLessThanOrEqual(360);
    }
    await screenshot(small, "admin-connections-phone");
    await small.goto(`${stack.url}/settings/branding`);
    await small.getByRole("figure", { name: "Recipient page preview" }).waitFor();
    await screenshot(small, "admin-branding-phone");
    await phone.close();
  });
});
