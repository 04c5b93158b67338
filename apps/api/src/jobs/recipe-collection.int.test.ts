// The learned login recipe end to end (#19), as the platform runs it: an API process and a
// browser-worker process on loopback, one database, the identifier-first sandbox portal
// that has NO collection rules (Ridgeway: the generic sign-in cannot sign in there). The
// recipient signs in live over the stream; completing stores the connection with the
// recipe the worker recorded (no username or password in it, nor anywhere in the
// connection row but the sealed credential); without the recipe the weekly collection
// cannot sign in, with it the replay signs in with the sealed credential and the
// connection is active with its bills.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connection, loginSession, worker } from "@meterlink/db";
import {
  TWO_STEP_PASSWORD,
  TWO_STEP_USERNAME,
  twoStepSandboxProvider,
} from "@meterlink/utility-sandbox/two-step";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLog } from "../../test/factories";
import { expectStarted, FLEET_TOKEN, startFleet, type TFleet } from "../../test/fleet";
import { TEST_TOKEN_KEY, TEST_VAULT_PRIVATE_JWK } from "../../test/keys";
import { eventually } from "../../test/processes";
import { parseKey } from "../lib/tokens";
import { upsertProviders } from "../seed";
import { runCollection } from "../services/collection/run";
import { directoryStorage } from "../services/collection/storage";

let fleet: TFleet;
let storageDir: string;

beforeAll(async () => {
  fleet = await startFleet({ workers: [{ id: "w-recipe", capacity: 1, headlessCapacity: 1 }] });
  await upsertProviders(fleet.database.db, [twoStepSandboxProvider(fleet.sandbox.url)]);
  await eventually(async () => {
    const rows = await fleet.database.db.select().from(worker);
    expect(rows.map((row) => row.id)).toEqual(["w-recipe"]);
  });
  storageDir = mkdtempSync(join(tmpdir(), "meterlink-recipe-"));
}, 120_000);

afterAll(async () => {
  await fleet?.close();
  if (storageDir) rmSync(storageDir, { recursive: true, force: true });
});

describe("learned login recipe, live sign-in to weekly collection", () => {
  it("records the sign-in live, stores it with the connection and replays it weekly", async () => {
    const recipient = await fleet.newRecipient();
    const login = expectStarted(
      await fleet.startLogin(recipient, { providerId: "sandbox-ridgeway" }),
    );
    const stream = await fleet.stream(login);
    let seq = 0;
    const send = (message: Record<string, unknown>) =>
      stream.socket.send(JSON.stringify({ ...message, seq: ++seq }));
    const press = (key: string, code = key) => {
      send({ type: "key", action: "down", key, code });
      send({ type: "key", action: "up", key, code });
    };
    const loaded = (path: string) =>
      stream.waitFor((m) => m.type === "page" && !m.loading && m.url.includes(path), 20_000);

    // As a keyboard user: Tab to the field, type, Enter (the customer-number form has only
    // that field, so Enter sends it).
    await loaded("/ridgeway/login");
    press("Tab");
    send({ type: "insertText", text: TWO_STEP_USERNAME });
    press("Enter");
    await loaded("/ridgeway/password");
    press("Tab");
    send({ type: "insertText", text: TWO_STEP_PASSWORD });
    press("Enter");
    await stream.waitFor((m) => m.type === "outcome" && m.outcome === "success", 20_000);
    // The worker's report (sealed credential, recipe) reaches the API on its own path.
    await eventually(async () => {
      const [row] = await fleet.database.db
        .select()
        .from(loginSession)
        .where(eq(loginSession.id, login.loginSessionId));
      expect(row?.sealedCredential).toBeTruthy();
    });

    const done = await recipient.mutate<{ connectionId: string }>(
      fleet.apiUrl(),
      "recipient.complete",
      {
        provider: { kind: "catalog", providerId: "sandbox-ridgeway" },
        credential: { method: "live", loginSessionId: login.loginSessionId },
      },
    );
    const id = done.connectionId;
    const [stored] = await fleet.database.db.select().from(connection).where(eq(connection.id, id));
    expect(
      stored?.loginRecipe?.steps.map((s) => [s.framePath, s.fields.map((f) => f.kind)]),
    ).toEqual([
      ["/ridgeway/login", ["identifier"]],
      ["/ridgeway/password", ["password"]],
    ]);
    // The row in plaintext (a DB dump of it): the sealed credential is the only secret.
    const { sealedCredential, ...plain } = stored ?? {};
    expect(sealedCredential).toBeTruthy();
    const dump = JSON.stringify(plain);
    expect(dump).not.toContain(TWO_STEP_USERNAME);
    expect(dump).not.toContain(TWO_STEP_PASSWORD);

    const weekly = () =>
      runCollection(
        {
          db: fleet.database.db,
          log: silentLog,
          fleet: { token: FLEET_TOKEN, heartbeatTtlMs: 3_600_000 },
          vaultPrivateJwk: TEST_VAULT_PRIVATE_JWK,
          tokenKey: parseKey(TEST_TOKEN_KEY),
          storage: directoryStorage(storageDir),
          mfaWaitMs: 20_000,
          codePollMs: 200,
          workerCallTimeoutMs: 90_000,
        },
        { connectionId: id, trigger: "weekly", attempt: 1, lastTry: false },
      );
    // Without the recipe the generic sign-in finds no username field on this portal.
    await fleet.database.db
      .update(connection)
      .set({ loginRecipe: null })
      .where(eq(connection.id, id));
    expect(await weekly()).toMatchObject({ outcome: "failed", reason: "portal_changed" });
    await fleet.database.db
      .update(connection)
      .set({ loginRecipe: stored?.loginRecipe ?? null })
      .where(eq(connection.id, id));

    const result = await weekly();
    expect(result).toMatchObject({ outcome: "succeeded" });
    const view = await fleet.world.caller.admin.connections.get({ id });
    expect(view.status).toBe("active");
    expect(view.bills.map((b) => b.periodEnd).sort()).toEqual(["2026-08-31", "2026-09-30"]);
  });
});
