// One live tab per recipient: opening the verification link opens a second tab in the
// same browser, which carries on; the first one, still waiting, says so instead of
// running the same flow twice (two remote browsers would replace each other). Same-origin
// only (BroadcastChannel), nothing leaves the browser.
import { useEffect, useRef, useState } from "react";

type TMessage = { type: "here"; tab: string };

const channelName = (token: string) => `meterlink-recipient:${token}`;

function open(token: string): BroadcastChannel | null {
  return typeof BroadcastChannel === "function" ? new BroadcastChannel(channelName(token)) : null;
}

/** Tells the other tabs of this link that this one carries on. */
export function announceHere(token: string, tab = "verify-link"): void {
  const channel = open(token);
  channel?.postMessage({ type: "here", tab } satisfies TMessage);
  channel?.close();
}

/**
 * Whether another tab took this link over; `takeOver()` continues here instead (and tells
 * the other tab).
 */
export function useOtherTab(token: string) {
  const [tab] = useState(() => crypto.randomUUID());
  const [elsewhere, setElsewhere] = useState(false);
  const channelRef = useRef<BroadcastChannel | null>(null);
  useEffect(() => {
    const channel = open(token);
    channelRef.current = channel;
    if (!channel) return;
    channel.onmessage = (event: MessageEvent<TMessage>) => {
      if (event.data?.type === "here" && event.data.tab !== tab) setElsewhere(true);
    };
    return () => {
      channel.close();
      channelRef.current = null;
    };
  }, [token, tab]);
  return {
    elsewhere,
    takeOver: () => {
      channelRef.current?.postMessage({ type: "here", tab } satisfies TMessage);
      setElsewhere(false);
    },
  };
}
