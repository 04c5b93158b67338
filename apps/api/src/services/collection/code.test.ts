import { describe, expect, it } from "vitest";
import { extractCode, findCode } from "./code";

describe("extractCode", () => {
  it("reads the code the way utilities word it", () => {
    expect(
      extractCode(
        "Summit Gas: your verification code is 482913. It expires in 10 minutes. Never share it.",
      ),
    ).toBe("482913");
    expect(extractCode("Énergie Lumière : votre code de vérification est 0042. Merci")).toBe(
      "0042",
    );
    expect(extractCode("771204 is your Northwind sign-in code")).toBe("771204");
  });
  it("is not fooled by phone numbers, dates or amounts", () => {
    expect(extractCode("Call 1-800-555-0110 by 2026-11-25 about $1234.50. Your code: 550071")).toBe(
      "550071",
    );
    expect(extractCode("Sent to +1 303 555 0142 — security code 9081")).toBe("9081");
  });
  it("finds the code in an HTML email and gives up when there is none", () => {
    expect(extractCode("<p>Your code</p><p><strong>310955</strong></p>")).toBe("310955");
    expect(extractCode("Your bill is ready. Account 12 34.")).toBeNull();
  });
});

describe("findCode", () => {
  it("refuses to guess between two different codes", () => {
    expect(findCode("Your code is 482913. Your previous code 118822 no longer works.")).toEqual({
      kind: "several",
    });
    expect(findCode("Use 482913 or 118822 to sign in")).toEqual({ kind: "several" });
    // The same code said twice is one code.
    expect(findCode("Code: 482913. Again, your code is 482913.")).toEqual({
      kind: "one",
      code: "482913",
    });
  });
  it("ignores the digits of addresses and links in a forwarded email", () => {
    const forwarded = [
      "---------- Forwarded message ---------",
      "From: Lakeside <no-reply@lakeside1234.test>",
      "Date: Mon, Dec 1, 2026 at 10:31 PM",
      "Subject: Your security code",
      "To: <c-1234abcd5678@inbound.meterlink.test>",
      "",
      "Your security code is 310955. https://lakeside.test/help/7781",
    ].join("\n");
    expect(findCode(forwarded)).toEqual({ kind: "one", code: "310955" });
  });
  it("says when there is no code at all", () => {
    expect(findCode("Your bill is ready. Account 12 34.")).toEqual({ kind: "none" });
  });
});
