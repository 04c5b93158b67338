import type { TContextInner } from "../../trpc";
import { searchProviders } from "../providers/list";
import { activeInvitationByToken } from "./resolve";

/** Catalog search for a recipient with a live link. */
export async function recipientProviders({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; country?: string | null; query?: string | null };
}) {
  await activeInvitationByToken(ctx, input.token);
  return await searchProviders(ctx.db, input);
}
