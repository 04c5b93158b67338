import { describe, expect, it } from "vitest";
import { invitationStatus } from "./invitation-status";

const now = new Date("2026-06-01T12:00:00Z");
const base = { revokedAt: null, uses: 0, maxUses: null, expiresAt: null };

describe("invitationStatus", () => {
  it("is active with no limits", () => {
    expect(invitationStatus(base, now)).toBe("active");
  });
  it("is expired once the expiry time is reached", () => {
    expect(invitationStatus({ ...base, expiresAt: "2026-06-01T12:00:00Z" }, now)).toBe("expired");
    expect(invitationStatus({ ...base, expiresAt: "2026-06-01T12:00:01Z" }, now)).toBe("active");
  });
  it("is fulfilled when the last use is consumed, even if also expired", () => {
    expect(invitationStatus({ ...base, uses: 1, maxUses: 1, expiresAt: "2020-01-01" }, now)).toBe(
      "fulfilled",
    );
    expect(invitationStatus({ ...base, uses: 1, maxUses: 2 }, now)).toBe("active");
  });
  it("is revoked above everything else", () => {
    expect(
      invitationStatus({ revokedAt: now, uses: 5, maxUses: 1, expiresAt: "2020-01-01" }, now),
    ).toBe("revoked");
  });
});
