// Keeps this worker in the fleet's routing table: a heartbeat to the API every few
// seconds (address, capacity, sessions in use, version, draining). Missing heartbeats
// take the worker out of routing within seconds, so a crashed worker needs no cleanup.
import type { Logger } from "pino";

export type TFleetRegistration = {
  /** Sends one heartbeat now (e.g. right after draining starts). */
  beat(): Promise<void>;
  /** Stops heartbeats and tells the API this worker is gone. */
  stop(): Promise<void>;
};

export function registerWithFleet(options: {
  apiUrl: string;
  fleetToken: string;
  workerId: string;
  advertiseUrl: string;
  /** The worker's ephemeral public key; the API checks it at GET {advertiseUrl}/identity. */
  publicKey: object;
  version: string;
  intervalMs: number;
  status: () => { capacity: number; activeSessions: number; draining: boolean };
  logger: Logger;
}): TFleetRegistration {
  let failures = 0;
  const post = async (path: string, body: unknown) =>
    await fetch(new URL(path, options.apiUrl), {
      method: "POST",
      headers: {
        authorization: `Bearer ${options.fleetToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(Math.max(1000, options.intervalMs)),
    });

  const beat = async () => {
    try {
      const response = await post("/internal/fleet/heartbeat", {
        workerId: options.workerId,
        url: options.advertiseUrl,
        publicKey: options.publicKey,
        version: options.version,
        ...options.status(),
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      if (failures > 0) options.logger.info("fleet heartbeat restored");
      failures = 0;
    } catch (error) {
      // Log the first failure and then every tenth, not every beat.
      if (failures++ % 10 === 0) {
        options.logger.warn(
          { reason: error instanceof Error ? error.message : "unknown" },
          "fleet heartbeat failed",
        );
      }
    }
  };

  void beat();
  const timer = setInterval(() => void beat(), options.intervalMs);
  timer.unref();
  return {
    beat,
    async stop() {
      clearInterval(timer);
      await post("/internal/fleet/deregister", { workerId: options.workerId }).catch(() => null);
    },
  };
}
