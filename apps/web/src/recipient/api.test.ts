import { TRPCClientError } from "@trpc/client";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { recipientFieldErrors, recipientMessage } from "./api";
import { en } from "./i18n/en";
import { fr } from "./i18n/fr";

async function frenchT() {
  const instance = i18next.createInstance();
  await instance.init({
    lng: "fr",
    fallbackLng: "en",
    resources: { en: { translation: en }, fr: { translation: fr } },
  });
  return instance.t;
}

/** A tRPC error as the API's error formatter sends it. */
function apiError(message: string, data: Record<string, unknown>) {
  return TRPCClientError.from({ error: { message, code: -32600, data } });
}

describe("API messages in the recipient's language", () => {
  it("translates a refusal by its reason, and a generic one by its code", async () => {
    const t = await frenchT();
    const busy = apiError("All remote browsers are busy right now.", {
      appCode: "FLEET_BUSY",
      reason: "fleetBusy",
    });
    expect(recipientMessage(busy, t)).toMatch(/^Tous les navigateurs sécurisés sont occupés/);
    const limited = apiError("Too many requests. Try again in 30 seconds.", {
      appCode: "RATE_LIMITED",
    });
    expect(recipientMessage(limited, t)).toMatch(/^Trop de tentatives/);
  });

  it("keeps the API's own words when it has no translation for them", async () => {
    const t = await frenchT();
    const unknown = apiError("Something specific happened.", {
      appCode: "CONFLICT",
      reason: "somethingNew",
    });
    expect(recipientMessage(unknown, t)).toBe("Something specific happened.");
  });

  it("translates field errors by their path, leaving unknown fields as sent", async () => {
    const t = await frenchT();
    const fields = apiError("Invalid input", {
      appCode: "BAD_REQUEST",
      fields: [
        { path: "credential.password", message: "Enter the password." },
        { path: "notes", message: "Too long." },
      ],
    });
    expect(recipientFieldErrors(fields, t)).toEqual({
      "credential.password": "Saisissez le mot de passe.",
      notes: "Too long.",
    });
  });
});
