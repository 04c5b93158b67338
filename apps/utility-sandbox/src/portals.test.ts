import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PORTAL_IDS, SANDBOX_ACCOUNTS, SANDBOX_PASSWORD, type TPortalId } from "./accounts";
import { sandboxProviders } from "./catalog";
import { PORTALS, portalPath } from "./portals";
import { startSandbox, type TSandbox } from "./server";
import type { TLoginAttempt, TSentCode } from "./state";
import { CookieClient, signIn } from "./testing";

// Every portal driven over plain HTTP, cookies kept by hand: what a scraper or a headless
// worker sees. One sandbox for the file, with a clock the tests move by hand.

let clock = Date.parse("2026-11-25T09:00:00Z");
let sandbox: TSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, control: true, now: () => clock });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  const reset = await fetch(`${sandbox.url}/_control/reset`, { method: "POST" });
  expect(reset.status).toBe(200);
});

const alice = (portal: TPortalId) => {
  const account = SANDBOX_ACCOUNTS[portal][0];
  if (!account) throw new Error(`no seeded account for ${portal}`);
  return account;
};
const path = (page: { url: string }) => new URL(page.url).pathname;
const normalise = (text: string) => text.replace(/\s+/g, " ");
/** Page text as a reader sees it: the few entities escapeHtml produces, decoded. */
const decode = (html: string) =>
  html
    .replaceAll("&#39;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

async function control<T>(route: string): Promise<T> {
  const response = await fetch(`${sandbox.url}/_control/${route}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe.each(PORTAL_IDS)("%s", (portalId) => {
  const portal = PORTALS[portalId];

  it("signs the seeded account in and lists its bills", async () => {
    const client = new CookieClient(sandbox.url);
    const account = alice(portalId);
    const page = await signIn(client, portalId, account.username, account.password, {
      control: true,
    });
    expect(page.status).toBe(200);
    expect(path(page)).toBe(portalPath(portal, "account"));
    expect(page.text).toContain(account.accountNumber);
    const ids = [...page.text.matchAll(/<tr data-bill-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.sort()).toEqual(account.bills.map((b) => b.id).sort());

    const logout = await client.request(portalPath(portal, "logout"));
    expect(decode(logout.text)).toContain(portal.texts.loggedOut);
    const after = await client.request(portalPath(portal, "account"));
    expect(path(after)).toBe(portalPath(portal, "login"));
  });

  it("rejects a wrong password with its own error and stays on the login page", async () => {
    const client = new CookieClient(sandbox.url);
    const page = await signIn(client, portalId, alice(portalId).username, "wrong-horse");
    const rules = sandboxProviders(sandbox.url).find((p) => p.id === portal.catalogId)?.rules;
    if (portal.shape === "spa") {
      expect(page.status).toBe(401);
      expect(JSON.parse(page.text)).toMatchObject({
        ok: false,
        message: portal.texts.wrongPassword,
      });
    } else {
      expect(decode(page.text)).toContain(portal.texts.wrongPassword);
      expect(path(page).startsWith(rules?.loginPathPrefix ?? "?")).toBe(true);
    }
    const account = await client.request(portalPath(portal, "account"));
    expect(path(account)).toBe(portalPath(portal, "login"));
  });

  it("locks the account after five wrong passwords in a row, for ten minutes", async () => {
    const client = new CookieClient(sandbox.url);
    const { username, password } = alice(portalId);
    for (let i = 0; i < 4; i++) {
      const page = await signIn(client, portalId, username, `wrong-${i}`);
      expect(decode(page.text)).not.toContain(portal.texts.locked);
    }
    const fifth = await signIn(client, portalId, username, "wrong-4");
    expect(decode(fifth.text)).toContain(portal.texts.locked);
    // The right password does not get through while locked.
    const blocked = await signIn(client, portalId, username, password, { control: true });
    expect(decode(blocked.text)).toContain(portal.texts.locked);
    expect(path(blocked)).not.toBe(portalPath(portal, "account"));

    clock += 10 * 60_000 + 1;
    const later = await signIn(client, portalId, username, password, { control: true });
    expect(path(later)).toBe(portalPath(portal, "account"));
  });

  it("shows the seeded locked account as locked even with the right password", async () => {
    const locked = SANDBOX_ACCOUNTS[portalId].find((a) => a.lockedAtStart);
    expect(locked).toBeDefined();
    const client = new CookieClient(sandbox.url);
    const page = await signIn(client, portalId, locked?.username ?? "", SANDBOX_PASSWORD);
    expect(decode(page.text)).toContain(portal.texts.locked);
  });
});

describe("one-time codes", () => {
  it.each(["summit", "lakeside"] as const)(
    "%s asks for the code it sent, refuses a wrong one and accepts the right one",
    async (portalId) => {
      const portal = PORTALS[portalId];
      const account = alice(portalId);
      const client = new CookieClient(sandbox.url);
      const codePage = await signIn(client, portalId, account.username, account.password);
      expect(path(codePage)).toBe(portalPath(portal, "code"));
      expect(codePage.text).toContain(portal.fields.code);
      // Masked destination: the phone's last four digits, or the email's domain.
      expect(codePage.text).toContain(portalId === "summit" ? "•••-0142" : "•••e@example.com");

      const sent = await control<TSentCode>(`codes/${portalId}/${account.username}`);
      expect(sent.code).toMatch(/^\d{6}$/);
      expect(sent.channel).toBe(portal.mfa);
      expect(sent.to).toBe(portalId === "summit" ? account.phone : account.email);
      expect(sent.text).toContain(sent.code);

      const wrongCode = sent.code === "000000" ? "111111" : "000000";
      const wrong = await client.request(portalPath(portal, "code"), {
        form: { [portal.fields.code]: wrongCode },
      });
      expect(path(wrong)).toBe(portalPath(portal, "code"));
      expect(decode(wrong.text)).toContain(portal.texts.wrongCode);

      const right = await client.request(portalPath(portal, "code"), {
        form: { [portal.fields.code]: sent.code },
      });
      expect(path(right)).toBe(portalPath(portal, "account"));

      const { attempts } = await control<{ attempts: TLoginAttempt[] }>(
        `attempts?portal=${portalId}`,
      );
      expect(attempts.map((a) => [a.step, a.password, a.code, a.result])).toEqual([
        ["password", account.password, null, "mfa-required"],
        ["code", null, wrongCode, "wrong-code"],
        ["code", null, sent.code, "success"],
      ]);
    },
  );

  it("invalidates the previous code when a new one is sent, and expires codes", async () => {
    const account = alice("summit");
    const client = new CookieClient(sandbox.url);
    await signIn(client, "summit", account.username, account.password);
    const first = await control<TSentCode>(`codes/summit/${account.username}`);
    const resent = await client.request("/summit/login/verify/resend", { method: "POST" });
    expect(resent.text).toContain(PORTALS.summit.texts.codeResent);
    const second = await control<TSentCode>(`codes/summit/${account.username}`);
    const { messages } = await control<{ messages: TSentCode[] }>("codes?portal=summit");
    expect(messages).toHaveLength(2);

    if (first.code !== second.code) {
      const old = await client.request("/summit/login/verify", { form: { otp: first.code } });
      expect(decode(old.text)).toContain(PORTALS.summit.texts.wrongCode);
    }
    clock += 10 * 60_000;
    const late = await client.request("/summit/login/verify", { form: { otp: second.code } });
    expect(decode(late.text)).toContain(PORTALS.summit.texts.wrongCode);
  });
});

describe("bills", () => {
  it("exposes every bill with locale-free data attributes", async () => {
    const client = new CookieClient(sandbox.url);
    const account = alice("helios");
    const page = await signIn(client, "helios", account.username, account.password);
    const bills = await client.request(portalPath(PORTALS.helios, "bills"));
    for (const text of [page.text, bills.text]) {
      for (const bill of account.bills) {
        const row = new RegExp(`<tr data-bill-id="${bill.id}"[^>]*>`).exec(text)?.[0] ?? "";
        expect(row).toContain(`data-period-start="${bill.periodStart}"`);
        expect(row).toContain(`data-period-end="${bill.periodEnd}"`);
        expect(row).toContain(`data-amount="${(bill.amountCents / 100).toFixed(2)}"`);
        expect(row).toContain(`data-usage="${bill.usage}"`);
        expect(row).toContain(`data-unit="${bill.unit}"`);
        expect(row).toContain(`data-utility="${bill.utility}"`);
      }
    }
  });

  it("downloads a valid PDF and a CSV, only for the signed-in account's own bills", async () => {
    const client = new CookieClient(sandbox.url);
    const account = alice("northwind");
    const bill = account.bills[3];
    expect(bill?.id).toBe("NW-A-202610");
    const base = `${portalPath(PORTALS.northwind, "bills")}/NW-A-202610`;

    const anonymous = await client.download(`${base}.pdf`);
    expect(anonymous.status).toBe(303);

    await signIn(client, "northwind", account.username, account.password);
    const pdf = await client.download(`${base}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    expectValidPdf(pdf.bytes);
    expect(pdf.bytes.toString("latin1")).toContain("(NW-A-202610)");

    const csv = await client.download(`${base}.csv`);
    expect(csv.type).toContain("text/csv");
    expect(csv.bytes.toString("utf8").split("\r\n")).toEqual([
      "bill_id,utility,period_start,period_end,issued_on,due_on,usage,unit,amount,currency",
      "NW-A-202610,electricity,2026-10-01,2026-10-31,2026-11-25,2026-12-16,540.25,kWh,77.80,USD",
      "",
    ]);

    const bobsBill = SANDBOX_ACCOUNTS.northwind[1]?.bills[0]?.id;
    const foreign = await client.download(
      `${portalPath(PORTALS.northwind, "bills")}/${bobsBill}.pdf`,
    );
    expect(foreign.status).toBe(404);
  });

  it("shows French dates, amounts and usage on Énergie Lumière", async () => {
    const client = new CookieClient(sandbox.url);
    const account = alice("lumiere");
    const page = await signIn(client, "lumiere", account.username, account.password);
    expect(path(page)).toBe("/lumiere/espace-client");
    expect(page.text).toContain('lang="fr-FR"');
    const text = normalise(page.text);
    expect(text).toContain("Bonjour Alice Martin");
    expect(text).toContain("01/10/2026 – 31/10/2026");
    expect(text).toContain("1 234,56 €");
    expect(text).toContain("5 120,75 kWh");
    expect(text).toContain("412,5 kWh");

    const csv = await client.download("/lumiere/espace-client/factures/EL-A-202610.csv");
    const lines = csv.bytes
      .toString("utf8")
      .replace(/^\ufeff/, "")
      .split("\r\n");
    expect(lines[1]).toBe(
      "EL-A-202610;Électricité;01/10/2026;31/10/2026;25/11/2026;16/12/2026;5120,75;kWh;1234,56;EUR",
    );
    const pdf = await client.download("/lumiere/espace-client/factures/EL-A-202610.pdf");
    expectValidPdf(pdf.bytes);
    const pdfText = pdf.bytes.toString("latin1");
    expect(pdfText).toContain("(25/11/2026)");
    expect(pdfText).toContain("(1 234,56\\240\\200)"); // no-break space, then "€" in WinAnsi
  });
});

describe("control API", () => {
  it("records exactly what was typed, untrimmed, with the result", async () => {
    const client = new CookieClient(sandbox.url);
    await signIn(client, "cascade", " Alice@Example.com", "p@ss wörd ");
    const { attempts } = await control<{ attempts: TLoginAttempt[] }>(
      "attempts?portal=sandbox-cascade",
    );
    expect(attempts.map((a) => [a.step, a.username, a.password, a.result])).toEqual([
      ["identifier", " Alice@Example.com", null, "continue"],
      ["password", " Alice@Example.com", "p@ss wörd ", "wrong-password"],
    ]);
    expect(attempts[1]?.at).toBe(new Date(clock).toISOString());
  });

  it("reset clears attempts, locks and sessions but keeps seeded locks", async () => {
    const client = new CookieClient(sandbox.url);
    const account = alice("northwind");
    await signIn(client, "northwind", account.username, account.password);
    for (let i = 0; i < 5; i++)
      await signIn(new CookieClient(sandbox.url), "northwind", "bob", "x");
    const { locks } = await control<{ locks: { username: string }[] }>("locks");
    expect(locks.map((l) => l.username).sort()).toContain("bob");

    await fetch(`${sandbox.url}/_control/reset`, { method: "POST" });
    expect((await control<{ attempts: unknown[] }>("attempts")).attempts).toEqual([]);
    const after = await control<{ locks: { username: string }[] }>("locks");
    expect(after.locks.map((l) => l.username)).not.toContain("bob");
    expect(after.locks.map((l) => l.username)).toContain("locked");
    const signedOut = await client.request("/northwind/account");
    expect(path(signedOut)).toBe("/northwind/login");
  });

  it("is not mounted unless asked for", async () => {
    const plain = await startSandbox({});
    try {
      for (const route of ["attempts", "codes", "codes/summit/alice@example.com", "locks"]) {
        expect((await fetch(`${plain.url}/_control/${route}`)).status).toBe(404);
      }
      expect((await fetch(`${plain.url}/_control/reset`, { method: "POST" })).status).toBe(404);
      expect((await fetch(`${plain.url}/northwind/login`)).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe("index and catalog", () => {
  it("lists every portal with its seeded accounts", async () => {
    const html = await (await fetch(`${sandbox.url}/`)).text();
    for (const id of PORTAL_IDS) {
      expect(html).toContain(PORTALS[id].name);
      expect(html).toContain(`href="${portalPath(PORTALS[id], "login")}"`);
      for (const account of SANDBOX_ACCOUNTS[id]) expect(html).toContain(account.username);
    }
  });

  it("gives catalog rows whose login URL serves the login page", async () => {
    const providers = sandboxProviders(sandbox.url);
    expect(providers.map((p) => p.id)).toEqual(PORTAL_IDS.map((id) => `sandbox-${id}`));
    for (const provider of providers) {
      expect(provider.allowedHostnames).toEqual(["127.0.0.1"]);
      const response = await fetch(provider.loginUrl);
      expect(response.status).toBe(200);
      expect(new URL(provider.loginUrl).pathname.startsWith(provider.rules.loginPathPrefix)).toBe(
        true,
      );
    }
    expect(sandboxProviders("http://[::1]:4010")[0]?.allowedHostnames).toEqual(["::1"]);
  });
});

/** Header, trailer, and an xref table whose every offset points at its object. */
function expectValidPdf(bytes: Buffer): void {
  const text = bytes.toString("latin1");
  expect(text.startsWith("%PDF-1.")).toBe(true);
  expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 4)).toBe("xref");
  const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)];
  expect(entries.length).toBeGreaterThan(3);
  entries.forEach((entry, index) => {
    const offset = Number(entry[1]);
    expect(text.slice(offset, offset + `${index + 1} 0 obj`.length)).toBe(`${index + 1} 0 obj`);
  });
  const length = Number(/\/Length (\d+) >>\nstream\n/.exec(text)?.[1]);
  const streamStart = text.indexOf("stream\n") + "stream\n".length;
  expect(text.slice(streamStart + length, streamStart + length + 10)).toBe("\nendstream");
}
