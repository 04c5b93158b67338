import type { TContextInner } from "../../trpc";
import { searchProviders } from "../providers/list";
import { isTestEnvironment } from "../test-mode/environment";
import { activeInvitationByToken } from "./resolve";

/** Catalog search for a recipient with a live link. */
export async function recipientProviders({
  ctx,
  input,
}: {
  ctx: TContextInner;
  input: { token: string; country?: string | null; query?: string | null };
}) {
  const found = await activeInvitationByToken(ctx, input.token);
  // A test-mode invitation never leads to a real utility.
  return await searchProviders(ctx.db, { ...input, sandboxOnly: isTestEnvironment(found.company) });
}
