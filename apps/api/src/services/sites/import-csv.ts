// Sites from a CSV file, in two steps: a preview (every row with its line in the file and
// what is wrong with it, nothing written) and the import itself, which parses the same
// text again and writes all its rows in one transaction, or nothing: a file with errors
// is refused unless the admin chose to skip the rows that have them.
import { site, type TDbOrTx } from "@meterlink/db";
import {
  AppError,
  SITE_IMPORT_MAX_ROWS,
  type TSiteImport,
  type TSiteImportRow,
  ZSiteFields,
} from "@meterlink/shared";
import { eq, sql } from "drizzle-orm";
import Papa from "papaparse";
import type { TCompanyContext } from "../../trpc";

type TSiteCtx = Pick<TCompanyContext, "db" | "company">;

/** Header spellings people use, folded to our three columns. */
const COLUMN_ALIASES: Record<string, "name" | "address" | "reference"> = {
  name: "name",
  "site name": "name",
  site: "name",
  building: "name",
  "building name": "name",
  address: "address",
  "site address": "address",
  "postal address": "address",
  reference: "reference",
  ref: "reference",
  code: "reference",
  "site code": "reference",
  "site id": "reference",
  id: "reference",
};

export type TSiteImportPreview = {
  rows: TSiteImportRow[];
  /** Problems with the file itself (no name column, too many rows): nothing can be imported. */
  fileErrors: string[];
  validCount: number;
  invalidCount: number;
};

function columnOf(header: string) {
  return COLUMN_ALIASES[header.trim().toLowerCase().replace(/[_-]+/g, " ")];
}

/** The 1-based line of each character offset, for rows whose quoted cells span lines. */
function lineCounter(text: string) {
  let offset = 0;
  let line = 1;
  return (to: number) => {
    for (; offset < to && offset < text.length; offset++) {
      if (text[offset] === "\n") line++;
    }
    return line;
  };
}

/**
 * The separator of the header line: a comma, or the semicolon spreadsheets write where
 * the comma is the decimal mark, or a tab. Papa's own guess reads data rows too, where
 * quoted addresses are full of commas.
 */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((char) => [char, header.split(char).length - 1] as const);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ",";
}

/** Parses and checks a CSV against the company's existing sites. Writes nothing. */
export function parseSitesCsv(
  csv: string,
  existing: { names: Set<string>; references: Set<string> },
): TSiteImportPreview {
  const text = csv.replace(/^\uFEFF/, "");
  const fileErrors: string[] = [];
  if (!text.trim()) {
    return { rows: [], fileErrors: ["The file is empty."], validCount: 0, invalidCount: 0 };
  }
  const raw: { cells: string[]; start: number }[] = [];
  let cursor = 0;
  Papa.parse<string[]>(text, {
    delimiter: delimiterOf(text),
    skipEmptyLines: false,
    step: (result) => {
      raw.push({ cells: result.data, start: cursor });
      cursor = result.meta.cursor;
    },
  });
  const lineAt = lineCounter(text);
  // Papa's cursor after a row is where the next one starts (its newline consumed).
  const located = raw.map((row) => ({ cells: row.cells, line: lineAt(row.start) }));
  const header = located.shift();
  const columns = (header?.cells ?? []).map(columnOf);
  if (!columns.includes("name")) {
    fileErrors.push(
      "The first line must name the columns, with at least a “name” column (and optionally “address” and “reference”).",
    );
    return { rows: [], fileErrors, validCount: 0, invalidCount: 0 };
  }
  const dataRows = located.filter((row) => row.cells.some((cell) => cell.trim() !== ""));
  if (dataRows.length > SITE_IMPORT_MAX_ROWS) {
    fileErrors.push(
      `The file has ${dataRows.length} sites; import at most ${SITE_IMPORT_MAX_ROWS} at a time.`,
    );
    return { rows: [], fileErrors, validCount: 0, invalidCount: 0 };
  }

  const namesInFile = new Map<string, number>();
  const referencesInFile = new Map<string, number>();
  const rows = dataRows.map(({ cells, line }): TSiteImportRow => {
    const values: Record<string, string> = {};
    columns.forEach((column, index) => {
      if (column && values[column] === undefined) values[column] = cells[index] ?? "";
    });
    const errors: string[] = [];
    if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim())) {
      errors.push(`This line has ${cells.length} cells but the header names ${columns.length}.`);
    }
    const parsed = ZSiteFields.safeParse(values);
    const name = (values.name ?? "").trim();
    const reference = (values.reference ?? "").trim() || null;
    if (!parsed.success) errors.push(...parsed.error.issues.map((issue) => issue.message));
    const key = name.toLowerCase();
    if (name && existing.names.has(key)) {
      errors.push(`A site named “${name}” already exists: rename it here, or leave the line out.`);
    } else if (name && namesInFile.has(key)) {
      errors.push(`“${name}” is already on line ${namesInFile.get(key)}: each site once.`);
    }
    if (reference && existing.references.has(reference)) {
      errors.push(`Another site already has the reference “${reference}”.`);
    } else if (reference && referencesInFile.has(reference)) {
      errors.push(
        `The reference “${reference}” is already on line ${referencesInFile.get(reference)}.`,
      );
    }
    if (name && !namesInFile.has(key)) namesInFile.set(key, line);
    if (reference && !referencesInFile.has(reference)) referencesInFile.set(reference, line);
    return { line, name, address: (values.address ?? "").trim(), reference, errors };
  });
  if (rows.length === 0) fileErrors.push("The file has a header but no sites under it.");
  const invalidCount = rows.filter((row) => row.errors.length).length;
  return { rows, fileErrors, validCount: rows.length - invalidCount, invalidCount };
}

async function existingOf(db: TDbOrTx, companyId: string) {
  const rows = await db
    .select({ name: site.name, reference: site.reference, archivedAt: site.archivedAt })
    .from(site)
    .where(eq(site.companyId, companyId));
  return {
    names: new Set(rows.filter((row) => !row.archivedAt).map((row) => row.name.toLowerCase())),
    references: new Set(rows.flatMap((row) => (row.reference ? [row.reference] : []))),
  };
}

export async function previewSiteImport({ ctx, input }: { ctx: TSiteCtx; input: TSiteImport }) {
  return parseSitesCsv(input.csv, await existingOf(ctx.db, ctx.company.id));
}

export async function importSites({ ctx, input }: { ctx: TSiteCtx; input: TSiteImport }) {
  return await ctx.db.transaction(async (tx) => {
    // One import at a time per company, so two tabs cannot both add "Main Street".
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`site-import:${ctx.company.id}`}))`,
    );
    const preview = parseSitesCsv(input.csv, await existingOf(tx, ctx.company.id));
    if (preview.fileErrors.length) {
      throw new AppError("BAD_REQUEST", preview.fileErrors.join(" "));
    }
    if (preview.invalidCount && !input.skipInvalid) {
      const lines = preview.rows.filter((row) => row.errors.length).map((row) => row.line);
      throw new AppError(
        "BAD_REQUEST",
        `Nothing was imported: fix the ${lines.length === 1 ? "line" : "lines"} ${lines.join(", ")}, or choose to skip ${lines.length === 1 ? "it" : "them"}.`,
        {
          fields: preview.rows
            .filter((row) => row.errors.length)
            .map((row) => ({ path: `line.${row.line}`, message: row.errors.join(" ") })),
        },
      );
    }
    const good = preview.rows.filter((row) => row.errors.length === 0);
    if (good.length) {
      await tx.insert(site).values(
        good.map((row) => ({
          companyId: ctx.company.id,
          name: row.name,
          address: row.address,
          reference: row.reference,
        })),
      );
    }
    return { imported: good.length, skipped: preview.invalidCount };
  });
}
