// First run: shown while the database holds no company. Creates the company and its
// owner, then signs the owner in. Once a company exists the API refuses, and this page
// sends people to the sign-in page.
import { ZSetupCompany } from "@meterlink/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { signIn } from "../lib/auth";
import { errorMessage, useTRPC } from "../lib/trpc";

const FIELDS = [
  { name: "companyName", label: "Company name", type: "text", autoComplete: "organization" },
  { name: "name", label: "Your name", type: "text", autoComplete: "name" },
  { name: "email", label: "Email", type: "email", autoComplete: "username" },
  { name: "password", label: "Password", type: "password", autoComplete: "new-password" },
] as const;

export function SetupPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.setup.status.queryOptions());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const create = useMutation(trpc.setup.create.mutationOptions());
  const baseId = useId();

  if (status.data?.setUp && !create.isPending && !create.isSuccess) {
    return <Navigate to="/sign-in" replace />;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = ZSetupCompany.safeParse(
      Object.fromEntries(FIELDS.map((field) => [field.name, String(form.get(field.name) ?? "")])),
    );
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
      await create.mutateAsync(parsed.data);
    } catch (error) {
      setFailure(errorMessage(error));
      return;
    }
    const signedIn = await signIn(parsed.data.email, parsed.data.password);
    await queryClient.invalidateQueries();
    await navigate(signedIn.ok ? "/connections" : "/sign-in", { replace: true });
  }

  return (
    <main className="grid min-h-screen place-items-center bg-slate-50 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Meterlink</p>
        <h1 className="mt-1 text-2xl font-semibold">Set up Meterlink</h1>
        <p className="mt-1 text-sm text-slate-600">
          Create your company and your owner account. You can invite your team afterwards.
        </p>
        <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
          {FIELDS.map((field) => {
            const id = `${baseId}-${field.name}`;
            const error = errors[field.name];
            return (
              <div key={field.name}>
                <label htmlFor={id} className="block text-sm font-medium">
                  {field.label}
                </label>
                <input
                  id={id}
                  name={field.name}
                  type={field.type}
                  autoComplete={field.autoComplete}
                  required
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
                />
                {error ? (
                  <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
                    {error}
                  </p>
                ) : null}
              </div>
            );
          })}
          {failure ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {failure}
            </p>
          ) : null}
          <button
            type="submit"
            disabled={create.isPending}
            className="w-full rounded-md bg-brand px-4 py-2 font-medium text-brand-on disabled:opacity-60"
          >
            {create.isPending ? "Creating…" : "Create company"}
          </button>
        </form>
      </div>
    </main>
  );
}
