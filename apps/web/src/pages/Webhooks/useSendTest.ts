// "Send test event" that reports the delivery itself, not just that an event was queued:
// it watches the endpoint's log for that event's first attempt for a few seconds.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useToast } from "../../components/Toast";
import { errorMessage, useTRPC } from "../../lib/trpc";
import type { TWebhookEndpoint } from "../../lib/webhooks";

/** How long "Send test event" waits for the first attempt before leaving it to the log. */
const TEST_WAIT_MS = 15_000;

export function useSendTest() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [testing, setTesting] = useState<ReadonlySet<string>>(new Set());
  const send = useMutation(trpc.admin.webhooks.sendTest.mutationOptions());

  async function firstAttempt(endpointId: string, eventId: string) {
    const deadline = Date.now() + TEST_WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // fetchQuery refreshes the cache too, so an open delivery log shows the attempt.
      const rows = await queryClient.fetchQuery({
        ...trpc.admin.webhooks.deliveries.queryOptions({ endpointId }),
        staleTime: 0,
      });
      const found = rows.find((row) => row.eventId === eventId);
      if (found) return found;
    }
    return null;
  }

  async function sendTest(endpoint: TWebhookEndpoint) {
    setTesting((current) => new Set(current).add(endpoint.id));
    try {
      const { eventId } = await send.mutateAsync({ id: endpoint.id });
      const attempt = await firstAttempt(endpoint.id, eventId);
      if (!attempt) {
        toast({
          title: "Test event queued",
          description: "It has not been delivered yet; the delivery log will show the result.",
          tone: "info",
        });
      } else if (attempt.ok) {
        toast({
          title: "Test event delivered",
          description: `Your endpoint answered HTTP ${attempt.statusCode} in ${attempt.durationMs ?? "?"} ms.`,
          tone: "success",
        });
      } else {
        toast({
          title: "Test event not delivered",
          description: `${capitalize(attempt.error ?? "The attempt failed")}. We will retry; see the delivery log.`,
          tone: "error",
        });
      }
    } catch (error) {
      toast({ title: "Test event not sent", description: errorMessage(error), tone: "error" });
    } finally {
      setTesting((current) => {
        const next = new Set(current);
        next.delete(endpoint.id);
        return next;
      });
    }
  }

  return { sendTest, testing };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
