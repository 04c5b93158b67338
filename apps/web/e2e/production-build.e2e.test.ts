// The SPA as production serves it: `vite build` output (global-setup.ts) on the API's
// public origin, no Vite dev server. What a browser and a cache see: index.html for every
// client-side route, revalidated on each load and under a Content-Security-Policy the
// app really runs under (no violation in real Chromium); hashed assets cached for a year;
// API and fleet paths never shadowed by the page.
import { get } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInAdmin } from "./browser";
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

/** The scripts and stylesheets index.html loads. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? "");
}

describe("the production build, served by the API", () => {
  it("answers every client-side route with the built index.html, revalidated each load", async () => {
    const root = await fetch(`${stack.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get("content-type")).toMatch(/^text\/html/);
    expect(root.headers.get("cache-control")).toBe("no-cache");
    const html = await root.text();
    // The build, not the dev server's page (which loads /@vite/client and /src/main.tsx).
    expect(html).not.toMatch(/@vite\/client|\/src\/main\.tsx/);
    expect(assetsOf(html).some((path) => /^\/assets\/index-[\w-]+\.js$/.test(path))).toBe(true);

    for (const route of ["/invitations", "/sign-in", "/connections/some-id"]) {
      const page = await fetch(`${stack.url}${route}`);
      expect(page.status, route).toBe(200);
      expect(page.headers.get("cache-control"), route).toBe("no-cache");
      expect(page.headers.get("content-security-policy"), route).toContain("script-src 'self'");
      await expect(page.text()).resolves.toBe(html);
    }

    // A reload revalidates: the same build answers 304 without a body. (node:http, as a
    // browser sends it: fetch() turns a conditional request into an unconditional one.)
    const etag = root.headers.get("etag");
    expect(etag).toBeTruthy();
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(`${stack.url}/invitations`, { headers: { "if-none-match": etag ?? "" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on("error", reject),
    );
    expect(status).toBe(304);
  });

  it("sends the page's CSP with the frame policy, and no inline script in the page", async () => {
    const response = await fetch(`${stack.url}/sign-in`);
    const policy = response.headers.get("content-security-policy") ?? "";
    const directives = Object.fromEntries(
      policy.split(";").map((part) => {
        const [name = "", ...values] = part.trim().split(/\s+/);
        return [name, values.join(" ")];
      }),
    );
    expect(directives["script-src"]).toBe("'self'");
    expect(directives["object-src"]).toBe("'none'");
    expect(directives["base-uri"]).toBe("'none'");
    expect(directives["frame-ancestors"]).toBe("'self'");
    expect(directives["connect-src"]).toContain(`ws://${new URL(stack.url).host}`);
    // script-src 'self' would block an inline script: the build must not emit one.
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("serves each hashed asset with its type, cached for a year as immutable", async () => {
    const html = await (await fetch(`${stack.url}/`)).text();
    const assets = assetsOf(html);
    expect(assets.some((path) => path.endsWith(".css"))).toBe(true);
    for (const path of assets) {
      const response = await fetch(`${stack.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(
        path.endsWith(".css") ? /^text\/css/ : /^(application|text)\/javascript/,
      );
      expect(response.headers.get("cache-control"), path).toBe(
        "public, max-age=31536000, immutable",
      );
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    // A tab still open on a previous build asks for a chunk that is gone: a 404, never the
    // page as JavaScript (which would fail with a MIME error instead of a clean reload).
    const stale = await fetch(`${stack.url}/assets/index-0ld0ld0l.js`);
    expect(stale.status).toBe(404);
    expect(stale.headers.get("content-type")).not.toMatch(/html/);
  });

  it("never shadows the API, the stream, the hooks or the fleet's paths", async () => {
    const json = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${stack.url}${path}`, init);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
      return response;
    };
    expect((await json("/healthz")).status).toBe(200);
    expect((await json("/readyz")).status).toBe(200);
    expect((await json("/api/v1/openapi.json")).status).toBe(200);
    // The REST API checks the key before it routes: no key, 401, whatever the path.
    expect((await json("/api/v1/no-such-endpoint")).status).toBe(401);
    expect((await json("/api/v1/connections")).status).toBe(401);
    expect((await json("/trpc/no.such.procedure")).status).toBe(404);
    expect((await json("/internal/fleet/heartbeat")).status).toBe(404);
    const heartbeat = await json("/internal/fleet/heartbeat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(heartbeat.status).toBe(404);
    expect((await json("/stream/no-such-session")).status).toBe(404);
    expect((await json("/hooks/no-such-hook", { method: "POST" })).status).toBe(404);
  });

  it("runs in Chromium under that policy without a single violation", async () => {
    const context = await browser.newContext();
    // Every violation the page reports, as the browser's own event describes it.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (event) =>
        seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await signInAdmin(page, {
      url: stack.url,
      email: stack.admin.email,
      password: stack.admin.password,
      next: "/invitations",
      heading: "Invitations",
    });
    const violations = () =>
      page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    // The recipient's stream is a WebSocket to our origin: the policy must let it connect
    // (the API then refuses the unknown session, which is not a violation).
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const socket = new WebSocket(`${location.origin.replace(/^http/, "ws")}/stream/x`);
          socket.onclose = () => resolve();
        }),
    );
    const admin = await violations();
    await page.goto(`${stack.url}/p/i/${"x".repeat(32)}`);
    await page.locator("main").first().waitFor();
    expect([...admin, ...(await violations()), ...refused]).toEqual([]);
    await context.close();
  });
});
