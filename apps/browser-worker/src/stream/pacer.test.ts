import { describe, expect, it } from "vitest";
import { createMetrics } from "../metrics/metrics";
import { FramePacer, PACE_LEVELS } from "./pacer";

/** A pacer on a clock the test moves. */
function pacerAt() {
  let now = 0;
  const metrics = createMetrics(10);
  const pacer = new FramePacer({ metrics, now: () => now });
  return {
    pacer,
    metrics,
    /** One second of inputs, each shown `latencyMs` later. */
    second(latencyMs: number | null) {
      if (latencyMs !== null) for (let i = 0; i < 10; i++) pacer.observe(latencyMs);
      now += 1_000;
      return pacer.level;
    },
    async gauge(name: string) {
      const text = await metrics.registry.metrics();
      return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    },
  };
}

describe("frame pacer (fair degradation under overload)", () => {
  it("leaves a worker whose recipients see their keys quickly at full rate", () => {
    const p = pacerAt();
    for (let i = 0; i < 5; i++) p.second(40);
    expect(p.pacer.level).toBe(0);
    expect(p.pacer.limits).toEqual({ minIntervalMs: 0, qualityDrop: 0 });
  });

  it("steps every session down while keys take too long, never to a standstill, and says so", async () => {
    const p = pacerAt();
    const levels = [];
    for (let i = 0; i < 8; i++) levels.push(p.second(400));
    p.pacer.observe(400);
    // One step a second, up to the last level, which still sends a frame every 400 ms.
    expect(levels.slice(0, 5)).toEqual([1, 2, 3, 3, 3]);
    expect(p.pacer.limits).toEqual(PACE_LEVELS.at(-1));
    expect(p.pacer.limits.minIntervalMs).toBeLessThanOrEqual(400);
    expect(await p.gauge("browser_worker_stream_degrade_level")).toBe(3);
    expect(await p.gauge("browser_worker_stream_min_frame_interval_seconds")).toBe(0.4);
  });

  it("comes back up after calm seconds, also when nobody types at all", async () => {
    const p = pacerAt();
    for (let i = 0; i < 4; i++) p.second(400);
    p.pacer.observe(400);
    expect(p.pacer.level).toBe(3);
    for (let i = 0; i < 4; i++) p.second(30);
    p.pacer.observe(30);
    expect(p.pacer.level).toBe(2);
    // Nobody typing: no evidence of load, so it keeps recovering.
    for (let i = 0; i < 8; i++) p.second(null);
    expect(p.pacer.level).toBe(0);
    expect(await p.gauge("browser_worker_stream_degrade_level")).toBe(0);
  });
});
