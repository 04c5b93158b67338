// The API's calls to a worker's internal HTTP API (fleet token). Workers are reachable
// only from the API; recipients never learn their addresses.
import {
  type TSessionView,
  type TStartSession,
  ZSessionView,
  ZWorkerError,
} from "@meterlink/shared/fleet";

export class WorkerUnavailable extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "WorkerUnavailable";
  }
}

async function call(url: string, fleetToken: string, init: RequestInit & { timeoutMs?: number }) {
  try {
    return await fetch(url, {
      ...init,
      headers: {
        authorization: `Bearer ${fleetToken}`,
        "content-type": "application/json",
        ...init.headers,
      },
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    });
  } catch {
    throw new WorkerUnavailable("worker did not answer", true);
  }
}

export async function startWorkerSession(
  workerUrl: string,
  fleetToken: string,
  body: TStartSession,
): Promise<void> {
  const response = await call(`${workerUrl}/sessions`, fleetToken, {
    method: "POST",
    body: JSON.stringify(body),
    timeoutMs: 15_000,
  });
  if (response.ok) return;
  const parsed = ZWorkerError.safeParse(await response.json().catch(() => null));
  throw new WorkerUnavailable(
    parsed.success ? parsed.data.code : `status ${response.status}`,
    parsed.success ? parsed.data.retryable : true,
  );
}

export async function getWorkerSession(
  workerUrl: string,
  fleetToken: string,
  sessionId: string,
): Promise<TSessionView | null> {
  const response = await call(`${workerUrl}/sessions/${sessionId}`, fleetToken, {
    method: "GET",
    timeoutMs: 5_000,
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new WorkerUnavailable(`status ${response.status}`, true);
  return ZSessionView.parse(await response.json());
}

export async function endWorkerSession(
  workerUrl: string,
  fleetToken: string,
  sessionId: string,
): Promise<void> {
  await call(`${workerUrl}/sessions/${sessionId}`, fleetToken, {
    method: "DELETE",
    timeoutMs: 5_000,
  }).catch(() => null);
}

export function workerStreamUrl(workerUrl: string, sessionId: string): string {
  const url = new URL(`/sessions/${sessionId}/stream`, workerUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
