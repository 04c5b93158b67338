// Session lifecycle, isolation, capacity, stream framing and backpressure, against one
// shared Chromium. Every way a session can end must close its browser context.

import { createSocket } from "node:dgram";
import { Socket } from "node:net";
import type { TSessionView } from "@meterlink/shared/fleet";
import { FRAME_ACK_WINDOW } from "@meterlink/shared/stream";
import type { Browser, BrowserContext } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "../src/server";
import { TestClient } from "./client";
import { POS, startFixtures, type TFixtures } from "./fixtures";
import {
  api,
  createVault,
  FLEET_TOKEN,
  launchTestBrowser,
  sessionBody,
  startTestWorker,
  until,
} from "./harness";

let browser: Browser;
let fixtures: TFixtures;
let vault: Awaited<ReturnType<typeof createVault>>;
const workers: TWorker[] = [];

beforeAll(async () => {
  [browser, fixtures, vault] = await Promise.all([
    launchTestBrowser(),
    startFixtures(),
    createVault(),
  ]);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await browser?.close();
  await fixtures?.close();
});

async function worker(
  options: Parameters<typeof startTestWorker>[1] extends infer O ? Partial<O> : never = {},
) {
  const started = await startTestWorker(browser, { vaultPublicKey: vault.publicJwk, ...options });
  workers.push(started);
  return started;
}

async function open(w: TWorker, path: string, extra: Parameters<typeof sessionBody>[1] = {}) {
  const body = sessionBody(`${fixtures.url}${path}`, extra);
  const created = await api(w, "POST", "/sessions", body);
  expect(created.status).toBe(201);
  const context = w.inspect(body.sessionId)?.context;
  if (!context) throw new Error("session has no context");
  const client = await TestClient.connect(w.url, body.sessionId, FLEET_TOKEN);
  await client.waitForPage(path.split("?")[0] ?? path);
  return { client, sessionId: body.sessionId, context };
}

async function expectClosed(context: BrowserContext) {
  await expect.poll(() => browser.browserContexts().includes(context)).toBe(false);
}

async function view(w: TWorker, sessionId: string): Promise<TSessionView> {
  return (await api(w, "GET", `/sessions/${sessionId}`)).json as TSessionView;
}

describe("worker API", () => {
  it("refuses calls without the fleet token, on HTTP and on the stream", async () => {
    const w = await worker();
    expect((await api(w, "GET", "/sessions/x", undefined, "wrong-token")).status).toBe(401);
    expect((await fetch(`${w.url}/sessions/x`)).status).toBe(401);
    const body = sessionBody(`${fixtures.url}/plain`);
    expect((await api(w, "POST", "/sessions", body)).status).toBe(201);
    await expect(TestClient.connect(w.url, body.sessionId, "wrong-token")).rejects.toThrow(/401/);
    // A token in the URL is refused (it would end up in proxy and access logs).
    await expect(
      TestClient.connect(w.url, body.sessionId, FLEET_TOKEN, { viaQuery: true }),
    ).rejects.toThrow(/401/);
    expect((await fetch(`${w.url}/sessions/${body.sessionId}?token=${FLEET_TOKEN}`)).status).toBe(
      401,
    );
    const header = await TestClient.connect(w.url, body.sessionId, FLEET_TOKEN);
    await header.waitFor((m) => m.type === "ready");
    expect((await api(w, "DELETE", `/sessions/${body.sessionId}`)).status).toBe(204);
    expect((await fetch(`${w.url}/healthz`)).status).toBe(200);
    const metrics = await fetch(`${w.url}/metrics`, {
      headers: { authorization: `Bearer ${FLEET_TOKEN}` },
    });
    const text = await metrics.text();
    for (const name of [
      "browser_worker_sessions_active",
      "browser_worker_capacity",
      "browser_worker_session_start_seconds",
      "browser_worker_frames_sent_total",
      "browser_worker_input_to_frame_seconds",
      "browser_worker_outcomes_total",
    ]) {
      expect(text).toContain(name);
    }
  });

  it("rejects an invalid session request with the offending fields", async () => {
    const w = await worker();
    const bad = await api(w, "POST", "/sessions", { sessionId: "x", provider: {} });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "BAD_REQUEST", retryable: false });
  });
});

describe("sessions", () => {
  it("two parallel sessions share no cookies, storage or input", async () => {
    const w = await worker({ capacity: 2 });
    const [a, b] = await Promise.all([open(w, "/plain?mark=A"), open(w, "/plain")]);
    a.client.click(POS.first.x, POS.first.y);
    b.client.click(POS.first.x, POS.first.y);
    a.client.type("from-a");
    b.client.type("from-b");
    const value = (s: { sessionId: string }) =>
      w
        .inspect(s.sessionId)
        ?.page?.evaluate(
          `({ typed: document.querySelector("input").value, cookie: document.cookie, storage: localStorage.getItem("mark") })`,
        );
    await expect.poll(() => value(a)).toEqual({ typed: "from-a", cookie: "mark=A", storage: "A" });
    await expect.poll(() => value(b)).toEqual({ typed: "from-b", cookie: "", storage: null });
    expect(await b.context.cookies()).toEqual([]);
    // Capacity 2 is taken: a third session is refused, retryably.
    const third = await api(w, "POST", "/sessions", sessionBody(`${fixtures.url}/plain`));
    expect(third.status).toBe(503);
    expect(third.json).toMatchObject({ code: "AT_CAPACITY", retryable: true });
    expect(typeof (third.json as { message: unknown }).message).toBe("string");
    // DELETE ends one (context closed, client told), which frees a slot.
    expect((await api(w, "DELETE", `/sessions/${a.sessionId}`)).status).toBe(204);
    expect(await a.client.waitFor((m) => m.type === "ended")).toEqual({
      type: "ended",
      reason: "deleted",
    });
    await expectClosed(a.context);
    expect((await view(w, a.sessionId)).endReason).toBe("deleted");
    const again = await api(w, "POST", "/sessions", sessionBody(`${fixtures.url}/plain`));
    expect(again.status).toBe(201);
    b.client.close();
  });

  it("ends on client leave after the reconnect grace, and a reconnect within it keeps it", async () => {
    const w = await worker({ reconnectGraceMs: 400 });
    const first = await open(w, "/plain");
    first.client.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const back = await TestClient.connect(w.url, first.sessionId, FLEET_TOKEN);
    await back.waitFor((m) => m.type === "ready");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await view(w, first.sessionId)).state).toBe("running");
    back.close();
    await expectClosed(first.context);
    expect((await view(w, first.sessionId)).endReason).toBe("client_left");
  });

  it("ends on idle timeout", async () => {
    const w = await worker({ idleTimeoutMs: 700 });
    const s = await open(w, "/plain");
    expect(await s.client.waitFor((m) => m.type === "ended", 5_000)).toEqual({
      type: "ended",
      reason: "idle_timeout",
    });
    await expectClosed(s.context);
  });

  it("ends at the hard maximum even while the recipient is active", async () => {
    const w = await worker({ maxSessionMs: 1_500 });
    const s = await open(w, "/plain");
    const typing = setInterval(() => s.client.type("x"), 100);
    try {
      expect(await s.client.waitFor((m) => m.type === "ended", 5_000)).toEqual({
        type: "ended",
        reason: "max_duration",
      });
    } finally {
      clearInterval(typing);
    }
    await expectClosed(s.context);
  });

  it("drains: not ready, refuses new sessions, ends running ones after the grace", async () => {
    const w = await worker();
    const s = await open(w, "/plain");
    const drained = w.drain(400);
    const ready = await fetch(`${w.url}/readyz`);
    expect(ready.status).toBe(503);
    const refused = await api(w, "POST", "/sessions", sessionBody(`${fixtures.url}/plain`));
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ code: "DRAINING", retryable: true });
    expect(await s.client.waitFor((m) => m.type === "ended", 5_000)).toEqual({
      type: "ended",
      reason: "shutdown",
    });
    await drained;
    await expectClosed(s.context);
  });
});

describe("stream", () => {
  it("sends binary frames only, the first one at once, and rejects bad input without dying", async () => {
    const w = await worker();
    const s = await open(w, "/plain");
    expect(s.client.messages[0]).toMatchObject({ type: "ready", sessionId: s.sessionId });
    await until("a first frame", () => s.client.frames.length > 0);
    const first = s.client.frames[0];
    expect(first?.header.deviceWidth).toBe(800);
    expect(first?.bytes).toBeGreaterThan(1_000);
    s.client.sendRaw("{not json");
    s.client.sendRaw(JSON.stringify({ type: "mouse", seq: 1, action: "teleport", x: 1, y: 1 }));
    await until(
      "two errors",
      () => s.client.messages.filter((m) => m.type === "error").length === 2,
    );
    // Still alive: typing shows up in a later frame tagged with the input's seq.
    s.client.click(POS.first.x, POS.first.y);
    s.client.type("hello");
    const lastSeq = s.client.lastSeq;
    await until("a frame after the typing", () =>
      s.client.frames.some((f) => (f.header.lastInputSeq ?? -1) >= lastSeq),
    );
    expect(s.client.invalid).toEqual([]);
    // No frame data in text messages: they are all small.
    for (const message of s.client.messages) {
      expect(JSON.stringify(message).length).toBeLessThan(500);
    }
    s.client.close();
  });

  it("a slow client gets the newest frame when it catches up, not a backlog", async () => {
    const w = await worker();
    const s = await open(w, "/animate");
    await until("frames", () => s.client.frames.length > 5);
    const socket: unknown = Reflect.get(s.client.ws, "_socket");
    if (!(socket instanceof Socket)) throw new Error("no socket");
    socket.pause();
    const pausedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const countBefore = s.client.frames.length;
    const resumedAt = Date.now();
    socket.resume();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const after = s.client.frames.slice(countBefore);
    // Frames captured during the pause that arrive only now are the backlog.
    const stale = after.filter((f) => f.header.timestamp < resumedAt - 100);
    expect(after.length).toBeGreaterThan(0);
    expect(stale.length).toBeLessThanOrEqual(FRAME_ACK_WINDOW + 3);
    // And the picture is live again right away.
    const newest = after.at(-1);
    expect(newest?.header.timestamp).toBeGreaterThan(resumedAt);
    expect(pausedAt).toBeLessThan(resumedAt);
    s.client.close();
  });

  it("refuses navigation outside the provider's hostnames", async () => {
    const w = await worker();
    const s = await open(w, "/outside");
    s.client.click(POS.submit.x, POS.submit.y);
    const error = await s.client.waitFor((m) => m.type === "error");
    expect(error).toMatchObject({ code: "NAVIGATION_BLOCKED" });
    expect(w.inspect(s.sessionId)?.page?.url()).toBe(`${fixtures.url}/outside`);
    s.client.close();
  });

  it("keeps popups, new tabs and modified clicks in the tab, where off-list addresses are refused", async () => {
    const w = await worker();
    const s = await open(w, "/popups");
    const blocked = () =>
      s.client.messages.filter((m) => m.type === "error" && m.code === "NAVIGATION_BLOCKED").length;
    const attempts: (() => void)[] = [
      // target=_blank link
      () => s.client.click(POS.first.x, POS.first.y),
      // window.open from a click handler
      () => s.client.click(POS.second.x, POS.second.y),
      // middle click, ctrl-click and shift-click on a plain link
      () => {
        s.client.send({ type: "mouse", action: "down", ...POS.submit, button: "middle" });
        s.client.send({ type: "mouse", action: "up", ...POS.submit, button: "middle" });
      },
      () => {
        const modifiers = { ctrl: true };
        s.client.send({ type: "mouse", action: "down", ...POS.submit, modifiers });
        s.client.send({ type: "mouse", action: "up", ...POS.submit, modifiers });
      },
      () => {
        const modifiers = { shift: true };
        s.client.send({ type: "mouse", action: "down", ...POS.submit, modifiers });
        s.client.send({ type: "mouse", action: "up", ...POS.submit, modifiers });
      },
    ];
    for (const [index, attempt] of attempts.entries()) {
      attempt();
      await expect.poll(blocked).toBe(index + 1);
    }
    // A form aimed at a new window, submitted by script.
    await w.inspect(s.sessionId)?.page?.evaluate('document.getElementById("f").requestSubmit()');
    await expect.poll(blocked).toBe(attempts.length + 1);
    // Nothing reached the off-list address, no second tab exists, the tab stayed put.
    expect(fixtures.received.filter((r) => r.route === "GET /offlist-hit")).toEqual([]);
    expect((await s.context.pages()).length).toBe(1);
    expect(w.inspect(s.sessionId)?.page?.url()).toBe(`${fixtures.url}/popups`);
    s.client.close();
  });

  it("gives a page no WebRTC candidates and sends no UDP around the egress proxy", async () => {
    const stun = createSocket("udp4");
    const datagrams: Buffer[] = [];
    stun.on("message", (message) => datagrams.push(message));
    await new Promise<void>((resolve) => stun.bind(0, "127.0.0.1", () => resolve()));
    try {
      // Behind the real egress proxy, as in production.
      const w = await worker({ egress: { allowPrivate: [fixtures.host] } });
      const s = await open(w, `/webrtc?stun=${stun.address().port}`);
      const page = w.inspect(s.sessionId)?.page;
      await expect.poll(() => page?.title(), { timeout: 10_000 }).toMatch(/^done:/);
      expect(await page?.title()).toBe("done:");
      expect(datagrams).toEqual([]);
      s.client.close();
    } finally {
      stun.close();
    }
  });

  it("shows page dialogs to the recipient and applies the answer", async () => {
    const w = await worker();
    const s = await open(w, "/dialog");
    s.client.click(POS.submit.x, POS.submit.y);
    const dialog = await s.client.waitFor((m) => m.type === "dialog");
    if (dialog.type !== "dialog") throw new Error("unreachable");
    expect(dialog).toMatchObject({ dialogType: "confirm", message: "Leave?" });
    s.client.send({ type: "dialogAnswer", dialogId: dialog.dialogId, accept: true });
    await s.client.waitFor((m) => m.type === "dialogClosed");
    await expect
      .poll(() => w.inspect(s.sessionId)?.page?.evaluate("document.body.innerText"))
      .toContain("yes");
    s.client.close();
  });
});
