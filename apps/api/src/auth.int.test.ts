import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieFrom, createTestApp } from "../test/app";
import { createAdminUser, createCompany } from "../test/factories";

let database: TTestDatabase;
let harness: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await createTestApp(database.url, { AUTH_SIGNIN_PER_MINUTE: "5" });
});
afterAll(async () => {
  await harness.app.close();
  await database.close();
});

const origin = { origin: "http://localhost:3000", "content-type": "application/json" };

function signIn(email: string, password: string, ip = "10.9.8.7") {
  return harness.app.inject({
    method: "POST",
    url: "/api/auth/sign-in/email",
    headers: { ...origin, "x-forwarded-for": ip },
    remoteAddress: ip,
    payload: { email, password },
  });
}

function me(cookie: string) {
  return harness.app.inject({ method: "GET", url: "/trpc/admin.me", headers: { cookie } });
}

describe("admin sign-in", () => {
  it("signs in with the right password, sees the company, and signs out", async () => {
    const company = await createCompany(harness.db, { displayName: "Harbor Homes" });
    const admin = await createAdminUser(harness.db, company.id);

    const response = await signIn(admin.email, admin.password, "10.0.0.1");
    expect(response.statusCode).toBe(200);
    const setCookie = response.headers["set-cookie"];
    expect(String(setCookie)).toMatch(/HttpOnly/i);
    expect(String(setCookie)).toMatch(/SameSite=Lax/i);
    const cookie = cookieFrom(setCookie);

    const profile = await me(cookie);
    expect(profile.statusCode).toBe(200);
    expect(profile.json().result.data.company.displayName).toBe("Harbor Homes");
    expect(profile.json().result.data.user.email).toBe(admin.email);

    const out = await harness.app.inject({
      method: "POST",
      url: "/api/auth/sign-out",
      headers: { ...origin, cookie },
      payload: {},
    });
    expect(out.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const company = await createCompany(harness.db);
    const admin = await createAdminUser(harness.db, company.id);
    const wrong = await signIn(admin.email, "not-the-password", "10.0.0.2");
    const unknown = await signIn("nobody@example.test", "not-the-password", "10.0.0.3");
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.json().message).toMatch(/invalid email or password/i);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
  });

  it("slows down repeated failures from one address", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      statuses.push(
        (await signIn("victim@example.test", `guess-${attempt}`, "10.0.0.4")).statusCode,
      );
    }
    expect(statuses.slice(0, 5).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another address is not punished for it.
    expect((await signIn("victim@example.test", "guess", "10.0.0.5")).statusCode).toBe(401);
  });

  it("refuses admin procedures without a session", async () => {
    const response = await harness.app.inject({ method: "GET", url: "/trpc/admin.sites.list" });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toMatch(/sign in/i);
  });

  it("never writes the password to the log", async () => {
    const company = await createCompany(harness.db);
    const admin = await createAdminUser(harness.db, company.id, "Sup3r-Secret-Pass!");
    await signIn(admin.email, "Sup3r-Secret-Pass!", "10.0.0.6");
    await signIn(admin.email, "Sup3r-Secret-Wrong!", "10.0.0.6");
    expect(harness.logLines.join("\n")).not.toContain("Sup3r-Secret");
  });
});
