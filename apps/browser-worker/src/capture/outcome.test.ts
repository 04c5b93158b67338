import { PORTALS } from "@meterlink/utility-sandbox/portals";
import { describe, expect, it } from "vitest";
import { decideOutcome, saysLocked, type TPageInspection } from "./outcome";

const loginUrl = "https://power.example/login";
const page = (over: Partial<TPageInspection>): TPageInspection => ({
  url: loginUrl,
  hasPassword: false,
  hasCode: false,
  ready: true,
  text: "",
  errorSelector: false,
  successSelector: false,
  ...over,
});
const decide = (inspection: TPageInspection, rules = {}) =>
  decideOutcome({ inspection, rules, loginUrl, passwordCaptured: true });

describe("decideOutcome", () => {
  it("success once the login form is gone and the URL moved on", () => {
    expect(decide(page({ url: "https://power.example/account" }))).toBe("success");
  });
  it("failure when the login form shows an error", () => {
    expect(decide(page({ hasPassword: true, text: "Incorrect password." }))).toBe("failure");
  });
  it("a signed-in page mentioning 'invalid' is not a failure", () => {
    expect(
      decide(page({ url: "https://power.example/bills", text: "Invalid meter reading" })),
    ).toBe("success");
  });
  it("a 'Remember this device?' page between steps is no verdict yet; the account after it is", () => {
    const remember = page({
      url: "https://power.example/remember",
      text: "Remember this device?\nWe can skip the text message next time.\nNot now",
    });
    expect(decide(remember)).toBe("pending");
    expect(decide(remember, { successPathPrefix: "/remember" })).toBe("success");
    expect(decide(page({ url: "https://power.example/account", text: "Your statements" }))).toBe(
      "success",
    );
  });
  it("mfa when a code is asked for", () => {
    expect(decide(page({ url: "https://power.example/verify", hasCode: true }))).toBe("mfa");
  });
  it("pending while a password field is still shown (identifier-first)", () => {
    expect(decide(page({ url: "https://power.example/password", hasPassword: true }))).toBe(
      "pending",
    );
  });
  it("unsure when nothing tells, and provider rules decide when given", () => {
    expect(decide(page({}))).toBe("unsure");
    expect(
      decide(page({ url: "https://power.example/login/done" }), { loginPathPrefix: "/login" }),
    ).toBe("unsure");
    expect(
      decide(page({ url: "https://power.example/home" }), { successPathPrefix: "/home" }),
    ).toBe("success");
  });
});

describe("locked accounts", () => {
  it("recognises every sandbox portal's lockout wording, in its language", () => {
    for (const portal of Object.values(PORTALS)) {
      expect(saysLocked(portal.texts.locked), portal.id).toBe(true);
    }
  });
  it("recognises common lockout wording in the flow's languages", () => {
    for (const text of [
      "Your account is locked. Call customer service.",
      "Too many failed attempts. Try again later.",
      "Votre compte est verrouillé.",
      "Ihr Konto wurde vorübergehend gesperrt.",
      "Tu cuenta ha sido bloqueada por demasiados intentos.",
      "アカウントがロックされました。",
    ]) {
      expect(saysLocked(text), text).toBe(true);
    }
  });
  it("does not take a wrong password for a lockout", () => {
    for (const portal of Object.values(PORTALS)) {
      expect(saysLocked(portal.texts.wrongPassword), portal.id).toBe(false);
    }
    expect(saysLocked("Incorrect username or password.")).toBe(false);
  });
});
