// Who may be a worker. The fleet token only says "this caller belongs to the fleet"; it is
// one shared secret and can be copied. A heartbeat is admitted only when
// - the address it advertises is one the operator's orchestrator lists (FLEET_WORKERS:
//   IPs, or DNS names resolved now: a headless Service / Compose service returns every
//   worker's address), so a copied token cannot route recipients to a machine of the
//   attacker's choosing;
// - it comes from that address (the heartbeat's source IP is the advertised IP);
// - the process answering at that address holds the key the heartbeat registers
//   (GET {url}/identity), checked whenever a worker id binds a new key or URL, so a
//   caller cannot register someone else's address with its own key, nor take over a live
//   worker's id; and that it is the id the heartbeat names (a key is public: a second id
//   at a real worker's address would count its capacity twice). Collection credentials are sealed to that key (collection/worker-collect).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { type TDbOrTx, worker } from "@meterlink/db";
import { type TWorkerPublicJwk, ZWorkerPublicJwk } from "@meterlink/shared/fleet";
import { eq } from "drizzle-orm";

export type TFleetAdmission = {
  /** port null: any port on that host (tests only). */
  workers: { host: string; port: number | null }[];
  checkSource: boolean;
  fleetToken: string;
  heartbeatTtlMs: number;
};

export type TAdmissionVerdict =
  | { ok: true }
  | { ok: false; status: 403 | 409; code: "FORBIDDEN" | "CONFLICT"; message: string };

const refuse = (message: string): TAdmissionVerdict => ({
  ok: false,
  status: 403,
  code: "FORBIDDEN",
  message,
});

/** `::ffff:10.1.2.3` (an IPv4 peer on a dual-stack socket) is 10.1.2.3. */
function plainIp(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

async function listedAddresses(
  entries: TFleetAdmission["workers"],
  port: number,
): Promise<Set<string>> {
  const addresses = new Set<string>();
  await Promise.all(
    entries
      .filter((entry) => entry.port === null || entry.port === port)
      .map(async (entry) => {
        if (isIP(entry.host)) return void addresses.add(plainIp(entry.host));
        // A name that does not resolve (no worker is up yet) lists nobody.
        const found = await lookup(entry.host, { all: true }).catch(() => []);
        for (const { address } of found) addresses.add(plainIp(address));
      }),
  );
  return addresses;
}

const sameKey = (a: TWorkerPublicJwk, b: unknown) => {
  const parsed = ZWorkerPublicJwk.safeParse(b);
  return parsed.success && parsed.data.x === a.x && parsed.data.y === a.y;
};

/** Who the process at `url` says it is; null when it does not answer sensibly. */
async function identityServedAt(
  url: string,
  fleetToken: string,
): Promise<{ publicKey: unknown; workerId: unknown } | null> {
  try {
    const response = await fetch(new URL("/identity", url), {
      headers: { authorization: `Bearer ${fleetToken}` },
      signal: AbortSignal.timeout(3_000),
      redirect: "error",
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { publicKey?: unknown; workerId?: unknown };
    return { publicKey: body.publicKey ?? null, workerId: body.workerId ?? null };
  } catch {
    return null;
  }
}

export async function admitWorker(
  db: TDbOrTx,
  admission: TFleetAdmission,
  beat: { workerId: string; url: string; publicKey: TWorkerPublicJwk },
  sourceAddress: string | undefined,
): Promise<TAdmissionVerdict> {
  const url = new URL(beat.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (!isIP(host)) {
    return refuse(
      `Advertise an IP address (the pod IP), not "${host}": set ADVERTISE_URL from the downward API.`,
    );
  }
  const listed = await listedAddresses(admission.workers, port);
  if (!listed.has(plainIp(host))) {
    return refuse(
      `${host}:${port} is not a worker address listed by FLEET_WORKERS; a fleet token alone does not make a worker.`,
    );
  }
  if (admission.checkSource && plainIp(sourceAddress ?? "") !== plainIp(host)) {
    return refuse(`A worker registers itself only: this heartbeat does not come from ${host}.`);
  }

  const [known] = await db.select().from(worker).where(eq(worker.id, beat.workerId));
  const knownKey: unknown = known?.publicKey ? JSON.parse(known.publicKey) : null;
  if (known && known.url === beat.url && sameKey(beat.publicKey, knownKey)) return { ok: true };
  const live = known && known.lastHeartbeatAt.getTime() > Date.now() - admission.heartbeatTtlMs;
  if (live && known.url !== beat.url) {
    return {
      ok: false,
      status: 409,
      code: "CONFLICT",
      message: `Worker id ${beat.workerId} is live at another address; give each worker its own WORKER_ID.`,
    };
  }
  const served = await identityServedAt(beat.url, admission.fleetToken);
  if (!sameKey(beat.publicKey, served?.publicKey)) {
    return refuse(`The worker at ${beat.url} does not hold the key this heartbeat registers.`);
  }
  if (served?.workerId !== beat.workerId) {
    return refuse(
      `The process at ${beat.url} is worker ${String(served?.workerId)}, not ${beat.workerId}: one address, one worker id.`,
    );
  }
  return { ok: true };
}
