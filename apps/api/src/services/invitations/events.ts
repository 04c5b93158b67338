import { invitationEvent, type TDbOrTx, type TInvitationEventType } from "@meterlink/db";
import { truncateIp } from "../../lib/tokens";
import type { TClientInfo } from "../../trpc";

export type TActor =
  | { type: "admin"; id: string }
  | { type: "api"; id: string }
  | { type: "recipient"; id?: string | null }
  | { type: "system"; id?: string | null };

/** Appends to the activity log. Never put a secret in `data`. */
export async function recordEvent(
  db: TDbOrTx,
  event: {
    invitationId: string;
    type: TInvitationEventType;
    actor: TActor;
    client?: TClientInfo;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(invitationEvent).values({
    invitationId: event.invitationId,
    type: event.type,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    data: event.data ?? {},
    ip: truncateIp(event.client?.ip ?? null),
    userAgent: event.client?.userAgent?.slice(0, 300) ?? null,
  });
}
