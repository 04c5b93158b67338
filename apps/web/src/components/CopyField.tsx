import { useEffect, useId, useState } from "react";
import { copyText } from "../lib/format";
import { buttonClass } from "./Dialog";
import { useToast } from "./Toast";

/**
 * A value to copy (a new API key, a signing secret, a forwarding address): a read-only
 * labelled field a person can also select by hand, and a Copy button. The button says
 * "Copied" itself as well as toasting: inside a modal dialog, the toast region is hidden
 * from assistive technology (the dialog hides everything outside it).
 */
export function CopyField({
  label,
  value,
  hint,
  copiedTitle,
  secret,
}: {
  label: string;
  value: string;
  hint?: string;
  copiedTitle?: string;
  /** Keeps the value out of the toast: a secret should appear in one place only. */
  secret?: boolean;
}) {
  const id = useId();
  const toast = useToast();
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(false), 2500);
    return () => clearTimeout(timer);
  }, [done]);
  async function onCopy() {
    const copied = await copyText(value);
    setDone(copied);
    toast(
      copied
        ? {
            title: copiedTitle ?? `${label} copied`,
            ...(secret ? {} : { description: value }),
            tone: "success",
          }
        : { title: "Copy did not work", description: "Select the text and copy it.", tone: "info" },
    );
  }
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
        />
        <button
          type="button"
          className={buttonClass("secondary")}
          aria-label={`Copy ${sentenceCase(label)}`}
          onClick={() => void onCopy()}
        >
          {done ? "Copied" : "Copy"}
        </button>
      </div>
      <span role="status" className="sr-only">
        {done ? `${label} copied to the clipboard` : ""}
      </span>
    </div>
  );
}

/** "Forwarding address" → "forwarding address", but "API key" stays "API key". */
function sentenceCase(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
