// Toasts for the result of an action ("Link copied", "Invitation revoked"). Radix puts
// them in a labelled live region, so screen readers announce them without stealing focus.
import * as RadixToast from "@radix-ui/react-toast";
import clsx from "clsx";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

export type TToastTone = "success" | "error" | "info";
export type TToastInput = { title: string; description?: string; tone?: TToastTone };
type TToastItem = TToastInput & { id: number; open: boolean };

const ToastContext = createContext<((toast: TToastInput) => void) | null>(null);

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<TToastItem[]>([]);
  const push = useCallback((toast: TToastInput) => {
    const id = nextId++;
    // Keep the last few: a burst of actions should not bury the page.
    setToasts((current) => [...current.slice(-3), { ...toast, id, open: true }]);
  }, []);
  const close = useCallback((id: number) => {
    setToasts((current) => current.map((t) => (t.id === id ? { ...t, open: false } : t)));
    setTimeout(() => setToasts((current) => current.filter((t) => t.id !== id)), 300);
  }, []);
  const value = useMemo(() => push, [push]);
  return (
    <ToastContext.Provider value={value}>
      <RadixToast.Provider swipeDirection="right" duration={5000} label="Notifications">
        {children}
        {toasts.map((toast) => (
          <RadixToast.Root
            key={toast.id}
            open={toast.open}
            onOpenChange={(open) => (open ? undefined : close(toast.id))}
            type={toast.tone === "error" ? "foreground" : "background"}
            className={clsx(
              "pointer-events-auto flex items-start gap-3 rounded-lg border bg-white p-4 shadow-lg",
              "data-[state=closed]:opacity-0 data-[swipe=end]:translate-x-full",
              toast.tone === "error"
                ? "border-red-300"
                : toast.tone === "success"
                  ? "border-emerald-300"
                  : "border-slate-200",
            )}
          >
            <span
              aria-hidden="true"
              className={clsx(
                "mt-1.5 h-2 w-2 shrink-0 rounded-full",
                toast.tone === "error"
                  ? "bg-red-500"
                  : toast.tone === "success"
                    ? "bg-emerald-500"
                    : "bg-slate-400",
              )}
            />
            <div className="min-w-0 flex-1">
              <RadixToast.Title className="font-medium">{toast.title}</RadixToast.Title>
              {toast.description ? (
                <RadixToast.Description className="mt-0.5 break-words text-sm text-slate-600">
                  {toast.description}
                </RadixToast.Description>
              ) : null}
            </div>
            <RadixToast.Close
              aria-label="Dismiss notification"
              className="rounded px-1 text-slate-500 hover:text-slate-900"
            >
              ×
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        {/* The viewport's empty area lets clicks through; only the toasts themselves catch them. */}
        <RadixToast.Viewport className="pointer-events-none fixed right-0 bottom-0 z-[60] m-0 flex w-full max-w-sm list-none flex-col gap-2 p-4 outline-none" />
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): (toast: TToastInput) => void {
  const push = useContext(ToastContext);
  if (!push) throw new Error("useToast needs a <ToastProvider> above it");
  return push;
}
