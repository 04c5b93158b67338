// Prints bench/results/latest.json as the Markdown tables docs/performance.md keeps:
// `npx tsx bench/markdown.ts`.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

type TSummary = { median: number; min: number; max: number };
type TFigure = {
  id: string;
  what: string;
  unit: string;
  value: TSummary;
  target?: { op: string; value: number };
  reference?: { what: string; value: TSummary };
  pass?: boolean;
  note?: string;
};

const file = join(dirname(fileURLToPath(import.meta.url)), "results", "latest.json");
const report = JSON.parse(readFileSync(file, "utf8")) as { figures: TFigure[] };
const fmt = (value: number) =>
  !Number.isFinite(value)
    ? "—"
    : Math.abs(value) >= 100
      ? String(Math.round(value))
      : value.toFixed(value >= 10 ? 1 : 2);
const lines = [
  "| figure | median | min – max | target | reference (same run) | ratio | |",
  "| --- | --- | --- | --- | --- | --- | --- |",
];
for (const f of report.figures) {
  lines.push(
    `| ${f.what} | ${fmt(f.value.median)} ${f.unit} | ${fmt(f.value.min)} – ${fmt(f.value.max)} | ${
      f.target ? `${f.target.op.replace("<=", "≤").replace(">=", "≥")} ${f.target.value}` : "report"
    } | ${f.reference ? `${fmt(f.reference.value.median)} (${f.reference.what})` : ""} | ${
      f.reference ? `${fmt(f.value.median / f.reference.value.median)}×` : ""
    } | ${f.pass === undefined ? "" : f.pass ? "pass" : "**miss**"} |`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
