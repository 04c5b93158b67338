// Reads the top of a baseline JPEG without decoding the picture: only the Huffman stream
// of the first MCU rows is walked, and only the DC coefficient of each luma block is
// kept (the 8×8 block's mean brightness). The bench page paints its counter as 32×32
// black/white cells at the very top, so a DC value per block is all the latency client
// needs, at a fraction of a millisecond per frame. A full decode (jpeg-js) of every
// candidate frame would cost ~20 ms of CPU each and compete with Chromium for the same
// two cores, distorting the very latency it measures.

type THuffman = { lookup: Map<number, number>; maxCode: Int32Array };

type TComponent = { id: number; h: number; v: number; tq: number; td: number; ta: number };

export type TLumaBlocks = {
  width: number;
  height: number;
  /** Luma blocks per row (covering the whole width). */
  blocksPerRow: number;
  /** Block rows decoded (from the top). */
  blockRows: number;
  /** Mean luma (0…255) of block (bx, by). */
  mean(bx: number, by: number): number;
};

export class JpegReadError extends Error {
  override name = "JpegReadError";
}

function buildHuffman(counts: Uint8Array, symbols: Uint8Array): THuffman {
  // Canonical codes: key = (length << 16) | code.
  const lookup = new Map<number, number>();
  const maxCode = new Int32Array(17).fill(-1);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1] ?? 0;
    for (let i = 0; i < count; i++) {
      lookup.set((length << 16) | code, symbols[k++] ?? 0);
      code++;
    }
    maxCode[length] = count ? code - 1 : -1;
    code <<= 1;
  }
  return { lookup, maxCode };
}

/** Decodes the luma DC of the blocks covering the top `pixelRows` rows of `jpeg`. */
export function readLumaTop(jpeg: Uint8Array, pixelRows: number): TLumaBlocks {
  const quant = new Map<number, number>();
  const dcTables = new Map<number, THuffman>();
  const acTables = new Map<number, THuffman>();
  let components: TComponent[] = [];
  let width = 0;
  let height = 0;
  let restartInterval = 0;
  let pos = 2;
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new JpegReadError("not a JPEG");
  const u16 = (at: number) => ((jpeg[at] ?? 0) << 8) | (jpeg[at + 1] ?? 0);

  for (;;) {
    if (pos + 4 > jpeg.length) throw new JpegReadError("no scan");
    if (jpeg[pos] !== 0xff) throw new JpegReadError("bad marker");
    const marker = jpeg[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const length = u16(pos + 2);
    const body = pos + 4;
    const end = pos + 2 + length;
    if (marker === 0xdb) {
      let at = body;
      while (at < end) {
        const pq = (jpeg[at] ?? 0) >> 4;
        const tq = (jpeg[at] ?? 0) & 15;
        // Entry 0 in zig-zag order is the DC step, all we need.
        quant.set(tq, pq ? u16(at + 1) : (jpeg[at + 1] ?? 1));
        at += 1 + 64 * (pq ? 2 : 1);
      }
    } else if (marker === 0xc0 || marker === 0xc1) {
      height = u16(body + 1);
      width = u16(body + 3);
      const count = jpeg[body + 5] ?? 0;
      components = [];
      for (let i = 0; i < count; i++) {
        const at = body + 6 + i * 3;
        const sampling = jpeg[at + 1] ?? 0x11;
        components.push({
          id: jpeg[at] ?? 0,
          h: sampling >> 4,
          v: sampling & 15,
          tq: jpeg[at + 2] ?? 0,
          td: 0,
          ta: 0,
        });
      }
    } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8) {
      throw new JpegReadError("only baseline JPEG is supported");
    } else if (marker === 0xc4) {
      let at = body;
      while (at < end) {
        const tc = (jpeg[at] ?? 0) >> 4;
        const th = (jpeg[at] ?? 0) & 15;
        const counts = jpeg.subarray(at + 1, at + 17);
        const total = counts.reduce((sum, n) => sum + n, 0);
        const table = buildHuffman(counts, jpeg.subarray(at + 17, at + 17 + total));
        (tc === 0 ? dcTables : acTables).set(th, table);
        at += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = u16(body);
    } else if (marker === 0xda) {
      const count = jpeg[body] ?? 0;
      for (let i = 0; i < count; i++) {
        const id = jpeg[body + 1 + i * 2];
        const tables = jpeg[body + 2 + i * 2] ?? 0;
        const component = components.find((c) => c.id === id);
        if (!component) throw new JpegReadError("scan names an unknown component");
        component.td = tables >> 4;
        component.ta = tables & 15;
      }
      if (count !== components.length) throw new JpegReadError("non-interleaved scans");
      pos = end;
      break;
    }
    pos = end;
  }
  if (!width || !components.length) throw new JpegReadError("no frame header");

  // Entropy-coded data: byte-stuffed bits; a marker (other than a restart we expect)
  // ends the data, and reads past it yield zeros.
  let bitBuffer = 0;
  let bitCount = 0;
  let atMarker = false;
  const readBit = (): number => {
    if (bitCount === 0) {
      let byte = 0;
      if (!atMarker && pos < jpeg.length) {
        byte = jpeg[pos] ?? 0;
        if (byte === 0xff) {
          const next = jpeg[pos + 1] ?? 0;
          if (next === 0) pos += 2;
          else {
            atMarker = true;
            byte = 0;
          }
        } else pos++;
      }
      bitBuffer = byte;
      bitCount = 8;
    }
    bitCount--;
    return (bitBuffer >> bitCount) & 1;
  };
  const receive = (bits: number): number => {
    let value = 0;
    for (let i = 0; i < bits; i++) value = (value << 1) | readBit();
    return value;
  };
  const decode = (table: THuffman): number => {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | readBit();
      if (code <= (table.maxCode[length] ?? -1)) {
        const symbol = table.lookup.get((length << 16) | code);
        if (symbol !== undefined) return symbol;
      }
    }
    throw new JpegReadError("bad Huffman code");
  };
  const extend = (value: number, bits: number) =>
    value < 1 << (bits - 1) ? value - (1 << bits) + 1 : value;

  const hMax = Math.max(...components.map((c) => c.h));
  const vMax = Math.max(...components.map((c) => c.v));
  const mcusPerRow = Math.ceil(width / (8 * hMax));
  const mcuRows = Math.min(Math.ceil(height / (8 * vMax)), Math.ceil(pixelRows / (8 * vMax)));
  const luma = components[0];
  if (!luma) throw new JpegReadError("no components");
  const lumaStep = quant.get(luma.tq) ?? 1;
  const blocksPerRow = mcusPerRow * luma.h;
  const blockRows = mcuRows * luma.v;
  const means = new Float32Array(blocksPerRow * blockRows);
  const predictors = components.map(() => 0);

  let mcu = 0;
  for (let my = 0; my < mcuRows; my++) {
    for (let mx = 0; mx < mcusPerRow; mx++) {
      if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
        // Byte-align, step over RSTn, reset the DC predictors.
        bitCount = 0;
        if (atMarker || (jpeg[pos] === 0xff && (jpeg[pos + 1] ?? 0) >= 0xd0)) {
          const next = jpeg[pos + 1] ?? 0;
          if (next >= 0xd0 && next <= 0xd7) pos += 2;
          atMarker = false;
        }
        predictors.fill(0);
      }
      components.forEach((component, index) => {
        const dcTable = dcTables.get(component.td);
        const acTable = acTables.get(component.ta);
        if (!dcTable || !acTable) throw new JpegReadError("missing Huffman table");
        for (let v = 0; v < component.v; v++) {
          for (let h = 0; h < component.h; h++) {
            const size = decode(dcTable);
            const diff = size ? extend(receive(size), size) : 0;
            const dc = (predictors[index] ?? 0) + diff;
            predictors[index] = dc;
            for (let k = 1; k < 64; ) {
              const rs = decode(acTable);
              const run = rs >> 4;
              const bits = rs & 15;
              if (bits === 0) {
                if (run !== 15) break;
                k += 16;
                continue;
              }
              k += run;
              receive(bits);
              k++;
            }
            if (index === 0) {
              const bx = mx * component.h + h;
              const by = my * component.v + v;
              // DC = 8 × mean of the level-shifted samples.
              means[by * blocksPerRow + bx] = (dc * lumaStep) / 8 + 128;
            }
          }
        }
      });
      mcu++;
    }
  }
  return {
    width,
    height,
    blocksPerRow,
    blockRows,
    mean: (bx, by) => means[by * blocksPerRow + bx] ?? Number.NaN,
  };
}
