// Events for a customer page that embeds the flow in an iframe (`?embed=1`). They carry
// no token, credential or personal data: only where the recipient is, so the host page
// can react (close a modal on "completed", resize the frame). Contract: docs/embedding.md.

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

export function postToParent(event: TEmbedEvent): void {
  if (window.parent === window) return;
  // "*": the page cannot know its embedder's origin, and nothing in these events is
  // secret; the API's frame-ancestors header decides who may embed at all.
  window.parent.postMessage({ source: "meterlink", ...event }, "*");
}
