// A person typing at a steady rate, and the bookkeeping that turns frames into
// input→frame latencies: key k is "shown" by the first frame whose painted counter reaches
// base + k. Shared by the stream client (through the relay or straight to the worker)
// and the CDP floor, so both are measured by exactly the same rule.

export const KEYS_PER_SECOND = 8;

type TPending = { expected: number; sentAt: number; seq: number | null };

export class Typist {
  /** Count the page shows (last frame read). */
  shown: number | null = null;
  latencies: number[] = [];
  keysSent = 0;
  private pending: TPending[] = [];
  private base = 0;
  private waiters = new Set<() => void>();

  /** Feed every frame's painted count (null: not the bench page) with its arrival time. */
  onCount(count: number | null, arrivedAt: number): void {
    if (count === null) return;
    this.shown = count;
    while (this.pending.length && (this.pending[0]?.expected ?? Infinity) <= count) {
      const key = this.pending.shift();
      if (key) this.latencies.push(arrivedAt - key.sentAt);
    }
    for (const wake of this.waiters) wake();
  }

  /** Whether a frame may still show something not yet seen (narrows which frames to read). */
  get waiting(): boolean {
    return this.pending.length > 0 || this.shown === null;
  }

  /** Input seq of the oldest key not yet shown (null when none or not tracked). */
  get oldestPendingSeq(): number | null {
    return this.pending[0]?.seq ?? null;
  }

  async waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!check()) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      }).finally(() => this.waiters.clear());
    }
    return true;
  }

  /**
   * Types for `durationMs` at KEYS_PER_SECOND, starting after `offsetMs` (sessions are
   * staggered like independent people), then waits up to `settleMs` for the last keys.
   */
  async type(
    send: () => number | null | Promise<number | null>,
    options: { durationMs: number; offsetMs?: number; settleMs?: number },
  ): Promise<{ lost: number; windowMs: number }> {
    if (this.shown === null) throw new Error("the bench page was never shown");
    this.base = this.shown + this.pending.length;
    this.latencies = [];
    this.keysSent = 0;
    const interval = 1000 / KEYS_PER_SECOND;
    const total = Math.max(1, Math.floor((options.durationMs / 1000) * KEYS_PER_SECOND));
    await sleep(options.offsetMs ?? 0);
    const start = performance.now();
    for (let k = 0; k < total; k++) {
      const due = start + k * interval;
      await sleep(due - performance.now());
      this.keysSent++;
      const key: TPending = {
        expected: this.base + this.keysSent,
        sentAt: performance.now(),
        seq: null,
      };
      this.pending.push(key);
      key.seq = await send();
    }
    await this.waitUntil(() => this.pending.length === 0, options.settleMs ?? 3_000);
    const windowMs = performance.now() - start;
    const lost = this.pending.length;
    this.pending = [];
    return { lost, windowMs };
  }
}

export const sleep = (ms: number) =>
  ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
