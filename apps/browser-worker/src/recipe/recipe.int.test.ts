// The learned login recipe (#19) against an identifier-first portal with NO collection
// rules (Ridgeway: customer number, then password): the generic sign-in cannot sign in
// there; a recipient's live sign-in over the real stream records the recipe (sent with
// the success report, without the username or password); the headless collection replays
// it with the sealed credential and finds the bills; once the portal renamed the field,
// the replay ends as "portal changed" naming the step.
import type { TLoginRecipe } from "@meterlink/shared/recipe";
import type { TSandbox } from "@meterlink/utility-sandbox/server";
import {
  TWO_STEP_PASSWORD,
  TWO_STEP_USERNAME,
  twoStepSandboxProvider,
} from "@meterlink/utility-sandbox/two-step";
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

let world: Awaited<ReturnType<typeof startRecipeWorld>>;
beforeAll(async () => {
  world = await startRecipeWorld("recipe-worker", logs.logger);
  ({ sandbox, fleet, worker } = world);
});

afterAll(async () => {
  await world?.close();
});

const provider = () => {
  const p = twoStepSandboxProvider(sandbox.url);
  return { id: p.id, loginUrl: p.loginUrl, allowedHostnames: p.allowedHostnames };
};

/** The recipient signs in live, step by step, over the stream; returns the recorded recipe. */
async function liveSignIn(): Promise<TLoginRecipe> {
  const sessionId = `recipe-live-${Date.now()}`;
  const created = await api(worker, "POST", "/sessions", {
    sessionId,
    provider: { ...provider(), collect: {} },
    viewport: { width: 1024, height: 768, deviceScaleFactor: 1 },
    mode: "interactive",
  });
  expect(created.status).toBe(201);
  const client = await TestClient.connect(worker.url, sessionId, FLEET_TOKEN);
  await client.waitForPage("/ridgeway/login");
  const page = worker.inspect(sessionId)?.page;
  if (!page) throw new Error("no page");
  const account = await centre(page, "#rw-acct");
  client.click(account.x, account.y);
  client.type(TWO_STEP_USERNAME);
  const next = await centre(page, "#rw-continue");
  client.click(next.x, next.y);
  await client.waitForPage("/ridgeway/password");
  await vi.waitFor(() => page.$("#rw-pw").then((el) => expect(el).not.toBeNull()));
  const password = await centre(page, "#rw-pw");
  client.click(password.x, password.y);
  client.send({ type: "insertText", text: TWO_STEP_PASSWORD });
  const signIn = await centre(page, "#rw-sign-in");
  client.click(signIn.x, signIn.y);
  expect((await client.waitForOutcome()).outcome).toBe("success");
  await client.waitFor((m) => m.type === "ended");
  const outcome = await vi.waitFor(() => {
    const found = fleet.reports.find((r) => r.sessionId === sessionId && r.type === "outcome");
    expect(found).toBeDefined();
    return found as { recipe: TLoginRecipe | null };
  });
  if (!outcome.recipe) throw new Error("no recipe reported");
  return outcome.recipe;
}

async function collect(learnedRecipe: TLoginRecipe | null) {
  const { answer } = await startCollection(
    worker,
    provider(),
    { username: TWO_STEP_USERNAME, password: TWO_STEP_PASSWORD },
    { learnedRecipe },
  );
  return answer as
    | { status: "ok"; bills: { periodEnd: string | null }[] }
    | { status: "failed"; reason: string; step?: string };
}

describe("learned login recipe on an identifier-first portal without rules", () => {
  let recipe: TLoginRecipe;

  it("the generic sign-in cannot sign in there", async () => {
    expect(await collect(null)).toMatchObject({ status: "failed", reason: "portal_changed" });
  });

  it("a live sign-in records the two steps, without the username or password", async () => {
    recipe = await liveSignIn();
    const stored = JSON.stringify(recipe);
    expect(stored).not.toContain(TWO_STEP_USERNAME);
    expect(stored).not.toContain(TWO_STEP_PASSWORD);
    expect(recipe.successPath).toBe("/ridgeway/account");
    expect(recipe.steps.map((s) => [s.framePath, s.fields.map((f) => f.kind)])).toEqual([
      ["/ridgeway/login", ["identifier"]],
      ["/ridgeway/password", ["password"]],
    ]);
    expect(recipe.steps[0]?.fields[0]?.selectors[0]).toBe("#rw-acct");
    expect(recipe.steps[0]?.submit).toMatchObject({ how: "click" });
    expect(logs.lines.join("\n")).not.toContain(TWO_STEP_PASSWORD);
  });

  it("the headless collection replays it with the sealed credential and finds the bills", async () => {
    const result = await collect(recipe);
    if (result.status !== "ok") throw new Error(`collection failed: ${JSON.stringify(result)}`);
    expect(result.bills.map((b) => b.periodEnd).sort()).toEqual(["2026-08-31", "2026-09-30"]);
  });

  it("the portal renamed its customer-number field: Error 'portal changed' naming the step", async () => {
    const renamed = await fetch(`${sandbox.url}/_control/ruleless/ridgeway/rename`, {
      method: "POST",
    });
    expect(renamed.ok).toBe(true);
    expect(await collect(recipe)).toEqual({
      status: "failed",
      reason: "portal_changed",
      step: "step 1 of 2: identifier field not found",
    });
  });
});
