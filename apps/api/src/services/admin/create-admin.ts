import { randomUUID } from "node:crypto";
import { account, membership, type TDbOrTx, type TMembershipRole, user } from "@meterlink/db";
import { hashPassword } from "better-auth/crypto";

/**
 * Creates an admin with an email+password credential, in better-auth's own format, and
 * makes them a member of a company. Used by the seed and by tests; sign-up is closed.
 */
export async function createAdmin(
  db: TDbOrTx,
  input: {
    companyId: string;
    email: string;
    name: string;
    password: string;
    role?: TMembershipRole;
  },
) {
  const id = randomUUID();
  const email = input.email.toLowerCase();
  await db.insert(user).values({ id, email, name: input.name, emailVerified: true });
  await db.insert(account).values({
    id: randomUUID(),
    accountId: id,
    providerId: "credential",
    userId: id,
    password: await hashPassword(input.password),
  });
  await db
    .insert(membership)
    .values({ userId: id, companyId: input.companyId, role: input.role ?? "owner" });
  return { id, email, name: input.name };
}
