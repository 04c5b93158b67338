// Fair degradation under overload, one per worker. Chromium paints and encodes a whole
// frame per change, so when the worker's cores are saturated every session's input→frame
// latency grows together; the pacer watches those latencies (what recipients feel) and,
// past the bound, lowers every session's frame rate by the same step (and the JPEG
// quality of every stream started or resized meanwhile) — never one session more than
// another, never a stop: the slowest level still sends a frame every 400 ms, and nothing
// queues (a screencast frame is only acked, and the next one produced, after the hold).
// Levels come back down after a few calm seconds.
// Streams on begin frames (stream/begin-frames.ts) take only the quality drop: their
// tabs wait their turn in the browser's frame queue, which already lowers every tab's
// frame rate alike.
// The level is in the worker's metrics (browser_worker_stream_degrade_level).
import type { TWorkerMetrics } from "../metrics/metrics";

export const PACE_LEVELS = [
  { minIntervalMs: 0, qualityDrop: 0 },
  { minIntervalMs: 100, qualityDrop: 10 },
  { minIntervalMs: 200, qualityDrop: 20 },
  { minIntervalMs: 400, qualityDrop: 30 },
] as const;
export type TPaceLimits = (typeof PACE_LEVELS)[number];

/** Latencies are judged per window; a window with fewer samples is no evidence of load. */
const WINDOW_MS = 1_000;
const MIN_SAMPLES = 5;
/** p90 above this degrades one level (the ten-typists target is p95 ≤ 150 ms). */
const HIGH_MS = 150;
/** p90 under this (or no typing) for CALM_WINDOWS windows in a row restores one level. */
const LOW_MS = 75;
const CALM_WINDOWS = 3;

export class FramePacer {
  #level = 0;
  #samples: number[] = [];
  #windowStart: number;
  #calm = 0;
  #metrics: TWorkerMetrics | null;
  #now: () => number;

  constructor(options: { metrics?: TWorkerMetrics; now?: () => number } = {}) {
    this.#metrics = options.metrics ?? null;
    this.#now = options.now ?? (() => performance.now());
    this.#windowStart = this.#now();
  }

  /** One input's latency to the first frame sent after it, in ms. */
  observe(latencyMs: number): void {
    this.#samples.push(latencyMs);
    this.#tick();
  }

  get level(): number {
    this.#tick();
    return this.#level;
  }

  get limits(): TPaceLimits {
    return PACE_LEVELS[this.level] ?? PACE_LEVELS[0];
  }

  #tick(): void {
    const now = this.#now();
    const elapsed = now - this.#windowStart;
    if (elapsed < WINDOW_MS) return;
    const windows = Math.floor(elapsed / WINDOW_MS);
    const p90 = this.#samples.length >= MIN_SAMPLES ? percentile90(this.#samples) : null;
    if (p90 !== null && p90 > HIGH_MS) {
      this.#level = Math.min(PACE_LEVELS.length - 1, this.#level + 1);
      this.#calm = 0;
    } else if (p90 === null || p90 < LOW_MS) {
      // Windows that passed without any call count as calm too (nobody typing).
      this.#calm += windows;
      if (this.#calm >= CALM_WINDOWS && this.#level > 0) {
        this.#level -= 1;
        this.#calm = 0;
      }
    } else {
      this.#calm = 0;
    }
    this.#samples = [];
    this.#windowStart = now;
    const limits = PACE_LEVELS[this.#level] ?? PACE_LEVELS[0];
    this.#metrics?.streamDegradeLevel.set(this.#level);
    this.#metrics?.streamMinFrameIntervalSeconds.set(limits.minIntervalMs / 1000);
  }
}

function percentile90(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)] ?? 0;
}

const pacers = new WeakMap<TWorkerMetrics, FramePacer>();

/** The pacer of the worker these metrics belong to (one registry per worker instance). */
export function pacerOf(metrics: TWorkerMetrics): FramePacer {
  let pacer = pacers.get(metrics);
  if (!pacer) {
    pacer = new FramePacer({ metrics });
    pacers.set(metrics, pacer);
  }
  return pacer;
}
