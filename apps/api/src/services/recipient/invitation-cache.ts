// Token → invitation (with its company) for a few seconds per API process. Every recipient
// call starts with this lookup and a public link is opened by every recipient and every
// link scanner, so it is the busiest read there is (issue 21).
// - The status is never cached: it is computed from the row on every use (expiry is a
//   time), and the changes that alter the row's status — a revocation, a completion's
//   `uses` — drop the entry here at once and, through PostgreSQL NOTIFY sent in their
//   transaction, in every other replica as they commit (`forgetInvitation`).
// - A lookup that raced a drop is not stored (generation check), so a revoked row read
//   just before the revocation committed cannot come back from the cache.
// - The TTL bounds everything else (branding edits, a lost notification) to a few seconds.
// - Unknown tokens are not cached: a scanner's random tokens must not fill memory.
import type { company, invitation, TDb, TDbOrTx } from "@meterlink/db";
import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";

/** The NOTIFY channel; its payload is an invitation id. */
export const INVITATION_CHANGED_CHANNEL = "meterlink_invitation_changed";

export type TInvitationRow = {
  invitation: typeof invitation.$inferSelect;
  company: typeof company.$inferSelect;
};

export class InvitationCache {
  #rows: LRUCache<string, TInvitationRow>;
  /** tokenHash of the cached row of each invitation id, to drop by id. */
  #hashOf = new Map<string, string>();
  #generation = 0;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.#rows = new LRUCache<string, TInvitationRow>({
      max: options.max ?? 10_000,
      ttl: options.ttlMs ?? 5_000,
      dispose: (row) => {
        this.#hashOf.delete(row.invitation.id);
      },
    });
  }

  /** The cached row of `tokenHash`, else `load()`'s (stored unless a drop raced it). */
  async get(
    tokenHash: string,
    load: () => Promise<TInvitationRow | undefined>,
  ): Promise<TInvitationRow | undefined> {
    const hit = this.#rows.get(tokenHash);
    if (hit) return hit;
    const generation = this.#generation;
    const row = await load();
    if (row && generation === this.#generation) {
      this.#rows.set(tokenHash, row);
      this.#hashOf.set(row.invitation.id, tokenHash);
    }
    return row;
  }

  /** Drops the invitation's row in this process. */
  forget(invitationId: string): void {
    this.#generation++;
    const hash = this.#hashOf.get(invitationId);
    if (hash) this.#rows.delete(hash);
  }

  /** Drops rows that other replicas announce as changed. */
  async listen(db: TDb): Promise<void> {
    const { unlisten } = await db.$client.listen(INVITATION_CHANGED_CHANNEL, (id) =>
      this.forget(id),
    );
    this.#unlisten = unlisten;
  }

  async close(): Promise<void> {
    await this.#unlisten?.().catch(() => undefined);
    this.#unlisten = null;
    this.#rows.clear();
  }
}

/**
 * Call inside the transaction that changes an invitation's status: every replica's cache
 * drops it when the transaction commits (NOTIFY is delivered at commit, never on rollback).
 */
export async function announceInvitationChanged(tx: TDbOrTx, invitationId: string) {
  await tx.execute(sql`select pg_notify(${INVITATION_CHANGED_CHANNEL}, ${invitationId})`);
}

/** After that transaction committed: this process drops it at once (no NOTIFY round trip). */
export function forgetInvitation(
  ctx: { config?: { invitationCache?: InvitationCache | undefined } },
  invitationId: string,
): void {
  ctx.config?.invitationCache?.forget(invitationId);
}
