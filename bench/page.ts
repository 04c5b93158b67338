// The typing page every stream benchmark drives, served by the harness on loopback (the
// sandbox's own /bench/typing paints its counter as digits, which a client could only
// read with OCR). This one paints the character count as a row of 32×32 black/white
// cells at the top-left: four marker cells (so a frame of this page is recognised),
// then 20 bits, most significant first, in two rows of 12 so that they fit a 390-px phone.
// Cells sit on the 16-px MCU grid, so a JPEG's luma DC values read them exactly (see
// jpeg-luma.ts). Chromium's frames are in CSS px whatever the emulated DPR (a DPR 2
// phone's frame is 390 px wide), so the cells are 32 CSS px.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readLumaTop } from "./jpeg-luma";

const CELL = 32;
const PER_ROW = 12;
const MARKER = [0, 1, 0, 1] as const; // 0 = black, 1 = white
const BITS = 20;
export const PAGE_PATH = "/bench/typing";

const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>n=0</title>
<style>
  html, body { margin: 0; background: #fff; overflow: hidden; }
  #strip { position: absolute; top: 0; left: 0; display: flex; flex-wrap: wrap;
    width: ${CELL * PER_ROW}px; }
  #strip div { width: ${CELL}px; height: ${CELL}px; background: #fff; }
  #strip div.on { background: #000; }
  #count { position: absolute; top: ${2 * CELL + 8}px; right: 16px; font: bold 20px sans-serif; }
  textarea { position: absolute; top: ${2 * CELL + 40}px; left: 16px; right: 16px; bottom: 32px;
    width: calc(100% - 32px); font: 20px monospace; border: 1px solid #888; resize: none;
    box-sizing: border-box; }
</style></head>
<body>
<div id="strip"></div><div id="count">n=0</div>
<textarea id="text" autofocus spellcheck="false" aria-label="Type here"></textarea>
<script>
  const strip = document.getElementById("strip");
  const cells = [];
  for (let i = 0; i < ${MARKER.length + BITS}; i++) {
    const cell = document.createElement("div");
    strip.appendChild(cell);
    cells.push(cell);
  }
  const marker = ${JSON.stringify(MARKER)};
  marker.forEach((white, i) => cells[i].classList.toggle("on", !white));
  const text = document.getElementById("text");
  const count = document.getElementById("count");
  function paint() {
    const n = text.value.length;
    for (let b = 0; b < ${BITS}; b++) {
      const bit = (n >> (${BITS} - 1 - b)) & 1;
      // A set bit is white, so a blank (all-white) page never reads as a marker.
      cells[${MARKER.length} + b].classList.toggle("on", !bit);
    }
    count.textContent = "n=" + n;
    document.title = "n=" + n;
  }
  text.addEventListener("input", paint);
  paint();
  text.focus();
</script>
</body></html>`;

export type TBenchPage = { url: string; origin: string; host: string; close(): Promise<void> };

export async function startBenchPage(): Promise<TBenchPage> {
  const server = createServer((req, res) => {
    if (req.url === PAGE_PATH) {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(html);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${PAGE_PATH}`,
    origin,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The count a frame shows, or null when the frame is not of the bench page (or a cell
 * is mid-transition). Reads two luma blocks inside each cell; both must agree.
 */
export function readCount(jpeg: Uint8Array): number | null {
  const luma = readLumaTop(jpeg, 2 * CELL);
  const bitOf = (cell: number): 0 | 1 | null => {
    // Blocks are 8 px: a cell is 4×4 of them; two inner ones per cell.
    const x = (cell % PER_ROW) * 4;
    const y = Math.floor(cell / PER_ROW) * 4;
    const a = luma.mean(x + 1, y + 1);
    const b = luma.mean(x + 2, y + 2);
    if (a < 64 && b < 64) return 0;
    if (a > 192 && b > 192) return 1;
    return null;
  };
  for (const [i, expected] of MARKER.entries()) if (bitOf(i) !== expected) return null;
  let n = 0;
  for (let b = 0; b < BITS; b++) {
    const bit = bitOf(MARKER.length + b);
    if (bit === null) return null;
    n = (n << 1) | bit;
  }
  return n;
}
