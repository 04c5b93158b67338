// The form primitives the admin pages share: every input has a visible label, and an
// error is tied to its input with aria-describedby so a screen reader reads it with it.
import clsx from "clsx";
import { type ReactNode, useId } from "react";

/** A big radio card: a choice between two or three ways of doing something. */
export function Choice({
  name,
  checked,
  onChange,
  title,
  text,
}: {
  name: string;
  checked: boolean;
  onChange: () => void;
  title: string;
  text: string;
}) {
  return (
    <label
      className={clsx(
        "flex cursor-pointer gap-3 rounded-lg border p-4",
        checked ? "border-brand bg-brand/5" : "border-slate-200 hover:border-slate-300",
      )}
    >
      <input type="radio" name={name} checked={checked} onChange={onChange} className="mt-1" />
      <span>
        <span className="block font-medium">{title}</span>
        <span className="block text-sm text-slate-600">{text}</span>
      </span>
    </label>
  );
}

/** Two or three big radio cards for one choice (the wizard's "which flow", "how sent"). */
export function ChoiceGroup<TValue extends string>({
  legend,
  name,
  value,
  onChange,
  options,
}: {
  /** Read by screen readers: the cards' titles say the rest. */
  legend: string;
  name: string;
  value: TValue;
  onChange: (value: TValue) => void;
  options: readonly { value: TValue; title: string; text: string }[];
}) {
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="sr-only">{legend}</legend>
      {options.map((option) => (
        <Choice
          key={option.value}
          name={name}
          checked={value === option.value}
          onChange={() => onChange(option.value)}
          title={option.title}
          text={option.text}
        />
      ))}
    </fieldset>
  );
}

export function Radio({
  name,
  label,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: () => void;
}) {
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <input type="radio" name={name} checked={checked} onChange={onChange} />
      {label}
    </label>
  );
}

export function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** What a control needs to be tied to its label, hint and error. */
type TFieldA11y = {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

/** Label, optional hint, the control, its error: the frame every text control shares. */
function Field({
  label,
  labelHidden,
  hint,
  error,
  children,
}: {
  label: string;
  labelHidden?: boolean;
  hint?: string;
  error?: string;
  children: (a11y: TFieldA11y) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].join(" ").trim();
  return (
    <div>
      <label htmlFor={id} className={labelHidden ? "sr-only" : "block text-sm font-medium"}>
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

const TEXT_CONTROL =
  "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-500";

export function Input({
  label,
  labelHidden,
  value,
  onChange,
  error,
  ...rest
}: {
  label: string;
  /** Read by screen readers only (a search box whose place says what it is). */
  labelHidden?: boolean;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  type?: string;
  placeholder?: string;
  maxLength?: number;
  list?: string;
}) {
  return (
    <Field label={label} labelHidden={labelHidden} error={error}>
      {(a11y) => (
        <input
          {...a11y}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={TEXT_CONTROL}
          {...rest}
        />
      )}
    </Field>
  );
}

export function TextArea({
  label,
  hint,
  value,
  onChange,
  error,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(a11y) => (
        <textarea
          {...a11y}
          rows={2}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={TEXT_CONTROL}
        />
      )}
    </Field>
  );
}

export function Select<TValue extends string>({
  label,
  hint,
  value,
  options,
  onChange,
}: {
  label: string;
  hint?: string;
  value: TValue;
  options: readonly { code: TValue; label: string }[];
  onChange: (value: TValue) => void;
}) {
  return (
    <Field label={label} hint={hint}>
      {(a11y) => (
        <select
          {...a11y}
          value={value}
          onChange={(e) => {
            const chosen = options.find((option) => option.code === e.target.value);
            if (chosen) onChange(chosen.code);
          }}
          className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          {options.map((option) => (
            <option key={option.code} value={option.code} lang={option.code}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function FieldError({ id, message }: { id?: string; message?: string }): ReactNode {
  return message ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

/** The first error at or under a path prefix ("allowedEmails." → the first bad address). */
export function firstMatching(errors: Record<string, string>, prefix: string): string | undefined {
  return Object.entries(errors).find(([path]) => path.startsWith(prefix))?.[1];
}
