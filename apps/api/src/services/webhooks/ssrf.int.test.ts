// Webhook SSRF (#23.9): with private addresses refused (the production setting), every
// spelling of a loopback destination is refused at connect time, and a listener on the
// loopback interface receives nothing. Real sockets, real DNS for `localhost`.
import { createServer, type Server } from "node:http";
import { webhookEndpoint, webhookEvent } from "@meterlink/db";
import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompany } from "../../../test/factories";
import { TEST_TOKEN_KEY } from "../../../test/keys";
import { encryptSecret, parseKey } from "../../lib/tokens";
import { deliverWebhook } from "./deliver";

let database: TTestDatabase;
let listener: Server;
let port: number;
const reached: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  listener = createServer((req, res) => {
    reached.push(req.headers.host ?? "?");
    res.end();
  });
  // Dual-stack on every local address: whatever loopback form is dialled, it answers.
  await new Promise<void>((resolve) => listener.listen(0, "::", resolve));
  const address = listener.address();
  if (!address || typeof address === "string") throw new Error("no port");
  port = address.port;
});
afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  await database.close();
});

async function deliverTo(url: string, allowPrivateNetwork: boolean) {
  const company = await createCompany(database.db);
  const tokenKey = parseKey(TEST_TOKEN_KEY);
  const [endpoint] = await database.db
    .insert(webhookEndpoint)
    .values({
      companyId: company.id,
      url,
      secretCiphertext: encryptSecret(`whsec_${Buffer.alloc(24, 1).toString("base64")}`, tokenKey),
    })
    .returning();
  const [event] = await database.db
    .insert(webhookEvent)
    .values({ companyId: company.id, type: "test", data: {} })
    .returning();
  if (!endpoint || !event) throw new Error("rows not created");
  return deliverWebhook(
    { db: database.db, tokenKey, timeoutMs: 3_000, allowPrivateNetwork },
    { eventId: event.id, endpointId: endpoint.id },
    { number: 1, last: true },
  );
}

describe("webhook delivery with private addresses refused", () => {
  it.each([
    "http://[::]:PORT/",
    "https://[::]:PORT/",
    "http://[::7f00:1]:PORT/",
    "http://[::127.0.0.1]:PORT/",
    "http://[64:ff9b::7f00:1]:PORT/",
    "http://[::ffff:127.0.0.1]:PORT/",
    "http://[::1]:PORT/",
    "http://0.0.0.0:PORT/",
    "http://127.1:PORT/",
    "http://2130706433:PORT/",
    "http://localhost:PORT/",
  ])("refuses %s at connect time", async (template) => {
    const before = reached.length;
    const outcome = await deliverTo(template.replace("PORT", String(port)), false);
    expect(outcome).toMatchObject({ ok: false, statusCode: null });
    expect(outcome?.error).toMatch(/^refused: the endpoint resolves to a .*address$/);
    expect(reached.length).toBe(before);
  });

  it("still delivers to the same listener when private addresses are allowed (dev)", async () => {
    const before = reached.length;
    const outcome = await deliverTo(`http://127.0.0.1:${port}/`, true);
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
    expect(reached.length).toBe(before + 1);
  });
});
