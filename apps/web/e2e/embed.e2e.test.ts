// The recipient flow embedded in a customer's page, in real Chromium: a developer
// creates an invitation with the REST API, and two host pages on two loopback origins
// frame `/p/i/{token}?embed=1`. The origin the company allowed (Settings › Embedding)
// shows the flow; the other one is refused by the browser (`frame-ancestors`). Host-page
// events are checked as an integrator listens for them: only the origin the snippet named
// (`&origin=`), and only if the company allowed it, hears `ready`, `completed`, `error`.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { company, invitation, invitationEvent } from "@meterlink/db";
import { eq } from "drizzle-orm";
import type { Browser, ConsoleMessage, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../api/src/services/api-keys/manage";
import { launchBrowser, screenshot } from "./browser";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
const hosts: Server[] = [];

/**
 * A customer's page on its own origin, framing the given URL (or `?frame=`), and keeping
 * every message it hears, as an integrator's listener would.
 */
async function hostPage(frameUrl: () => string): Promise<string> {
  const server = createServer((req, res) => {
    const src = new URL(req.url ?? "/", "http://host").searchParams.get("frame") ?? frameUrl();
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(
      `<!doctype html><title>Customer portal</title><h1>Connect your utility</h1>
       <script>
         window.heard = [];
         window.addEventListener("message", (event) => {
           window.heard.push({ origin: event.origin, data: event.data });
         });
       </script>
       <iframe id="meterlink" title="Meterlink" src="${src.replaceAll('"', "&quot;")}" width="480" height="720"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hosts.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let embedUrl = "";
let invitationId = "";
let createInvitation: () => Promise<{ id: string; url: string }>;
let allowedOrigin = "";
let refusedOrigin = "";

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  allowedOrigin = await hostPage(() => embedUrl);
  refusedOrigin = await hostPage(() => embedUrl);
  await stack.db
    .update(company)
    .set({ allowedFrameOrigins: [allowedOrigin] })
    .where(eq(company.id, stack.company.id));
  const [row] = await stack.db.select().from(company).where(eq(company.id, stack.company.id));
  if (!row) throw new Error("no company");
  const key = await createApiKey({
    ctx: { db: stack.db, company: row, actor: { type: "api", id: "e2e" } },
    input: { name: "Customer portal" },
  });
  createInvitation = async () => {
    const response = await fetch(`${stack.url}/api/v1/invitations`, {
      method: "POST",
      headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
      body: JSON.stringify({ delivery: { kind: "manual" }, prefill: { country: "US" } }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string; url: string };
  };
  const created = await createInvitation();
  invitationId = created.id;
  embedUrl = `${created.url}?embed=1`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((server) => new Promise((resolve) => server.close(resolve))));
  await stack?.close();
});

async function views() {
  const rows = await stack.db
    .select({ type: invitationEvent.type })
    .from(invitationEvent)
    .where(eq(invitationEvent.invitationId, invitationId));
  return rows.filter((row) => row.type === "viewed").length;
}

describe("embedding the recipient flow", () => {
  it("runs inside an allowed origin's iframe, cookies and all", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = page.waitForResponse((r) =>
        r.url().startsWith(embedUrl.split("?")[0] ?? ""),
      );
      await page.goto(allowedOrigin);
      // The page's own policy (apps/api/src/http/spa.ts) comes first; the frame policy
      // is its last directive.
      const policy = (await response).headers()["content-security-policy"] ?? "";
      expect(policy.split("; ").at(-1)).toBe(`frame-ancestors 'self' ${allowedOrigin}`);
      const frame = page.frame({ url: (url) => url.pathname.startsWith("/p/i/") });
      if (!frame) throw new Error("no recipient frame");
      await frame.waitForLoadState("load");
      // The recipient page's own title, once it knows the company (until then a
      // white-label-safe blank, public/recipient-head.js).
      await expect.poll(() => frame.title(), { timeout: 10_000 }).not.toBe("\u200e");
      expect(await frame.title()).not.toBe("");
      // The SPA inside the frame opened the invitation (recipient session cookie set).
      for (let i = 0; i < 50 && (await views()) === 0; i++) await page.waitForTimeout(100);
      expect(await views()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("is refused by the browser on an origin the company did not allow", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const before = await views();
      const refusals: string[] = [];
      page.on("console", (message: ConsoleMessage) => {
        if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
      });
      await page.goto(refusedOrigin);
      for (let i = 0; i < 50 && refusals.length === 0; i++) await page.waitForTimeout(100);
      expect(refusals[0]).toMatch(/(Refused to frame|has been blocked)/);
      expect(refusals[0]).toContain(`frame-ancestors 'self' ${allowedOrigin}`);
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      // Chromium shows its own error page in place of ours: none of our page runs.
      const title = await frame?.title().catch(() => "");
      expect(title).not.toBe("Meterlink");
      await page.waitForTimeout(500);
      expect(await views()).toBe(before);
    } finally {
      await context.close();
    }
  });

  type THeard = { origin: string; data: { source?: string; type?: string; code?: string } };
  const heard = (page: Page) =>
    page.evaluate(() => (window as unknown as { heard: THeard[] }).heard);

  /** The host page at `host`, framing `url` (`embed=1&origin=…` added), once the flow opened. */
  async function openFramed(
    host: string,
    url: string,
    origin: string | null,
  ): Promise<[Page, Frame]> {
    const page = await browser.newPage();
    const src = new URL(url);
    src.searchParams.set("embed", "1");
    if (origin) src.searchParams.set("origin", origin);
    await page.goto(`${host}/?frame=${encodeURIComponent(src.toString())}`);
    const frame = page.frame({ url: (candidate) => candidate.pathname.startsWith("/p/i/") });
    if (!frame) throw new Error("no recipient frame");
    return [page, frame];
  }

  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    let value = await read();
    for (let i = 0; i < 100 && !ok(value); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await read();
    }
    return value;
  }

  it("tells the host page it names in `origin` when the recipient completes", async () => {
    const created = await createInvitation();
    const [page, frame] = await openFramed(allowedOrigin, created.url, allowedOrigin);
    try {
      await frame.getByLabel(/I agree/).check();
      await frame.getByRole("button", { name: "Get started" }).click();
      await frame.getByRole("button", { name: "My utility is not listed" }).click();
      await frame.getByLabel("Utility name").fill("City Water");
      await frame.getByRole("button", { name: "Continue" }).click();
      await frame.getByLabel("Username or email").fill("sam@example.com");
      await frame.getByLabel(/^Password$/).fill("correct-horse-1");
      await frame.getByRole("button", { name: "Continue" }).click();
      await frame.getByLabel("Harbor View Apartments").check();
      await frame.getByLabel("Water").check();
      await frame.getByRole("button", { name: "Connect my account" }).click();
      const events = await eventually(
        () => heard(page),
        (list) => list.some((event) => event.data.type === "completed"),
      );
      const completed = events.find((event) => event.data.type === "completed");
      expect(completed?.origin).toBe(new URL(stack.url).origin);
      expect(completed?.data).toMatchObject({ source: "meterlink", type: "completed" });
      const [row] = await stack.db.select().from(invitation).where(eq(invitation.id, created.id));
      expect(row?.uses).toBe(1);
      expect(events.map((event) => event.data.type)).toContain("ready");
      await screenshot(page, "embed-completed");
    } finally {
      await page.close();
    }
  });

  it("tells the host page when the link is dead (`error`)", async () => {
    const created = await createInvitation();
    await stack.db
      .update(invitation)
      .set({ revokedAt: new Date() })
      .where(eq(invitation.id, created.id));
    const [page, frame] = await openFramed(allowedOrigin, created.url, allowedOrigin);
    try {
      await frame.getByRole("heading", { level: 1, name: "This link was cancelled" }).waitFor();
      const events = await eventually(
        () => heard(page),
        (list) => list.some((event) => event.data.type === "error"),
      );
      expect(events.find((event) => event.data.type === "error")?.data).toEqual({
        source: "meterlink",
        type: "error",
        code: "INVITATION_REVOKED",
      });
    } finally {
      await page.close();
    }
  });

  for (const [what, origin] of [
    ["an origin the company did not allow", () => refusedOrigin],
    ["no origin at all", () => null],
  ] as const) {
    it(`tells nothing to a framing page when the snippet names ${what}`, async () => {
      const created = await createInvitation();
      await stack.db
        .update(invitation)
        .set({ revokedAt: new Date() })
        .where(eq(invitation.id, created.id));
      const [page, frame] = await openFramed(allowedOrigin, created.url, origin());
      try {
        // The frame is allowed (frame-ancestors) and showed its dead-link page, which
        // is when the `error` event would have been posted.
        await frame.getByRole("heading", { level: 1, name: "This link was cancelled" }).waitFor();
        await frame.getByRole("button", { name: "Ask for a new link" }).waitFor();
        await page.waitForTimeout(500);
        expect(await heard(page)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
