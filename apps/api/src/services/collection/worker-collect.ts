// The collection job's calls to a worker's collect API (fleet token). The body carries
// the plaintext credential: it is built here, sent once, and never logged.
import {
  type TCollectRequestInput,
  type TCollectResult,
  ZCollectResult,
} from "@meterlink/shared/connection";
import { ZWorkerError } from "@meterlink/shared/fleet";
import { WorkerUnavailable } from "../fleet/worker-client";

async function post(
  url: string,
  fleetToken: string,
  body: unknown,
  timeoutMs: number,
): Promise<TCollectResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${fleetToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new WorkerUnavailable("worker did not answer", true);
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ZWorkerError.safeParse(json);
    throw new WorkerUnavailable(
      error.success ? error.data.code : `status ${response.status}`,
      error.success ? error.data.retryable : true,
    );
  }
  const parsed = ZCollectResult.safeParse(json);
  if (!parsed.success) throw new WorkerUnavailable("worker answered something unexpected", true);
  return parsed.data;
}

export function collectOnWorker(
  workerUrl: string,
  fleetToken: string,
  sessionId: string,
  request: TCollectRequestInput,
  timeoutMs: number,
): Promise<TCollectResult> {
  return post(`${workerUrl}/sessions/${sessionId}/collect`, fleetToken, request, timeoutMs);
}

export function sendCodeToWorker(
  workerUrl: string,
  fleetToken: string,
  sessionId: string,
  code: string,
  timeoutMs: number,
): Promise<TCollectResult> {
  return post(`${workerUrl}/sessions/${sessionId}/code`, fleetToken, { code }, timeoutMs);
}
