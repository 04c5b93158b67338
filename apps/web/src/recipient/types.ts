import type { TUtilityType } from "@meterlink/shared";
import type { TRouterOutputs } from "../lib/trpc";

export type TOpened = TRouterOutputs["recipient"]["open"];

export type TPhase = "consent" | "verify" | "provider" | "sign-in" | "mfa" | "sites" | "done";

/**
 * A catalog utility gets the live browser; so does a website address the recipient typed
 * that no provider uses (checked by `recipient.utilityAddress`: the session is restricted
 * to its registrable domain); a utility known only by name gets manual entry only.
 */
export type TProviderChoice =
  | {
      kind: "catalog";
      id: string;
      name: string;
      mfa: string;
      utilityTypes: TUtilityType[];
    }
  | {
      kind: "manual";
      name: string;
      url?: string;
      country?: string;
      /** No name known ("your utility"): copy that puts "your" before a name uses its own wording. */
      generic?: boolean;
    }
  | {
      kind: "unlisted";
      /** The name the recipient typed, else the domain. */
      name: string;
      /** The address as the API checked it: what `startLogin` opens. */
      url: string;
      /** Its registrable domain, the one the secure browser may visit (`power.example.com` → `example.com`). */
      domain: string;
      country?: string;
    };

export type TCredential =
  | { method: "manual"; username: string; password: string; notes?: string }
  | { method: "live"; loginSessionId: string };

export type TSignedIn = {
  credential: TCredential;
  mfa: boolean;
  forwardingAddress: string | null;
};
