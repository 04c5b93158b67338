// Settings › Team: who can sign in for the company and as what. Owners invite by email,
// change roles and remove members; everyone sees the team and its recent changes.
import { TEAM_ROLES, type TTeamRole } from "@meterlink/shared/team";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { DataTable } from "../components/DataTable";
import { buttonClass, ConfirmDialog } from "../components/Dialog";
import { Input, Select } from "../components/Form";
import { PageHeader } from "../components/PageHeader";
import { Skeleton } from "../components/Skeleton";
import { useToast } from "../components/Toast";
import { signOut } from "../lib/auth";
import { formatDate, formatDateTime } from "../lib/format";
import { type TTeamResult, team } from "../lib/team";
import { errorMessage, type TRouterOutputs, useTRPC } from "../lib/trpc";

type TTeam = TRouterOutputs["admin"]["team"]["list"];
type TMember = TTeam["members"][number];

const ROLE_OPTIONS = TEAM_ROLES.map((code) => ({ code, label: roleLabel(code) }));

function roleLabel(role: string): string {
  if (role === "owner") return "Owner";
  if (role === "admin") return "Admin";
  return "Viewer";
}

const EVENT_WORDS: Record<string, string> = {
  invited: "was invited",
  invitation_canceled: "invitation was canceled",
  joined: "joined",
  role_changed: "role changed",
  removed: "was removed",
  left: "left",
};

export function TeamPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const me = useQuery(trpc.admin.me.queryOptions());
  const list = useQuery(trpc.admin.team.list.queryOptions());
  const [toRemove, setToRemove] = useState<TMember | null>(null);
  const [leaving, setLeaving] = useState(false);

  const isOwner = me.data?.user.role === "owner";

  async function run(action: Promise<TTeamResult>, success: string): Promise<boolean> {
    const result = await action;
    if (!result.ok) {
      toast({ title: "Not changed", description: result.message, tone: "error" });
      return false;
    }
    toast({ title: success, tone: "success" });
    await queryClient.invalidateQueries({ queryKey: trpc.admin.team.list.queryKey() });
    return true;
  }

  if (list.isPending || me.isPending) return <Skeleton label="Loading the team" />;
  if (list.error) {
    return (
      <p role="alert" className="text-red-700">
        {errorMessage(list.error)}
      </p>
    );
  }
  const data = list.data;

  return (
    <>
      <PageHeader
        title="Team"
        description="Owners manage the team; admins run invitations, connections and settings; viewers see everything and change nothing."
        actions={
          <button
            type="button"
            className={buttonClass("secondary")}
            onClick={() => setLeaving(true)}
          >
            Leave the company
          </button>
        }
      />
      {isOwner ? <InviteForm companyId={data.companyId} run={run} /> : null}

      <section aria-labelledby="members-heading" className="mt-6">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members
        </h2>
        <DataTable
          caption="Members"
          minWidth="min-w-[36rem]"
          columns={["Name", "Email", "Role", { label: "Actions", srOnly: true }]}
          className="mt-2"
        >
          {data.members.map((member) => (
            <tr key={member.memberId} className="border-b border-slate-100 last:border-0">
              <td className="px-4 py-2">
                {member.name}
                {member.userId === data.me ? <span className="text-slate-500"> (you)</span> : null}
              </td>
              <td className="px-4 py-2">{member.email}</td>
              <td className="px-4 py-2">
                {isOwner && member.userId !== data.me ? (
                  <label>
                    <span className="sr-only">Role of {member.email}</span>
                    <select
                      value={member.role}
                      className="rounded-md border border-slate-300 bg-white px-2 py-1"
                      onChange={(event) =>
                        void run(
                          team.changeRole(
                            data.companyId,
                            member.memberId,
                            event.target.value as TTeamRole,
                          ),
                          `${member.email} is now ${roleLabel(event.target.value).toLowerCase()}`,
                        )
                      }
                    >
                      {ROLE_OPTIONS.map((option) => (
                        <option key={option.code} value={option.code}>
                          {option.label}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : (
                  roleLabel(member.role)
                )}
              </td>
              <td className="px-4 py-2 text-right">
                {isOwner && member.userId !== data.me ? (
                  <button
                    type="button"
                    className={buttonClass("ghost")}
                    onClick={() => setToRemove(member)}
                  >
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      {data.invitations.length ? (
        <section aria-labelledby="invited-heading" className="mt-6">
          <h2 id="invited-heading" className="text-lg font-semibold">
            Invited
          </h2>
          <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {data.invitations.map((invitation) => (
              <li
                key={invitation.id}
                className="flex flex-wrap items-center gap-3 px-4 py-2 text-sm"
              >
                <span className="flex-1">
                  {invitation.email} · {roleLabel(invitation.role)} · until{" "}
                  {formatDate(invitation.expiresAt)}
                </span>
                {isOwner ? (
                  <>
                    <button
                      type="button"
                      className={buttonClass("ghost")}
                      onClick={() =>
                        void run(
                          team.invite(
                            data.companyId,
                            invitation.email,
                            invitation.role as TTeamRole,
                            true,
                          ),
                          `Invitation sent again to ${invitation.email}`,
                        )
                      }
                    >
                      Resend
                    </button>
                    <button
                      type="button"
                      className={buttonClass("ghost")}
                      onClick={() =>
                        void run(
                          team.cancelInvitation(invitation.id),
                          `Invitation to ${invitation.email} canceled`,
                        )
                      }
                    >
                      Cancel
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="activity-heading" className="mt-6">
        <h2 id="activity-heading" className="text-lg font-semibold">
          Recent changes
        </h2>
        {data.events.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No changes to the team yet.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm">
            {data.events.map((event) => (
              <li key={event.id}>
                <time className="text-slate-500">{formatDateTime(event.at)}</time> ·{" "}
                {event.subjectEmail} {EVENT_WORDS[event.type] ?? event.type}
                {event.data.role ? ` (${roleLabel(event.data.role).toLowerCase()})` : ""}
                {event.actorName && event.type !== "joined" ? ` by ${event.actorName}` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>

      <ConfirmDialog
        open={toRemove !== null}
        onOpenChange={(open) => (open ? null : setToRemove(null))}
        title={`Remove ${toRemove?.name ?? ""}?`}
        description={`${toRemove?.email ?? ""} will no longer be able to sign in for your company. Their past actions stay in the activity logs.`}
        confirmLabel="Remove"
        onConfirm={async () => {
          if (!toRemove) return;
          if (await run(team.remove(data.companyId, toRemove.email), `${toRemove.email} removed`)) {
            setToRemove(null);
          }
        }}
      />
      <ConfirmDialog
        open={leaving}
        onOpenChange={setLeaving}
        title="Leave the company?"
        description="You will no longer be able to sign in for it. An owner can invite you again."
        confirmLabel="Leave"
        onConfirm={async () => {
          const result = await team.leave(data.companyId);
          if (!result.ok) {
            toast({ title: "You are still a member", description: result.message, tone: "error" });
            setLeaving(false);
            return;
          }
          await signOut();
          queryClient.clear();
          await navigate("/sign-in", { replace: true });
        }}
      />
    </>
  );
}

function InviteForm({
  companyId,
  run,
}: {
  companyId: string;
  run: (action: Promise<TTeamResult>, success: string) => Promise<boolean>;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TTeamRole>("admin");
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const sent = await run(
      team.invite(companyId, email.trim(), role),
      `Invitation sent to ${email.trim()}`,
    );
    setPending(false);
    if (sent) setEmail("");
  }

  return (
    <form
      onSubmit={onSubmit}
      aria-label="Invite a team member"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="min-w-[16rem] flex-1">
        <Input
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          placeholder="colleague@company.com"
        />
      </div>
      <Select label="Role" value={role} options={ROLE_OPTIONS} onChange={setRole} />
      <button type="submit" className={buttonClass("primary")} disabled={pending || !email.trim()}>
        {pending ? "Sending…" : "Send invitation"}
      </button>
    </form>
  );
}
