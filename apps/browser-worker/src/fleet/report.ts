// Reports a session's outcome to the fleet API. Only the sealed credential (JWE) ever
// leaves the worker; the body carries no plaintext secret.
import type { TLoginOutcome } from "@meterlink/shared/stream";

export type TOutcomeReport = {
  sessionId: string;
  providerId: string;
  outcome: TLoginOutcome;
  sealedCredential: string | null;
  finalUrl: string | null;
};

/** POSTs the report, retrying transient failures a few times. Returns whether it landed. */
export async function reportOutcome(options: {
  url: string;
  fleetToken: string;
  report: TOutcomeReport;
  attempts?: number;
}): Promise<boolean> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${options.fleetToken}`,
        },
        body: JSON.stringify(options.report),
        signal: AbortSignal.timeout(5_000),
      });
      if (response.ok) return true;
      // A 4xx will not get better by retrying.
      if (response.status < 500) return false;
    } catch {
      // network error or timeout: retry
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
  return false;
}
