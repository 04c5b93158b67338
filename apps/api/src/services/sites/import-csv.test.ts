// CSV edge cases of the site import, on the parser alone (no database): what the admin
// sees in the preview for files as spreadsheets and people really write them.
import { SITE_IMPORT_MAX_ROWS } from "@meterlink/shared";
import { describe, expect, it } from "vitest";
import { parseSitesCsv } from "./import-csv";

const none = { names: new Set<string>(), references: new Set<string>() };

describe("parseSitesCsv", () => {
  it("reads a plain file with a byte-order mark, any header case and Windows line ends", () => {
    const preview = parseSitesCsv(
      "\uFEFFSite Name,Address,Ref\r\nHarbor Tower,1 Quay St,HT-1\r\nMill House,,\r\n",
      none,
    );
    expect(preview.fileErrors).toEqual([]);
    expect(preview.rows).toEqual([
      { line: 2, name: "Harbor Tower", address: "1 Quay St", reference: "HT-1", errors: [] },
      { line: 3, name: "Mill House", address: "", reference: null, errors: [] },
    ]);
    expect(preview.validCount).toBe(2);
  });

  it("detects semicolons (European spreadsheets) and keeps quoted commas", () => {
    const preview = parseSitesCsv('name;address\n"Dock 4";"12, Rue du Port"\n', none);
    expect(preview.rows).toEqual([
      expect.objectContaining({ line: 2, name: "Dock 4", address: "12, Rue du Port", errors: [] }),
    ]);
  });

  it("numbers lines as the file does: blank lines skipped, quoted line breaks counted", () => {
    const preview = parseSitesCsv(
      'name,address\nA,"1 Long Road\nSecond line"\n\n,no name here\nB,2 Short St\n',
      none,
    );
    expect(preview.rows.map((row) => [row.line, row.name, row.errors])).toEqual([
      [2, "A", []],
      [5, "", ["Enter the site's name."]],
      [6, "B", []],
    ]);
    expect(preview.invalidCount).toBe(1);
  });

  it("flags a site twice in the file, or already in the company, by line", () => {
    const preview = parseSitesCsv("name,reference\nNorth,N1\nnorth,N2\nSouth,N1\nEast,\n", {
      names: new Set(["east"]),
      references: new Set(),
    });
    expect(preview.rows.map((row) => [row.line, row.errors])).toEqual([
      [2, []],
      [3, ["“north” is already on line 2: each site once."]],
      [4, ["The reference “N1” is already on line 2."]],
      [5, ["A site named “East” already exists: rename it here, or leave the line out."]],
    ]);
  });

  it("says what is wrong with the file itself", () => {
    expect(parseSitesCsv("", none).fileErrors).toEqual(["The file is empty."]);
    expect(parseSitesCsv("address,city\n1 Road,Paris\n", none).fileErrors[0]).toMatch(
      /at least a “name” column/,
    );
    expect(parseSitesCsv("name\n", none).fileErrors).toEqual([
      "The file has a header but no sites under it.",
    ]);
    const big = `name\n${Array.from({ length: SITE_IMPORT_MAX_ROWS + 1 }, (_, i) => `S${i}`).join("\n")}`;
    expect(parseSitesCsv(big, none).fileErrors[0]).toMatch(/import at most 2000/);
  });

  it("refuses a row with more cells than the header names, and a name too long", () => {
    const preview = parseSitesCsv(`name\nA,stray\n${"x".repeat(201)}\n`, none);
    expect(preview.rows.map((row) => row.errors)).toEqual([
      ["This line has 2 cells but the header names 1."],
      ["Keep the site's name under 200 characters."],
    ]);
  });
});
