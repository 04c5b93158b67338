// Reading a bill from its PDF: the sandbox's rule-less portals print their bills the way
// utilities do, in English and French; a scanned bill yields nothing (never a guess).
import { SANDBOX_ACCOUNTS } from "@meterlink/utility-sandbox/accounts";
import { billPdf } from "@meterlink/utility-sandbox/documents";
import { PORTALS } from "@meterlink/utility-sandbox/portals";
import { RULELESS_PORTALS, rulelessBillPdf } from "@meterlink/utility-sandbox/ruleless";
import { describe, expect, it } from "vitest";
import { EMPTY_PARSE, parseBillText, pdfText } from "./parse";

const bill = {
  id: "X-1",
  periodStart: "2026-09-01",
  periodEnd: "2026-09-30",
  issuedOn: "2026-10-05",
  usage: 412.5,
  amountCents: 9640,
};

describe("bill PDF parsing", () => {
  it("reads period, statement date, usage and amount from an English bill", async () => {
    const text = await pdfText(rulelessBillPdf(RULELESS_PORTALS.brightwater, bill));
    expect(parseBillText(text ?? "")).toEqual({
      ...EMPTY_PARSE,
      periodStart: "2026-09-01",
      periodEnd: "2026-09-30",
      issuedOn: "2026-10-05",
      usage: "412.5",
      unit: "kWh",
      amount: "96.40",
      currency: "USD",
    });
  });

  it("reads a French bill: day-first dates, decimal commas, euros", async () => {
    const text = await pdfText(rulelessBillPdf(RULELESS_PORTALS.valmont, bill));
    expect(parseBillText(text ?? "")).toEqual({
      ...EMPTY_PARSE,
      periodStart: "2026-09-01",
      periodEnd: "2026-09-30",
      issuedOn: "2026-10-05",
      usage: "412.5",
      unit: "m3",
      amount: "96.40",
      currency: "EUR",
    });
  });

  it("reads US month-first numeric dates and thousands separators", () => {
    expect(
      parseBillText(
        "Service period 08/01/2026 - 08/31/2026\nDue date: 09/21/2026\nTotal usage 1,204 kWh\nAmount due $1,234.50",
      ),
    ).toMatchObject({
      periodStart: "2026-08-01",
      periodEnd: "2026-08-31",
      dueOn: "2026-09-21",
      usage: "1204",
      amount: "1234.50",
    });
  });

  it("reads the account number the sandbox portals print, in English and French", async () => {
    const [alice] = SANDBOX_ACCOUNTS.northwind;
    const [brit] = SANDBOX_ACCOUNTS.helios;
    const [lyon] = SANDBOX_ACCOUNTS.lumiere;
    if (!alice?.bills[0] || !brit?.bills[0] || !lyon?.bills[0]) throw new Error("no sandbox bills");
    const english = await pdfText(billPdf(PORTALS.northwind, alice, alice.bills[0]));
    expect(parseBillText(english ?? "")).toMatchObject({
      accountNumber: "NW-4410-2291",
      periodStart: "2026-07-01",
      amount: "88.14",
    });
    // Spaces inside the number, and a British bill.
    const british = await pdfText(billPdf(PORTALS.helios, brit, brit.bills[0]));
    expect(parseBillText(british ?? "").accountNumber).toBe("HE 7720 1145 09");
    // "Référence client", not the bill's own "Référence de facture" further down.
    const french = await pdfText(billPdf(PORTALS.lumiere, lyon, lyon.bills[0]));
    expect(parseBillText(french ?? "")).toMatchObject({
      accountNumber: "EL 004 128 337",
      currency: "EUR",
    });
  });

  it("reads the labels real bills use, and never takes a date or an amount for one", () => {
    const read = (text: string) => parseBillText(text).accountNumber;
    expect(read("Account no. 0012-3345-66\nAmount due $12.00")).toBe("0012-3345-66");
    expect(read("Account #: A55 1200 7")).toBe("A55 1200 7");
    expect(read("Customer number 99812347 Statement date Oct 5, 2026")).toBe("99812347");
    expect(read("Numéro de compte : 3301 4478 22")).toBe("3301 4478 22");
    expect(read("N° de compte\nFR-77-1029\nTitulaire Jeanne")).toBe("FR-77-1029");
    expect(read("Account number: 2026-09-30")).toBeNull();
    expect(read("Account number 30 September 2026")).toBeNull();
    expect(read("Account number 09/30/2026")).toBeNull();
    expect(read("Account number: $96.40")).toBeNull();
    expect(read("Account number 1234,56 €")).toBeNull();
    expect(read("Référence de facture EL-A-202607")).toBeNull();
  });

  it("finds no account number on a bill that prints none", async () => {
    const text = await pdfText(rulelessBillPdf(RULELESS_PORTALS.valmont, bill));
    expect(text).toContain("Facture");
    expect(parseBillText(text ?? "").accountNumber).toBeNull();
  });

  it("finds nothing in a scanned bill, and refuses what is not a PDF", async () => {
    const scanned = await pdfText(
      rulelessBillPdf(RULELESS_PORTALS.brightwater, { ...bill, scanned: true }),
    );
    expect(parseBillText(scanned ?? "")).toEqual(EMPTY_PARSE);
    expect(await pdfText(new TextEncoder().encode("<html>not a bill</html>"))).toBeNull();
  });
});
