// One registry per worker instance (not prom-client's global one) so several workers can
// run in one process, as the tests do.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export type TWorkerMetrics = ReturnType<typeof createMetrics>;

export function createMetrics(capacity: number) {
  const registry = new Registry();
  const sessionsActive = new Gauge({
    name: "browser_worker_sessions_active",
    help: "Sessions currently holding a browser context",
    registers: [registry],
  });
  const capacityGauge = new Gauge({
    name: "browser_worker_capacity",
    help: "Sessions this worker accepts at once",
    registers: [registry],
  });
  capacityGauge.set(capacity);
  const sessionStartSeconds = new Histogram({
    name: "browser_worker_session_start_seconds",
    help: "From POST /sessions to the login page navigation starting",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2],
    registers: [registry],
  });
  const framesSent = new Counter({
    name: "browser_worker_frames_sent_total",
    help: "Screencast frames sent to clients",
    registers: [registry],
  });
  const inputToFrameSeconds = new Histogram({
    name: "browser_worker_input_to_frame_seconds",
    help: "From an input message arriving to the first frame sent after it was dispatched",
    buckets: [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28],
    registers: [registry],
  });
  // Overload (stream/pacer.ts): every session's frame rate and quality are lowered alike.
  const streamDegradeLevel = new Gauge({
    name: "browser_worker_stream_degrade_level",
    help: "Stream degradation under load: 0 none … 3 (lowest frame rate and JPEG quality), same for every session",
    registers: [registry],
  });
  const streamMinFrameIntervalSeconds = new Gauge({
    name: "browser_worker_stream_min_frame_interval_seconds",
    help: "Least time between two frames of one session at the current degradation level",
    registers: [registry],
  });
  const outcomes = new Counter({
    name: "browser_worker_outcomes_total",
    help: "Login outcomes detected",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const sessionsEnded = new Counter({
    name: "browser_worker_sessions_ended_total",
    help: "Sessions ended, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  return {
    registry,
    sessionsActive,
    capacity: capacityGauge,
    sessionStartSeconds,
    framesSent,
    inputToFrameSeconds,
    streamDegradeLevel,
    streamMinFrameIntervalSeconds,
    outcomes,
    sessionsEnded,
  };
}
