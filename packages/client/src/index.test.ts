import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "./index";

const secret = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;
const body = JSON.stringify({ id: "evt", type: "webhook.test", data: { message: "hi" } });

function signed(at = new Date()) {
  const signature = new Webhook(secret).sign("evt", at, body);
  return {
    "webhook-id": "evt",
    "Webhook-Timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

describe("verifyWebhook", () => {
  it("returns the payload of a delivery signed with the secret (header names in any case)", () => {
    expect(verifyWebhook(secret, body, signed())).toMatchObject({ type: "webhook.test" });
  });

  it("refuses a changed body, another secret and an old timestamp", () => {
    expect(() => verifyWebhook(secret, body.replace("hi", "ho"), signed())).toThrow();
    const other = `whsec_${Buffer.alloc(24, 8).toString("base64")}`;
    expect(() => verifyWebhook(other, body, signed())).toThrow();
    expect(() => verifyWebhook(secret, body, signed(new Date(Date.now() - 3_600_000)))).toThrow();
  });
});
