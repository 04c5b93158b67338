// HTTP surface of collections (fleet token, checked by server.ts before dispatch):
//   POST /sessions/:id/collect  { sealedCredential, recipe, knownBillIds, mfaWaitMs }
//   POST /sessions/:id/code     { code }
// Each answers the collection's next answer: `mfa_required` (the session waits for a
// code), or the final `ok` / `failed`. Only sessions started with mode "headless" collect:
// a recipient's live session never types a stored credential. The credential arrives
// sealed to this worker's own key for this session (capture/seal.ts): opened here, it
// lives only in the collection's closure.
import { ZCollectCode, ZCollectRequest } from "@meterlink/shared/connection";
import type { Logger } from "pino";
import type { z } from "zod";
import { openSealedForSession, type TWorkerKey } from "../capture/seal";
import { type SessionManager, WorkerError } from "../session/manager";
import type { Session } from "../session/session";
import { Collection, DEFAULT_COLLECT_LIMITS, type TCollectLimits } from "./collector";

export const COLLECT_ROUTE = /^\/sessions\/([A-Za-z0-9_-]+)\/(collect|code)$/;

const collections = new WeakMap<Session, Collection>();

function badRequest(error: z.ZodError): WorkerError {
  // Issue paths only: the body carries a credential, messages could echo it.
  const fields = error.issues.map((issue) => issue.path.join(".")).join(", ");
  return new WorkerError(400, "BAD_REQUEST", `Invalid collect request (${fields}).`, false);
}

export async function handleCollectRoute(input: {
  manager: SessionManager;
  path: string;
  body: unknown;
  logger: Logger;
  workerKey: TWorkerKey;
  limits?: Partial<TCollectLimits>;
}): Promise<{ status: number; body: unknown }> {
  const [, id, action] = COLLECT_ROUTE.exec(input.path) ?? [];
  const session = id ? input.manager.get(id) : undefined;
  if (!session) throw new WorkerError(404, "NOT_FOUND", "No such session.", false);
  if (session.mode !== "headless") {
    throw new WorkerError(409, "CONFLICT", "Only headless sessions collect.", false);
  }
  if (action === "collect") {
    const parsed = ZCollectRequest.safeParse(input.body);
    if (!parsed.success) throw badRequest(parsed.error);
    const page = session.activePage;
    if (session.state !== "running" || !page || collections.has(session)) {
      throw new WorkerError(409, "CONFLICT", "This session cannot start a collection.", false);
    }
    const { sealedCredential, ...rest } = parsed.data;
    const credential = await openSealedForSession(input.workerKey, sealedCredential, session.id);
    if (!credential) {
      throw new WorkerError(
        400,
        "BAD_REQUEST",
        "The credential is not sealed to this worker for this session (or it expired): seal it to the key this worker registered.",
        false,
      );
    }
    const collection = new Collection(
      {
        page,
        loginUrl: session.provider.loginUrl,
        allowedHostnames: session.provider.allowedHostnames,
        log: input.logger.child({ sessionId: session.id, providerId: session.provider.id }),
      },
      { ...DEFAULT_COLLECT_LIMITS, ...input.limits },
      () => session.end("completed"),
    );
    collections.set(session, collection);
    const answer = collection.nextAnswer();
    collection.start({ ...rest, credential });
    return { status: 200, body: await answer };
  }
  const parsed = ZCollectCode.safeParse(input.body);
  if (!parsed.success) throw badRequest(parsed.error);
  const collection = collections.get(session);
  if (!collection?.waitingForCode) {
    throw new WorkerError(409, "CONFLICT", "This session is not waiting for a code.", false);
  }
  const answer = collection.nextAnswer();
  collection.provideCode(parsed.data.code);
  return { status: 200, body: await answer };
}
