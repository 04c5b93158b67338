import {
  connection,
  emailMessage,
  invitationConnection,
  invitationEvent,
  user,
} from "@meterlink/db";
import { and, asc, desc, eq } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { findCompanyInvitation } from "./find";
import { invitationUrlFromCiphertext } from "./links";
import { invitationView } from "./view";

/** Configuration, activity log, emails and linked connections of one invitation. */
export async function getInvitation({
  ctx,
  input,
}: {
  ctx: TCompanyContext;
  input: { id: string };
}) {
  const row = await findCompanyInvitation(ctx, input.id);
  const [events, connections, emails] = await Promise.all([
    ctx.db
      .select({ event: invitationEvent, actorName: user.name })
      .from(invitationEvent)
      // The activity log names the admin who acted ("by Dana Admin").
      .leftJoin(
        user,
        and(eq(invitationEvent.actorType, "admin"), eq(user.id, invitationEvent.actorId)),
      )
      .where(eq(invitationEvent.invitationId, row.id))
      .orderBy(asc(invitationEvent.id)),
    ctx.db
      .select({
        id: connection.id,
        providerName: connection.providerName,
        status: connection.status,
        statusReason: connection.statusReason,
        action: invitationConnection.action,
        linkedAt: invitationConnection.createdAt,
      })
      .from(invitationConnection)
      .innerJoin(connection, eq(connection.id, invitationConnection.connectionId))
      .where(eq(invitationConnection.invitationId, row.id))
      .orderBy(asc(invitationConnection.createdAt)),
    ctx.db
      .select({
        id: emailMessage.id,
        to: emailMessage.to,
        kind: emailMessage.kind,
        status: emailMessage.status,
        failureReason: emailMessage.failureReason,
        createdAt: emailMessage.createdAt,
        sentAt: emailMessage.sentAt,
      })
      .from(emailMessage)
      .where(eq(emailMessage.invitationId, row.id))
      .orderBy(desc(emailMessage.createdAt)),
  ]);
  return {
    ...invitationView(row),
    url: invitationUrlFromCiphertext(
      ctx.config.publicUrl,
      row.tokenCiphertext,
      ctx.config.tokenKey,
    ),
    events: events.map(({ event, actorName }) => ({
      id: event.id,
      actorName,
      type: event.type,
      actorType: event.actorType,
      actorId: event.actorId,
      data: event.data,
      ip: event.ip,
      userAgent: event.userAgent,
      createdAt: event.createdAt.toISOString(),
    })),
    connections: connections.map((linked) => ({
      ...linked,
      linkedAt: linked.linkedAt.toISOString(),
    })),
    emails: emails.map((email) => ({
      ...email,
      createdAt: email.createdAt.toISOString(),
      sentAt: email.sentAt?.toISOString() ?? null,
    })),
  };
}
