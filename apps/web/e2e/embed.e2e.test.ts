// The recipient flow embedded in a customer's page, in real Chromium: a developer
// creates an invitation with the REST API, and two host pages on two loopback origins
// frame `/p/i/{token}?embed=1`. The origin the company allowed (Settings › Embedding)
// shows the flow; the other one is refused by the browser (`frame-ancestors`).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { company, invitationEvent } from "@meterlink/db";
import { eq } from "drizzle-orm";
import type { Browser, ConsoleMessage } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../api/src/services/api-keys/manage";
import { launchBrowser } from "./browser";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
const hosts: Server[] = [];

/** A customer's page on its own origin, framing the given URL. */
async function hostPage(frameUrl: () => string): Promise<string> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(
      `<!doctype html><title>Customer portal</title><h1>Connect your utility</h1>
       <iframe id="meterlink" title="Meterlink" src="${frameUrl()}" width="480" height="720"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hosts.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let embedUrl = "";
let invitationId = "";
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
  const response = await fetch(`${stack.url}/api/v1/invitations`, {
    method: "POST",
    headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
    body: JSON.stringify({ delivery: { kind: "manual" }, prefill: { country: "US" } }),
  });
  expect(response.status).toBe(200);
  const created = (await response.json()) as { id: string; url: string };
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
      expect((await response).headers()["content-security-policy"]).toBe(
        `frame-ancestors 'self' ${allowedOrigin}`,
      );
      const frame = page.frame({ url: (url) => url.pathname.startsWith("/p/i/") });
      if (!frame) throw new Error("no recipient frame");
      await frame.waitForLoadState("load");
      expect(await frame.title()).toBe("Meterlink");
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
});
