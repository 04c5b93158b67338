import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../test/app";

let database: TTestDatabase;
let harness: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  database = await createTestDatabase();
  harness = await createTestApp(database.url, { RECIPIENT_RATE_LIMIT_PER_MINUTE: "3" });
});
afterAll(async () => {
  await harness.app.close();
  await database.close();
});

describe("public recipient endpoints", () => {
  it("slow a client down after the limit, with a clear answer, without touching others", async () => {
    const open = (ip: string) =>
      harness.app.inject({
        method: "GET",
        url: `/trpc/recipient.open?input=${encodeURIComponent(JSON.stringify({ token: "x".repeat(43) }))}`,
        remoteAddress: ip,
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await open("198.51.100.1")).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const limited = await open("198.51.100.1");
    expect(limited.json().error.message).toMatch(/Too many requests. Try again in \d+ seconds/);
    expect(limited.headers["retry-after"]).toBeDefined();
    expect((await open("198.51.100.2")).statusCode).toBe(404);
  });
});
