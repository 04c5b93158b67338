// Reading a bill from its PDF: the sandbox's rule-less portals print their bills the way
// utilities do, in English and French; a scanned bill yields nothing (never a guess).
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

  it("finds nothing in a scanned bill, and refuses what is not a PDF", async () => {
    const scanned = await pdfText(
      rulelessBillPdf(RULELESS_PORTALS.brightwater, { ...bill, scanned: true }),
    );
    expect(parseBillText(scanned ?? "")).toEqual(EMPTY_PARSE);
    expect(await pdfText(new TextEncoder().encode("<html>not a bill</html>"))).toBeNull();
  });
});
