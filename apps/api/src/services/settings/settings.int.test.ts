import { createTestDatabase, type TTestDatabase } from "@meterlink/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../../test/app";
import { adminSessionOf, callerFor, createAdminUser, createCompany } from "../../../test/factories";

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function adminOfNewCompany() {
  const company = await createCompany(database.db);
  const admin = await createAdminUser(database.db, company.id);
  return { company, caller: callerFor(database.db, adminSessionOf(admin)) };
}

const PNG_1PX =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const SVG = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>').toString("base64")}`;

const BRANDING = {
  displayName: "Harbor Estates",
  logoUrl: PNG_1PX,
  primaryColor: "#1D4ED8",
  accentColor: "#f97316",
  font: "serif",
  whiteLabel: true,
} as const;

describe("settings.branding", () => {
  it("saves branding that the next read (and the app shell) shows", async () => {
    const { caller } = await adminOfNewCompany();
    const saved = await caller.admin.settings.branding.update(BRANDING);
    expect(saved).toMatchObject({ ...BRANDING, primaryColor: "#1d4ed8" });
    expect(await caller.admin.settings.branding.get()).toEqual(saved);
    expect((await caller.admin.me()).company).toMatchObject({
      displayName: "Harbor Estates",
      whiteLabel: true,
    });
    await caller.admin.settings.branding.update({ ...BRANDING, logoUrl: SVG });
    await caller.admin.settings.branding.update({
      ...BRANDING,
      logoUrl: "https://cdn.example.com/logo.svg",
    });
    const removed = await caller.admin.settings.branding.update({ ...BRANDING, logoUrl: null });
    expect(removed.logoUrl).toBeNull();
  });

  it("refuses values that could break or hijack recipient pages, with a reason per field", async () => {
    const { caller } = await adminOfNewCompany();
    const bad = [
      { primaryColor: "red; background:url(x)" },
      { font: "Comic Sans" },
      { displayName: "   " },
      { logoUrl: "http://insecure.example.com/logo.png" },
      { logoUrl: "javascript:alert(1)" },
      // Declared PNG, is an SVG: mislabelled content is refused.
      { logoUrl: SVG.replace("image/svg+xml", "image/png") },
      { logoUrl: `data:image/gif;base64,${Buffer.from("GIF89a").toString("base64")}` },
      {
        logoUrl: `data:image/png;base64,${Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47]),
          Buffer.alloc(201 * 1024),
        ]).toString("base64")}`,
      },
    ];
    for (const change of bad) {
      await expect(
        caller.admin.settings.branding.update({ ...BRANDING, ...change } as typeof BRANDING),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    const error = await caller.admin.settings.branding
      .update({ ...BRANDING, logoUrl: PNG_1PX.replace("image/png", "image/jpeg") })
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/not a JPEG/);
  });

  it("leaves another company's branding unaffected", async () => {
    const a = await adminOfNewCompany();
    const b = await adminOfNewCompany();
    await a.caller.admin.settings.branding.update(BRANDING);
    const other = await b.caller.admin.settings.branding.get();
    expect(other.displayName).toBe(b.company.displayName);
    expect(other.whiteLabel).toBe(false);
    expect(other.logoUrl).toBeNull();
  });

  it("refuses callers who are not signed in", async () => {
    await expect(callerFor(database.db, null).admin.settings.branding.get()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(
      callerFor(database.db, null).admin.settings.branding.update(BRANDING),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("settings.embedding", () => {
  it("stores normalised, de-duplicated origins", async () => {
    const { caller } = await adminOfNewCompany();
    const saved = await caller.admin.settings.embedding.update({
      allowedOrigins: [
        "https://App.Example.com/",
        "https://app.example.com",
        "http://localhost:5173",
        "https://portal.example.org:8443",
      ],
    });
    expect(saved.allowedOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:5173",
      "https://portal.example.org:8443",
    ]);
    expect(await caller.admin.settings.embedding.get()).toEqual(saved);
    expect(
      (await caller.admin.settings.embedding.update({ allowedOrigins: [] })).allowedOrigins,
    ).toEqual([]);
  });

  it("refuses anything that is not a plain https (or localhost) origin", async () => {
    const { caller } = await adminOfNewCompany();
    for (const origin of [
      "http://app.example.com",
      "https://app.example.com/path",
      "https://*.example.com",
      "app.example.com",
      "https://user:pw@app.example.com",
      "javascript:alert(1)",
      // Each entry goes into the CSP header: a host that smuggles directives is refused.
      "https://a.com;sandbox",
      "https://a.com; script-src *",
      "https://a.com,https://b.com",
      "https://a.com'unsafe-inline'",
    ]) {
      await expect(
        caller.admin.settings.embedding.update({ allowedOrigins: [origin] }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect((await caller.admin.settings.embedding.get()).allowedOrigins).toEqual([]);
  });

  it("leaves another company's origins unaffected", async () => {
    const a = await adminOfNewCompany();
    const b = await adminOfNewCompany();
    await b.caller.admin.settings.embedding.update({ allowedOrigins: ["https://b.example.com"] });
    await a.caller.admin.settings.embedding.update({ allowedOrigins: ["https://a.example.com"] });
    expect((await b.caller.admin.settings.embedding.get()).allowedOrigins).toEqual([
      "https://b.example.com",
    ]);
  });
});

describe("settings.branding uploaded font", () => {
  // The WOFF2 signature, then bytes: what the server checks is the signature and the size.
  const woff2 = Buffer.concat([Buffer.from("wOF2"), Buffer.alloc(64, 7)]);
  const WOFF2 = `data:font/woff2;base64,${woff2.toString("base64")}`;

  it("stores a WOFF2 upload and serves it with its type, nosniff and a long cache", async () => {
    const { company, caller } = await adminOfNewCompany();
    const saved = await caller.admin.settings.branding.update({ ...BRANDING, fontFile: WOFF2 });
    expect(saved.fontUrl).toMatch(new RegExp(`^/brand/${company.id}/font\\?v=\\w+$`));
    // A save without the file keeps it (the form does not send it back).
    expect((await caller.admin.settings.branding.update(BRANDING)).fontUrl).toBe(saved.fontUrl);

    const { app } = await createTestApp(database.url);
    try {
      const served = await app.inject({ method: "GET", url: saved.fontUrl ?? "" });
      expect(served.statusCode).toBe(200);
      expect(served.rawPayload.equals(woff2)).toBe(true);
      expect(served.headers["content-type"]).toBe("font/woff2");
      expect(served.headers["x-content-type-options"]).toBe("nosniff");
      expect(served.headers["cache-control"]).toMatch(/max-age=31536000, immutable/);
      // An address without the current version is not cached for good.
      const stale = await app.inject({ method: "GET", url: `/brand/${company.id}/font?v=old` });
      expect(stale.headers["cache-control"]).toBe("no-cache");

      await caller.admin.settings.branding.update({ ...BRANDING, fontFile: null });
      const gone = await app.inject({ method: "GET", url: `/brand/${company.id}/font` });
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.message).toBe("This company has no uploaded font.");
    } finally {
      await app.close();
    }
  });

  it("refuses a file that is not WOFF2, or too large, and keeps the stored font", async () => {
    const { caller } = await adminOfNewCompany();
    const saved = await caller.admin.settings.branding.update({ ...BRANDING, fontFile: WOFF2 });
    const ttf = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x10]).toString("base64");
    for (const [fontFile, message] of [
      [`data:font/woff2;base64,${ttf}`, "This file is not a WOFF2 font"],
      [`data:font/ttf;base64,${ttf}`, "Upload the font as a WOFF2 file"],
      [
        `data:font/woff2;base64,${Buffer.concat([Buffer.from("wOF2"), Buffer.alloc(512 * 1024)]).toString("base64")}`,
        "The font must be 512 KB or smaller.",
      ],
    ] as const) {
      await expect(
        caller.admin.settings.branding.update({ ...BRANDING, fontFile }),
      ).rejects.toMatchObject({ message: expect.stringContaining(message) });
    }
    expect((await caller.admin.settings.branding.get()).fontUrl).toBe(saved.fontUrl);
  });
});

describe("settings.branding.previewEmail", () => {
  it("renders the real invitation email with the saved branding and the admin as sender", async () => {
    const { company, caller } = await adminOfNewCompany();
    await caller.admin.settings.branding.update(BRANDING);
    const preview = await caller.admin.settings.branding.previewEmail();
    expect(preview.subject).toContain("Harbor Estates");
    expect(preview.html).toContain("#1d4ed8");
    // The uploaded logo by its public address, as the sent email shows it.
    expect(preview.html).toContain(`/brand/${company.id}/logo?v=`);
    // White-label: no vendor name anywhere in the email.
    expect(preview.html).not.toMatch(/Meterlink/i);

    await caller.admin.settings.branding.update({ ...BRANDING, whiteLabel: false });
    expect((await caller.admin.settings.branding.previewEmail()).html).toMatch(/Meterlink/);
  });
});
