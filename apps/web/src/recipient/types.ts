import type { TUtilityType } from "@meterlink/shared";
import type { TRouterOutputs } from "../lib/trpc";

export type TOpened = TRouterOutputs["recipient"]["open"];

export type TPhase = "consent" | "verify" | "provider" | "sign-in" | "mfa" | "sites" | "done";

/** A catalog utility gets the live browser; anything else gets manual entry only. */
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
    };

export type TCredential =
  | { method: "manual"; username: string; password: string; notes?: string }
  | { method: "live"; loginSessionId: string };

export type TSignedIn = {
  credential: TCredential;
  mfa: boolean;
  forwardingAddress: string | null;
};
