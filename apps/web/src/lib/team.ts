// Changes to the team go to better-auth's organization endpoints (same origin, the admin
// cookie); the team is read through tRPC (`admin.team.list`). The plugin's refusals are
// worded for "organizations": they are said again here in the product's words.
import type { TTeamRole } from "@meterlink/shared";

export type TTeamResult = { ok: true } | { ok: false; message: string };

const FRIENDLY: [RegExp, string][] = [
  [
    /only owner|without an owner/i,
    "Your company needs at least one owner: make someone else an owner first.",
  ],
  [/not allowed/i, "Only an owner of your company can change the team."],
  [/already a member/i, "This person is already a member of your company."],
  [/already invited/i, "This person is already invited: resend their invitation instead."],
  [/invalid email/i, "Enter an email address like someone@company.com."],
];

async function call(path: string, body: Record<string, unknown>): Promise<TTeamResult> {
  let response: Response;
  try {
    response = await fetch(`/api/auth/organization/${path}`, {
      method: "POST",
      credentials: "include",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return {
      ok: false,
      message: "We could not reach Meterlink. Check your connection and try again.",
    };
  }
  if (response.ok) return { ok: true };
  const answer = (await response.json().catch(() => null)) as { message?: string } | null;
  const said = answer?.message ?? "";
  const friendly = FRIENDLY.find(([pattern]) => pattern.test(said))?.[1];
  return { ok: false, message: friendly ?? (said || "That did not work. Please try again.") };
}

export const team = {
  invite: (organizationId: string, email: string, role: TTeamRole, resend = false) =>
    call("invite-member", { organizationId, email, role, resend }),
  cancelInvitation: (invitationId: string) => call("cancel-invitation", { invitationId }),
  changeRole: (organizationId: string, memberId: string, role: TTeamRole) =>
    call("update-member-role", { organizationId, memberId, role }),
  remove: (organizationId: string, memberIdOrEmail: string) =>
    call("remove-member", { organizationId, memberIdOrEmail }),
  leave: (organizationId: string) => call("leave", { organizationId }),
};

export async function requestPasswordReset(email: string): Promise<TTeamResult> {
  const response = await fetch("/api/auth/request-password-reset", {
    method: "POST",
    credentials: "include",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, redirectTo: "/set-password" }),
  }).catch(() => null);
  if (response?.ok) return { ok: true };
  if (response?.status === 429) {
    return { ok: false, message: "Too many requests. Wait a minute, then try again." };
  }
  return { ok: false, message: "We could not send the email right now. Please try again shortly." };
}
