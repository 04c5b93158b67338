// Creates and instruments an incognito context + page for one session. Instrumentation
// (capture binding, capture script, main-frame navigation filter) is installed before the
// portal is loaded, so it can be pre-warmed: `hooks` are filled in by the session later.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, CDPSession, Page } from "puppeteer-core";
import { CAPTURE_BINDING, CAPTURE_SCRIPT } from "../capture/script";
import { browserContextProxyOptions } from "../egress/proxy";
import { BeginFrameDriver, takesBeginFrames } from "../stream/begin-frames";
import { STEADY_CARET_SCRIPT } from "../stream/screencast";
import { usesBeginFrames } from "./browser";
import { POPUP_GUARD_SCRIPT } from "./popup-guard";

export type TEgressSession = { proxyServer: string; close(): Promise<void> };
export type TEgress = { openSession(): Promise<TEgressSession>; close(): Promise<void> };

export type TPageHooks = {
  onCapture: (page: Page, raw: string) => void;
  isAllowed: (url: string) => boolean;
  onBlocked: (url: string) => void;
};

/** `frames`: the tab renders on begin frames (headless shell), driven by this. */
export type TTab = {
  page: Page;
  cdp: CDPSession;
  mainFrameId: string;
  frames: BeginFrameDriver | null;
};

export type TPreparedContext = {
  context: BrowserContext;
  tab: TTab;
  hooks: TPageHooks;
  egress: TEgressSession | null;
};

/** Until a session claims the context, nothing may load and nothing is captured. */
function inertHooks(): TPageHooks {
  return { onCapture: () => undefined, isAllowed: () => false, onBlocked: () => undefined };
}

export function isAllowedUrl(url: string, allowedHostnames: string[]): boolean {
  if (url === "about:blank") return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return false;
  // URL.hostname keeps IPv6 brackets; allow-lists hold bare addresses.
  const host = parsed.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return allowedHostnames.some((entry) => {
    const allowed = entry.toLowerCase().replace(/^\[(.*)\]$/, "$1");
    if (allowed.startsWith("*.")) {
      const base = allowed.slice(2);
      return host === base || host.endsWith(`.${base}`);
    }
    return host === allowed;
  });
}

export async function instrumentPage(page: Page, hooks: TPageHooks): Promise<TTab> {
  const browser = page.browser();
  await page.exposeFunction(CAPTURE_BINDING, (raw: unknown) => {
    if (typeof raw === "string") hooks.onCapture(page, raw);
  });
  await page.evaluateOnNewDocument(CAPTURE_SCRIPT);
  await page.evaluateOnNewDocument(POPUP_GUARD_SCRIPT);
  await page.evaluateOnNewDocument(STEADY_CARET_SCRIPT);
  const cdp = await page.createCDPSession();
  const { frameTree } = await cdp.send("Page.getFrameTree");
  const mainFrameId = frameTree.frame.id;
  // Only main-frame documents are filtered here (what the recipient navigates to);
  // subresources and iframes are the egress proxy's business.
  cdp.on("Fetch.requestPaused", (event) => {
    const blocked =
      event.frameId === mainFrameId &&
      event.resourceType === "Document" &&
      !hooks.isAllowed(event.request.url);
    // A refused navigation is answered here with "204 No Content", which browsers treat
    // as "stay on the current page": the request never leaves, and the recipient keeps
    // the page they were on instead of an error page.
    const reply = blocked
      ? cdp.send("Fetch.fulfillRequest", { requestId: event.requestId, responseCode: 204 })
      : cdp.send("Fetch.continueRequest", { requestId: event.requestId });
    reply.catch(() => undefined);
    if (blocked) hooks.onBlocked(event.request.url);
  });
  await Promise.all([
    cdp.send("Fetch.enable", { patterns: [{ resourceType: "Document", requestStage: "Request" }] }),
    cdp.send("Page.enable"),
    // Every session's page behaves as focused (focus/blur handlers of login forms, caret
    // painting), although many pages share one headless browser.
    cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true }),
  ]);
  // A popup of a begin-frame page may or may not take begin frames: ask it.
  const frames =
    usesBeginFrames(browser) && (await takesBeginFrames(browser, cdp))
      ? new BeginFrameDriver(browser, cdp)
      : null;
  page.once("close", () => frames?.close());
  return { page, cdp, mainFrameId, frames };
}

/** A new tab of `context`: on begin frames when its browser renders that way. */
export async function newTab(browser: Browser, context: BrowserContext): Promise<Page> {
  return usesBeginFrames(browser)
    ? await newBeginFramePage(browser, context)
    : await context.newPage();
}

const browserSessions = new WeakMap<Browser, Promise<CDPSession>>();

/**
 * A new tab of `context` that renders only on begin frames. Target.createTarget goes
 * through one kept browser session: a session per tab, detached after, lost puppeteer
 * its browser target when several tabs were made at once ("Browser target is not found").
 */
export async function newBeginFramePage(browser: Browser, context: BrowserContext): Promise<Page> {
  let root = browserSessions.get(browser);
  if (!root) {
    root = browser.target().createCDPSession();
    browserSessions.set(browser, root);
  }
  const marker = `about:blank#meterlink-${randomBytes(8).toString("hex")}`;
  const target = browser.waitForTarget((t) => t.url() === marker, { timeout: 10_000 });
  await (await root).send("Target.createTarget", {
    url: marker,
    browserContextId: context.id,
    enableBeginFrameControl: true,
  });
  const page = await (await target).page();
  if (!page) throw new Error("a begin-frame tab has no page");
  return page;
}

export async function prepareContext(
  browser: Browser,
  egress: TEgress | null,
): Promise<TPreparedContext> {
  const egressSession = egress ? await egress.openSession() : null;
  let context: BrowserContext | null = null;
  try {
    context = await browser.createBrowserContext({
      ...(egressSession ? browserContextProxyOptions(egressSession.proxyServer) : {}),
      downloadBehavior: { policy: "deny" },
    });
    const page = await newTab(browser, context);
    // Handlers read `hooks` fields at call time: the claiming session replaces them.
    const hooks = inertHooks();
    const tab = await instrumentPage(page, hooks);
    return { context, tab, hooks, egress: egressSession };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await egressSession?.close().catch(() => undefined);
    throw error;
  }
}
