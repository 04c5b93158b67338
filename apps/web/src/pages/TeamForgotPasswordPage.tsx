// "Forgot password": asks for an email and always answers the same, so the page does not
// reveal who has an account. The emailed link opens the set-password page.
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { requestPasswordReset } from "../lib/team";

export function TeamForgotPasswordPage() {
  const emailId = useId();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    if (!/^\S+@\S+\.\S+$/.test(email)) {
      setError("Enter the email address you sign in with, like you@company.com.");
      return;
    }
    setPending(true);
    setError(null);
    const result = await requestPasswordReset(email);
    setPending(false);
    if (result.ok) setSent(true);
    else setError(result.message);
  }

  return (
    <main className="grid min-h-screen place-items-center bg-slate-50 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Meterlink</p>
        <h1 className="mt-1 text-2xl font-semibold">Reset your password</h1>
        {sent ? (
          <p role="status" className="mt-4 text-sm text-slate-700">
            If an account uses this address, we sent it a link to choose a new password. It works
            once, for one hour.
          </p>
        ) : (
          <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
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
            {error ? (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
                {error}
              </p>
            ) : null}
            <button
              type="submit"
              disabled={pending}
              className="w-full rounded-md bg-brand px-4 py-2 font-medium text-brand-on disabled:opacity-60"
            >
              {pending ? "Sending…" : "Email me a link"}
            </button>
          </form>
        )}
        <p className="mt-4 text-sm">
          <Link to="/sign-in" className="text-brand underline underline-offset-2">
            Back to sign-in
          </Link>
        </p>
      </div>
    </main>
  );
}
