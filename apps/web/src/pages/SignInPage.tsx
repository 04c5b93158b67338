import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { signIn } from "../lib/auth";
import { useTRPC } from "../lib/trpc";

export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const emailId = useId();
  const passwordId = useId();
  const errorId = useId();
  // A deployment without any company yet has nobody to sign in: first-run setup instead.
  const setup = useQuery(useTRPC().setup.status.queryOptions());
  if (setup.data?.setUp === false) return <Navigate to="/setup" replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn(
      String(form.get("email") ?? ""),
      String(form.get("password") ?? ""),
    );
    setPending(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    await queryClient.invalidateQueries();
    const next = params.get("next");
    // Only same-app paths: an open redirect would make a phishing link look like ours.
    await navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/connections", {
      replace: true,
    });
  }

  return (
    <main className="grid min-h-screen place-items-center bg-slate-50 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Meterlink</p>
        <h1 className="mt-1 text-2xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">
          Manage your utility connections and invitations.
        </p>
        <form
          className="mt-6 space-y-4"
          onSubmit={onSubmit}
          noValidate
          aria-describedby={error ? errorId : undefined}
        >
          <div>
            <label htmlFor={emailId} className="block text-sm font-medium">
              Email
            </label>
            <input
              id={emailId}
              name="email"
              type="email"
              autoComplete="username"
              required
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </div>
          <div>
            <label htmlFor={passwordId} className="block text-sm font-medium">
              Password
            </label>
            <input
              id={passwordId}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </div>
          {error ? (
            <p
              id={errorId}
              role="alert"
              className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
            >
              {error}
            </p>
          ) : null}
          <button
            type="submit"
            disabled={pending}
            className="w-full rounded-md bg-brand px-4 py-2 font-medium text-brand-on disabled:opacity-60"
          >
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <p className="mt-4 text-sm">
          <Link to="/forgot-password" className="text-brand underline underline-offset-2">
            Forgot your password?
          </Link>
        </p>
      </div>
    </main>
  );
}
