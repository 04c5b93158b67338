// Events for a customer page that embeds the flow in an iframe (`?embed=1`). They carry
// no token, credential or personal data: only where the recipient is, so the host page
// can react (close a modal on "completed", resize the frame). Contract: docs/embedding.md.
//
// They go to one origin only: the `?origin=` the embed snippet sets, once the API has
// confirmed the company allows it (Settings › Embedding). Until then events wait; if it
// is missing or not allowed they are dropped, so no other page hears the progress.

export type TEmbedEvent =
  | { type: "ready"; kind: "contributor" | "reconnect"; steps: readonly string[] }
  | { type: "step"; step: string; index: number; total: number }
  | { type: "completed"; connectionId: string }
  | { type: "error"; code: string }
  | { type: "resize"; height: number };

export function isEmbedded(search: string): boolean {
  const value = new URLSearchParams(search).get("embed");
  return value === "1" || value === "true";
}

/** The host page's origin as the embed snippet named it (`?origin=`), unchecked. */
export function claimedEmbedOrigin(search: string): string | null {
  return new URLSearchParams(search).get("origin");
}

// undefined: not known yet (events queue); null: nowhere (events are dropped).
let target: string | null | undefined;
let waiting: TEmbedEvent[] = [];

/** Called once the API answered where events may go. */
export function setEmbedTarget(origin: string | null): void {
  target = origin;
  const queued = waiting;
  waiting = [];
  for (const event of queued) postToParent(event);
}

export function postToParent(event: TEmbedEvent): void {
  if (window.parent === window || target === null) return;
  if (target === undefined) {
    // Only the latest size matters; everything else keeps its order.
    if (event.type === "resize") waiting = waiting.filter((queued) => queued.type !== "resize");
    waiting.push(event);
    return;
  }
  // With a target origin the browser itself refuses delivery to any other parent.
  window.parent.postMessage({ source: "meterlink", ...event }, target);
}
