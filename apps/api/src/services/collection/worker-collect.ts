// The collection job's calls to a worker's collect API (fleet token). The credential
// never travels in plaintext: it is sealed (JWE) to the key the collecting worker
// registered and proved it holds (fleet/admit.ts), names the session and expires in
// minutes, so a copied fleet token, a rogue listener or a captured request yields nothing.
import { type TDbOrTx, worker } from "@meterlink/db";
import {
  type TCollectCredential,
  type TCollectRequestInput,
  type TCollectResult,
  ZCollectResult,
} from "@meterlink/shared/connection";
import { ZWorkerError, ZWorkerPublicJwk } from "@meterlink/shared/fleet";
import { eq } from "drizzle-orm";
import { EncryptJWT, importJWK } from "jose";
import { WorkerUnavailable } from "../fleet/worker-client";

const SEAL_ALG = "ECDH-ES+A256KW";

/** Seals the credential to the worker's registered key, for this session only. */
export async function sealForWorker(
  db: TDbOrTx,
  target: { workerId: string; loginSessionId: string },
  credential: TCollectCredential,
): Promise<string> {
  const [row] = await db
    .select({ publicKey: worker.publicKey })
    .from(worker)
    .where(eq(worker.id, target.workerId));
  const jwk = ZWorkerPublicJwk.safeParse(row?.publicKey ? JSON.parse(row.publicKey) : null);
  // No registered key: the worker is not one we can hand a credential to.
  if (!jwk.success) throw new WorkerUnavailable("worker has no registered key", true);
  const key = await importJWK(jwk.data, SEAL_ALG);
  return await new EncryptJWT({ username: credential.username, password: credential.password })
    .setProtectedHeader({ alg: SEAL_ALG, enc: "A256GCM" })
    .setSubject(target.loginSessionId)
    .setIssuedAt()
    .setExpirationTime("5m")
    .encrypt(key);
}

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

export async function collectOnWorker(
  db: TDbOrTx,
  session: { workerId: string; workerUrl: string; loginSessionId: string },
  fleetToken: string,
  request: Omit<TCollectRequestInput, "sealedCredential"> & { credential: TCollectCredential },
  timeoutMs: number,
): Promise<TCollectResult> {
  const { credential, ...rest } = request;
  const sealedCredential = await sealForWorker(db, session, credential);
  return await post(
    `${session.workerUrl}/sessions/${session.loginSessionId}/collect`,
    fleetToken,
    { ...rest, sealedCredential },
    timeoutMs,
  );
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
