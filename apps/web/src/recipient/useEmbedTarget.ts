// Asks the API whether the origin the embed snippet named may receive this page's
// host-page events, and tells the event sender (./embed). Not embedded, no origin
// named, not allowed, or the check failed: events go nowhere.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "../lib/trpc";
import { setEmbedTarget } from "./embed";

export function useEmbedTarget(token: string, claimedOrigin: string | null): void {
  const trpc = useTRPC();
  const framed = typeof window !== "undefined" && window.parent !== window;
  const check = useQuery({
    ...trpc.recipient.embedTarget.queryOptions({ token, origin: claimedOrigin ?? "" }),
    enabled: framed && Boolean(claimedOrigin),
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
  const answer = !framed || !claimedOrigin || check.isError ? null : check.data?.origin;
  useEffect(() => {
    if (answer !== undefined) setEmbedTarget(answer);
  }, [answer]);
}
