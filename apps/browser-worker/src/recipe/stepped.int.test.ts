// The learned login recipe (#19) on a portal whose sign-in is four script-driven steps and
// has NO collection rules (Lakeshore): the email sent by fetch (the password field then
// appears at the same URL), the password sent by XHR, a one-time code sent for every
// sign-in, then a "Remember this device?" page with buttons and no field. The recipient's
// live sign-in over the real stream records every step, the code step as a code prompt
// and the interstitial as a button, without the username, password or code; the headless
// replay asks for a FRESH code and types it into the code field, clicks through the
// interstitial and finds the bills. A step the recipe never saw ends, bounded, as "needs
// the recipient again".
import type { TLoginRecipe } from "@meterlink/shared/recipe";
import type { TSandbox } from "@meterlink/utility-sandbox/server";
import {
  STEPPED_PASSWORD,
  STEPPED_USERNAME,
  steppedSandboxProvider,
} from "@meterlink/utility-sandbox/stepped";
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TestClient } from "../../test/client";
import { api, captureLogs, FLEET_TOKEN } from "../../test/harness";
import {
  centre,
  startCollection,
  type startFleetListener,
  startRecipeWorld,
} from "../../test/sessions";
import type { TWorker } from "../server";

let worker: TWorker;
let sandbox: TSandbox;
let fleet: Awaited<ReturnType<typeof startFleetListener>>;
const logs = captureLogs();
const account = { username: STEPPED_USERNAME, password: STEPPED_PASSWORD };

let world: Awaited<ReturnType<typeof startRecipeWorld>>;
beforeAll(async () => {
  world = await startRecipeWorld("stepped-worker", logs.logger);
  ({ sandbox, fleet, worker } = world);
});

afterAll(async () => {
  await world?.close();
});

const provider = () => {
  const p = steppedSandboxProvider(sandbox.url);
  return { id: p.id, loginUrl: p.loginUrl, allowedHostnames: p.allowedHostnames };
};

async function lastCode(): Promise<string> {
  const response = await fetch(`${sandbox.url}/_control/ruleless/lakeshore/code`);
  return ((await response.json()) as { code: string }).code;
}

async function clickOn(client: TestClient, page: Page, selector: string) {
  await vi.waitFor(
    async () => {
      const el = await page.$(selector);
      expect(el, `${selector} on ${await page.content()}`).not.toBeNull();
    },
    { timeout: 10_000 },
  );
  const at = await centre(page, selector);
  client.click(at.x, at.y);
}

/** The recipient signs in live over the stream; returns the recipe and the code typed. */
async function liveSignIn(): Promise<{ recipe: TLoginRecipe; code: string }> {
  const sessionId = `stepped-live-${Date.now()}`;
  const created = await api(worker, "POST", "/sessions", {
    sessionId,
    provider: { ...provider(), collect: {} },
    viewport: { width: 1024, height: 768, deviceScaleFactor: 1 },
    mode: "interactive",
  });
  expect(created.status).toBe(201);
  const client = await TestClient.connect(worker.url, sessionId, FLEET_TOKEN);
  await client.waitForPage("/lakeshore/login");
  const page = worker.inspect(sessionId)?.page;
  if (!page) throw new Error("no page");
  await clickOn(client, page, "#lk-email");
  client.type(STEPPED_USERNAME);
  await clickOn(client, page, "#lk-next");
  // The password field appears in place: no navigation.
  await clickOn(client, page, "#lk-password");
  client.send({ type: "insertText", text: STEPPED_PASSWORD });
  await clickOn(client, page, "#lk-sign-in");
  await client.waitForPage("/lakeshore/verify");
  await client.waitFor((m) => m.type === "outcome" && m.outcome === "mfa");
  const code = await lastCode();
  await clickOn(client, page, "#lk-code");
  client.type(code);
  await clickOn(client, page, "#lk-verify");
  await client.waitForPage("/lakeshore/remember");
  await clickOn(client, page, "form button[value=no]");
  await client.waitFor((m) => m.type === "outcome" && m.outcome === "success");
  await client.waitFor((m) => m.type === "ended");
  const outcome = await vi.waitFor(() => {
    const found = fleet.reports.find(
      (r) => r.sessionId === sessionId && r.type === "outcome" && r.outcome === "success",
    );
    expect(found).toBeDefined();
    return found as { recipe: TLoginRecipe | null; finalUrl: string };
  });
  expect(new URL(outcome.finalUrl).pathname).toBe("/lakeshore/account");
  if (!outcome.recipe) throw new Error("no recipe reported");
  return { recipe: outcome.recipe, code };
}

type TAnswer =
  | { status: "ok"; bills: { periodEnd: string | null }[] }
  | { status: "mfa_required" }
  | { status: "failed"; reason: string; step?: string };

async function collect(learnedRecipe: TLoginRecipe | null) {
  const { sessionId, answer } = await startCollection(worker, provider(), account, {
    learnedRecipe,
    mfaWaitMs: 20_000,
  });
  return { sessionId, answer: answer as TAnswer };
}

describe("learned login recipe: fetch and XHR steps, a code prompt, an interstitial", () => {
  let recipe: TLoginRecipe;
  let liveCode: string;

  it("a live sign-in records all four steps: which field got what, never a value", async () => {
    ({ recipe, code: liveCode } = await liveSignIn());
    expect(recipe.successPath).toBe("/lakeshore/account");
    expect(
      recipe.steps.map((s) => [s.framePath, s.fields.map((f) => f.kind), s.submit.how]),
    ).toEqual([
      ["/lakeshore/login", ["identifier"], "click"],
      ["/lakeshore/login", ["password"], "click"],
      ["/lakeshore/verify", ["code"], "click"],
      ["/lakeshore/remember", [], "click"],
    ]);
    expect(recipe.steps[3]?.submit).toMatchObject({
      selectors: expect.arrayContaining(["label=Not now"]),
    });
    const stored = JSON.stringify(recipe);
    for (const secret of [STEPPED_USERNAME, STEPPED_PASSWORD, liveCode]) {
      expect(stored).not.toContain(secret);
      expect(logs.lines.join("\n")).not.toContain(secret);
    }
  });

  it("the replay asks for a fresh code, types it into the code field and finds the bills", async () => {
    const first = await collect(recipe);
    expect(first.answer).toEqual({ status: "mfa_required" });
    // The portal sent a new code for this sign-in; the one typed live is spent.
    const fresh = await lastCode();
    expect(fresh).toMatch(/^\d{6}$/);
    const done = await api(worker, "POST", `/sessions/${first.sessionId}/code`, { code: fresh });
    const result = done.json as TAnswer;
    if (result.status !== "ok") throw new Error(`collection failed: ${JSON.stringify(result)}`);
    expect(result.bills.map((b) => b.periodEnd).sort()).toEqual(["2026-09-30", "2026-10-31"]);
    expect(logs.lines.join("\n")).not.toContain(fresh);
  });

  it("a code the portal refuses (the spent live one) ends as mfa_rejected, not a changed portal", async () => {
    const first = await collect(recipe);
    expect(first.answer).toEqual({ status: "mfa_required" });
    const done = await api(worker, "POST", `/sessions/${first.sessionId}/code`, {
      code: liveCode,
    });
    expect(done.json).toMatchObject({ status: "failed", reason: "mfa_rejected" });
  });

  it("a step the recipe never saw: 'needs the recipient again', naming where it stopped", async () => {
    const added = await fetch(`${sandbox.url}/_control/ruleless/lakeshore/security-question`, {
      method: "POST",
    });
    expect(added.ok).toBe(true);
    expect((await collect(recipe)).answer).toEqual({
      status: "failed",
      reason: "needs_recipient",
      step: "step 3 of 4: the utility showed a page this sign-in never had (/lakeshore/question)",
    });
  });
});
