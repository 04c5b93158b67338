// Small building blocks of the recipient pages: brand-coloured buttons whose text keeps
// its contrast (`--brand-on`), labelled fields with their error wired to aria, and a
// step heading that takes focus so screen readers announce each new step.
import clsx from "clsx";
import {
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  useEffect,
  useId,
  useRef,
} from "react";

export function StepHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1
      ref={ref}
      tabIndex={-1}
      className="text-xl font-semibold text-slate-900 outline-none sm:text-2xl"
    >
      {children}
    </h1>
  );
}

export function Button({
  variant = "primary",
  busy,
  className,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "link";
  busy?: boolean;
}) {
  return (
    <button
      type="button"
      {...props}
      aria-busy={busy || undefined}
      className={clsx(
        "inline-flex items-center justify-center gap-2 rounded-md font-medium disabled:cursor-not-allowed disabled:opacity-60",
        variant === "primary" &&
          "min-h-11 bg-brand px-5 py-2.5 text-[var(--brand-on,#fff)] shadow-sm hover:brightness-110",
        variant === "secondary" &&
          "min-h-11 border border-slate-300 bg-white px-5 py-2.5 text-slate-900 hover:bg-slate-50",
        variant === "link" &&
          "p-0 text-left text-slate-800 underline underline-offset-2 hover:text-slate-950",
        className,
      )}
    >
      {busy ? (
        <span
          className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent"
          aria-hidden="true"
        />
      ) : null}
      {children}
    </button>
  );
}

export function Field({
  label,
  hint,
  error,
  className,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  hint?: string;
  error?: string | null;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={clsx("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-medium text-slate-900">
        {label}
      </label>
      <input
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className={clsx(
          "min-h-11 rounded-md border bg-white px-3 py-2 text-base text-slate-900",
          error ? "border-red-600" : "border-slate-400",
        )}
      />
      {hint ? (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Alert({
  children,
  tone = "error",
}: {
  children: ReactNode;
  tone?: "error" | "info";
}) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={clsx(
        "rounded-md border px-4 py-3 text-sm",
        tone === "error"
          ? "border-red-200 bg-red-50 text-red-800"
          : "border-sky-200 bg-sky-50 text-sky-900",
      )}
    >
      {children}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <div role="status" className="flex items-center gap-2 text-slate-700">
      <span
        className="size-4 animate-spin rounded-full border-2 border-brand border-t-transparent"
        aria-hidden="true"
      />
      {label}
    </div>
  );
}

/**
 * A step's buttons. On a phone the bar sticks to the bottom of the screen, so the
 * primary button is visible without scrolling past the explanations above it.
 */
export function ActionBar({ children }: { children: ReactNode }) {
  return (
    <div
      className="sticky bottom-0 z-10 -mx-5 flex flex-wrap items-center gap-4 border-t border-slate-200 bg-white px-5 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] sm:static sm:mx-0 sm:border-0 sm:bg-transparent sm:p-0"
      data-testid="action-bar"
    >
      {children}
    </div>
  );
}
