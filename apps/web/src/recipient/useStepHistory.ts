// Each step of the flow is a browser history entry, so the phone's Back button (or a
// swipe) goes to the previous step instead of leaving the page and dropping a live
// sign-in. The flow decides where Back may go: nowhere before a gate already passed,
// nowhere after the confirmation (a completed link stays completed).
import { useEffect, useRef } from "react";
import type { TPhase } from "./types";

const PHASES: ReadonlySet<string> = new Set<TPhase>([
  "consent",
  "verify",
  "provider",
  "sign-in",
  "mfa",
  "sites",
  "done",
]);
const KEY = "meterlinkStep";

function stepOf(state: unknown): TPhase | null {
  if (typeof state !== "object" || state === null) return null;
  const step = (state as Record<string, unknown>)[KEY];
  return typeof step === "string" && PHASES.has(step) ? (step as TPhase) : null;
}

// The router keeps its own fields in history.state: ours ride along beside them.
const withStep = (step: TPhase) => ({ ...(window.history.state ?? {}), [KEY]: step });

/**
 * `resolve(target)`: the phase Back/Forward to `target` leads to, or null to stay put.
 */
export function useStepHistory(
  phase: TPhase | null,
  setPhase: (phase: TPhase) => void,
  resolve: (target: TPhase) => TPhase | null,
) {
  const shown = useRef<TPhase | null>(null);
  const current = useRef({ phase, setPhase, resolve });
  current.current = { phase, setPhase, resolve };

  useEffect(() => {
    if (!phase || shown.current === phase) return;
    if (shown.current === null) window.history.replaceState(withStep(phase), "");
    else window.history.pushState(withStep(phase), "");
    shown.current = phase;
  }, [phase]);

  useEffect(() => {
    const onPop = (event: PopStateEvent) => {
      const target = stepOf(event.state);
      const { phase: now, setPhase: set, resolve: decide } = current.current;
      if (!target || !now) return;
      const next = decide(target);
      if (next === null) {
        // Stay: put the step we are on back on top of the history.
        window.history.pushState(withStep(now), "");
        return;
      }
      if (next !== target) window.history.replaceState(withStep(next), "");
      shown.current = next;
      set(next);
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
}
