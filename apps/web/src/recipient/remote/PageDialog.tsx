// A page's alert, confirm or prompt, shown by us (the remote page cannot draw over our
// UI) and answered back to it. It names the site that asks.
import * as RadixDialog from "@radix-ui/react-dialog";
import { useTranslation } from "react-i18next";
import type { TDialog } from "./useRemoteSession";

export function PageDialog({
  dialog,
  origin,
  promptText,
  setPromptText,
  onAnswer,
}: {
  dialog: TDialog | null;
  origin: string;
  promptText: string;
  setPromptText: (value: string) => void;
  onAnswer: (accept: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <RadixDialog.Root open={dialog !== null} onOpenChange={(open) => !open && onAnswer(false)}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixDialog.Content
          className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl"
          aria-describedby={undefined}
        >
          <RadixDialog.Title className="text-sm font-medium text-slate-600">
            {t("signIn.dialogFrom")} ({origin})
          </RadixDialog.Title>
          <p className="mt-2 whitespace-pre-wrap text-slate-900">{dialog?.message}</p>
          {dialog?.dialogType === "prompt" ? (
            <input
              className="mt-3 w-full rounded-md border border-slate-300 px-3 py-2"
              value={promptText}
              aria-label={dialog.message || t("signIn.dialogFrom")}
              onChange={(event) => setPromptText(event.target.value)}
            />
          ) : null}
          <div className="mt-5 flex justify-end gap-2">
            {dialog && dialog.dialogType !== "alert" ? (
              <button
                type="button"
                className="rounded-md border border-slate-300 px-4 py-2"
                onClick={() => onAnswer(false)}
              >
                {t("signIn.dialogCancel")}
              </button>
            ) : null}
            <button
              type="button"
              className="rounded-md bg-brand px-4 py-2 font-medium text-[var(--brand-on,#fff)]"
              onClick={() => onAnswer(true)}
            >
              {t("signIn.dialogOk")}
            </button>
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
