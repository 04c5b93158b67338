// The one-time link printed by `npm run cli -- setup` (and used by password resets):
// better-auth's reset-password endpoint consumes the token and sets the password.
import { type FormEvent, useId, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";

export function SetPasswordPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get("token") ?? "";
  const [error, setError] = useState<string | null>(
    token ? null : "This link is incomplete. Open the whole link you were given.",
  );
  const [pending, setPending] = useState(false);
  const passwordId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const newPassword = String(new FormData(event.currentTarget).get("password") ?? "");
    if (newPassword.length < 8) {
      setError("Choose a password of at least 8 characters.");
      return;
    }
    setPending(true);
    setError(null);
    const response = await fetch("/api/auth/reset-password", {
      method: "POST",
      credentials: "include",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, newPassword }),
    }).catch(() => null);
    setPending(false);
    if (response?.ok) {
      await navigate("/sign-in?passwordSet=1", { replace: true });
      return;
    }
    setError(
      response && response.status < 500
        ? "This link has expired or was already used. Ask an owner for a new one."
        : "We could not reach Meterlink. Check your connection and try again.",
    );
  }

  return (
    <main className="grid min-h-screen place-items-center bg-slate-50 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Meterlink</p>
        <h1 className="mt-1 text-2xl font-semibold">Choose your password</h1>
        <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
          <div>
            <label htmlFor={passwordId} className="block text-sm font-medium">
              New password
            </label>
            <input
              id={passwordId}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </div>
          {error ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          ) : null}
          <button
            type="submit"
            disabled={pending || !token}
            className="w-full rounded-md bg-brand px-4 py-2 font-medium text-brand-on disabled:opacity-60"
          >
            {pending ? "Saving…" : "Set password"}
          </button>
        </form>
      </div>
    </main>
  );
}
