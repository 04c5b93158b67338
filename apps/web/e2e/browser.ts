import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM_FLAGS = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-gpu",
];

export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_FLAGS, ...(process.getuid?.() === 0 ? ["--no-sandbox"] : [])],
  });
}

const screenshotDir = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "test-results",
  "screenshots",
);

/** Screenshots of each step, written by every run for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

const AXE_SCRIPT = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
export const WCAG_A_AA = ["wcag2a", "wcag2aa"];

/**
 * Serious and critical problems axe-core finds on the page as it is now (all rules, or
 * only the tags in `runOnly`), as `rule: selectors` lines: an empty list is a pass.
 */
export async function axeProblems(page: Page, runOnly?: string[]): Promise<string[]> {
  // Evaluated, not added as a <script>: the production page's CSP (script-src 'self')
  // refuses inline scripts, and the audit must not need the policy loosened.
  await page.evaluate(readFileSync(AXE_SCRIPT, "utf8"));
  return await page.evaluate(async (tags) => {
    type TResult = {
      violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
    };
    const axe = (
      window as unknown as {
        axe: { run: (context: unknown, options?: unknown) => Promise<TResult> };
      }
    ).axe;
    const result = await axe.run(document, tags ? { runOnly: tags } : {});
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, runOnly ?? null);
}

/**
 * Signs in through the real sign-in page and waits for the page the admin was going to
 * (`next`), recognised by its heading.
 */
export async function signInAdmin(
  page: Page,
  options: { url: string; email: string; password: string; next: string; heading: string },
): Promise<void> {
  await page.goto(`${options.url}/sign-in?next=${options.next}`);
  await page.getByLabel("Email").fill(options.email);
  await page.getByLabel("Password").fill(options.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: options.heading }).waitFor();
}
