// The page behind an emailed team invitation (`/join?token=…`): the invited person sees
// which company invites them and as what, picks a name and a password, and is signed in.
import { ZAcceptTeamInvitation } from "@meterlink/shared/team";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { signIn } from "../lib/auth";
import { errorMessage, useTRPC } from "../lib/trpc";

const ROLE_WORDS: Record<string, string> = {
  owner: "an owner",
  admin: "an admin",
  viewer: "a viewer",
};

export function TeamJoinPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const invitation = useQuery({
    ...trpc.team.invitation.queryOptions({ token }),
    enabled: token.length > 0,
    retry: false,
  });
  const accept = useMutation(trpc.team.accept.mutationOptions());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const nameId = useId();
  const passwordId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!invitation.data) return;
    const form = new FormData(event.currentTarget);
    const parsed = ZAcceptTeamInvitation.safeParse({
      token,
      name: String(form.get("name") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    setFailure(null);
    if (!parsed.success) {
      setErrors(
        Object.fromEntries(
          parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]),
        ),
      );
      return;
    }
    setErrors({});
    try {
      await accept.mutateAsync(parsed.data);
    } catch (error) {
      setFailure(errorMessage(error));
      return;
    }
    const signedIn = await signIn(invitation.data.email, parsed.data.password);
    await queryClient.invalidateQueries();
    await navigate(signedIn.ok ? "/connections" : "/sign-in", { replace: true });
  }

  let body: ReactNode;
  if (!token) {
    body = <p role="alert">This link is incomplete. Open the whole link from the email.</p>;
  } else if (invitation.isPending) {
    body = <p className="text-slate-600">Checking your invitation…</p>;
  } else if (invitation.error) {
    body = (
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
        {errorMessage(invitation.error)}
      </p>
    );
  } else {
    const { companyName, email, role } = invitation.data;
    body = (
      <>
        <p className="mt-1 text-sm text-slate-600">
          {companyName} invites <strong>{email}</strong> to join as {ROLE_WORDS[role] ?? role}.
        </p>
        <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
          <div>
            <label htmlFor={nameId} className="block text-sm font-medium">
              Your name
            </label>
            <input
              id={nameId}
              name="name"
              autoComplete="name"
              required
              aria-invalid={errors.name ? true : undefined}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
            />
            {errors.name ? <p className="mt-1 text-sm text-red-700">{errors.name}</p> : null}
          </div>
          <div>
            <label htmlFor={passwordId} className="block text-sm font-medium">
              Choose a password
            </label>
            <input
              id={passwordId}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              aria-invalid={errors.password ? true : undefined}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
            />
            {errors.password ? (
              <p className="mt-1 text-sm text-red-700">{errors.password}</p>
            ) : null}
          </div>
          {failure ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {failure}
            </p>
          ) : null}
          <button
            type="submit"
            disabled={accept.isPending}
            className="w-full rounded-md bg-brand px-4 py-2 font-medium text-brand-on disabled:opacity-60"
          >
            {accept.isPending ? "Joining…" : `Join ${companyName}`}
          </button>
        </form>
      </>
    );
  }

  return (
    <main className="grid min-h-screen place-items-center bg-slate-50 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Meterlink</p>
        <h1 className="mt-1 text-2xl font-semibold">Join your team</h1>
        {body}
      </div>
    </main>
  );
}
