// Generic bill discovery against sandbox utilities that have NO collection rules, in real
// Chromium through the egress proxy: bills behind a "Billing" menu (links and CSV
// exports), "download bill" buttons that fetch a blob, a French paginated statements
// table. Read from each PDF: period, amount, usage; a scanned PDF is kept unread; a huge
// download, a "PDF" that is a web page and an off-host link are refused and noted; the
// collection start date is applied; a known document is not returned again.
import {
  RULELESS_PASSWORD,
  RULELESS_USERNAME,
  rulelessSandboxProviders,
} from "@meterlink/utility-sandbox/ruleless";
import { startSandbox, type TSandbox } from "@meterlink/utility-sandbox/server";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogs, createVault, launchTestBrowser, startTestWorker } from "../../test/harness";
import { startCollection } from "../../test/sessions";
import type { TWorker } from "../server";

let browser: Browser;
let worker: TWorker;
let sandbox: TSandbox;
const logs = captureLogs();

beforeAll(async () => {
  let vault: Awaited<ReturnType<typeof createVault>>;
  [browser, sandbox, vault] = await Promise.all([
    launchTestBrowser(),
    startSandbox({ port: 0, control: true }),
    createVault(),
  ]);
  worker = await startTestWorker(browser, {
    vaultPublicKey: vault.publicJwk,
    egress: { allowPrivate: [new URL(sandbox.url).host] },
    logger: logs.logger,
    capacity: 2,
    headlessCapacity: 4,
    // A lower cap than the default, as an operator may set.
    collectLimits: { maxFileBytes: 1024 * 1024 },
  });
});

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await sandbox?.close();
});

type TBill = {
  id: string;
  periodStart: string | null;
  periodEnd: string | null;
  issuedOn: string | null;
  amount: string | null;
  currency: string | null;
  usage: string | null;
  unit: string | null;
  files: { kind: string; contentType: string; base64: string }[];
};
type TOk = { status: "ok"; bills: TBill[]; notes: { reason: string; document: string }[] };

async function collect(
  portal: "brightwater" | "pinecrest" | "valmont",
  extra: { knownBillIds?: string[]; collectFrom?: string; password?: string } = {},
) {
  const provider = rulelessSandboxProviders(sandbox.url).find((p) => p.id === `sandbox-${portal}`);
  if (!provider) throw new Error(`no provider ${portal}`);
  const { answer } = await startCollection(
    worker,
    { id: provider.id, loginUrl: provider.loginUrl, allowedHostnames: provider.allowedHostnames },
    { username: RULELESS_USERNAME, password: extra.password ?? RULELESS_PASSWORD },
    { knownBillIds: extra.knownBillIds ?? [], collectFrom: extra.collectFrom ?? null },
  );
  return answer as TOk | { status: "failed"; reason: string };
}

const byPeriod = (bills: TBill[], end: string) => bills.find((b) => b.periodEnd === end);

describe("generic bill discovery (no collection rules)", () => {
  it("finds the bills behind a Billing menu, reads their PDFs and refuses what is not a bill", async () => {
    const result = await collect("brightwater");
    if (result.status !== "ok") throw new Error(`collection failed: ${JSON.stringify(result)}`);
    // July–October, plus a scanned June bill nothing can be read from.
    expect(result.bills).toHaveLength(5);
    const september = byPeriod(result.bills, "2026-09-30");
    expect(september).toMatchObject({
      periodStart: "2026-09-01",
      issuedOn: "2026-10-05",
      amount: "92.59",
      currency: "USD",
      usage: "394",
      unit: "kWh",
    });
    expect(september?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The row's PDF and its CSV export are one bill.
    expect(september?.files.map((f) => f.kind).sort()).toEqual(["csv", "pdf"]);
    const scanned = result.bills.filter((b) => !b.periodEnd && !b.amount);
    expect(scanned).toHaveLength(1);
    expect(scanned[0]?.files.map((f) => f.kind).sort()).toEqual(["csv", "pdf"]);

    expect(result.notes).toEqual(
      expect.arrayContaining([
        {
          reason: "too_large",
          document: expect.stringContaining("/brightwater/billing/annual-summary.pdf"),
        },
        {
          reason: "not_a_document",
          document: expect.stringContaining("/brightwater/billing/bill-guide.pdf"),
        },
        { reason: "off_host", document: "payments.example.net/statements/latest.pdf" },
      ]),
    );
    expect(worker.activeSessions()).toBe(0);
    expect(logs.lines.join("\n")).not.toContain(RULELESS_PASSWORD);
  });

  it("takes the PDF a 'Download bill' button fetches into a blob", async () => {
    const result = await collect("pinecrest");
    if (result.status !== "ok") throw new Error(`collection failed: ${JSON.stringify(result)}`);
    expect(result.bills).toHaveLength(4);
    const october = byPeriod(result.bills, "2026-10-31");
    expect(october).toMatchObject({ usage: "61", unit: "m3", amount: "14.34", currency: "USD" });
    const pdf = Buffer.from(october?.files[0]?.base64 ?? "", "base64");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("pages through a French statements table, applies the start date, skips what it knows", async () => {
    const all = await collect("valmont");
    if (all.status !== "ok") throw new Error(`collection failed: ${JSON.stringify(all)}`);
    // Two per page: every page was read.
    expect(all.bills.map((b) => b.periodEnd).sort()).toEqual([
      "2026-07-31",
      "2026-08-31",
      "2026-09-30",
      "2026-10-31",
    ]);
    expect(byPeriod(all.bills, "2026-08-31")).toMatchObject({ amount: "4.47", currency: "EUR" });

    const september = byPeriod(all.bills, "2026-09-30");
    const recent = await collect("valmont", {
      collectFrom: "2026-09-01",
      knownBillIds: september ? [september.id] : [],
    });
    if (recent.status !== "ok") throw new Error("collection failed");
    expect(recent.bills.map((b) => b.periodEnd).sort()).toEqual(["2026-09-30", "2026-10-31"]);
    // Known: listed, not sent again.
    expect(byPeriod(recent.bills, "2026-09-30")?.files).toEqual([]);
    expect(byPeriod(recent.bills, "2026-10-31")?.files).toHaveLength(1);
  });

  it("names a password the portal no longer accepts", async () => {
    expect(await collect("brightwater", { password: "an-old-password" })).toEqual({
      status: "failed",
      reason: "wrong_password",
    });
  });
});
