import type { TCompanyContext } from "../../trpc";
import { findCompanyInvitation } from "./find";
import { invitationUrlFromCiphertext } from "./links";

/** The link works at any time (a revoked one opens the "revoked" page). */
export async function copyInvitationLink({
  ctx,
  input,
}: {
  ctx: TCompanyContext;
  input: { id: string };
}) {
  const row = await findCompanyInvitation(ctx, input.id);
  return {
    url: invitationUrlFromCiphertext(
      ctx.config.publicUrl,
      row.tokenCiphertext,
      ctx.config.tokenKey,
    ),
  };
}
