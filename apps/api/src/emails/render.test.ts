import { describe, expect, it } from "vitest";
import type { TEmailBrand } from "./brand";
import { renderEmail, type TEmailInput } from "./render";

const LINK = "https://connect.acme.example/p/i/tok_123?lang=en&src=email";
const ESCAPED_LINK = "https://connect.acme.example/p/i/tok_123?lang=en&amp;src=email";
const EXPIRES = new Date("2030-06-05T14:30:00Z");

const brand: TEmailBrand = {
  displayName: "Acme Property",
  logoUrl: null,
  primaryColor: "#0f766e",
  whiteLabel: false,
};

function input(kind: TEmailInput["kind"], overrides: Partial<TEmailInput> = {}): TEmailInput {
  return { kind, locale: "en", brand, link: LINK, expiresAt: EXPIRES, ...overrides } as TEmailInput;
}

/** The button is the anchor whose text is the call to action. */
function buttonHref(html: string, label: string): string | undefined {
  for (const match of html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)) {
    if ((match[2] ?? "").includes(label)) return match[1];
  }
  return undefined;
}

describe("renderEmail", () => {
  it.each([
    ["invitation", "Connect your utility account"],
    ["verification", "Confirm my email address"],
    ["reconnect", "Reconnect your account"],
  ] as const)(
    "puts the %s link behind the button and as text, in html and text parts",
    async (kind, label) => {
      const email = await renderEmail(input(kind));
      expect(buttonHref(email.html, label)).toBe(ESCAPED_LINK);
      // The link is also shown as text for clients that drop the button.
      expect(email.html).toContain(`>${ESCAPED_LINK}</a>`);
      expect(email.text).toContain(label);
      expect(email.text).toContain(LINK);
      expect(email.text).toContain("No one will ever ask you for your password by email.");
      expect(email.subject).toContain("Acme Property");
    },
  );

  it("says who invites, why, and when it expires", async () => {
    const email = await renderEmail(
      input("invitation", { inviterName: "Marie Curie", message: "Hello,\nplease connect EDF." }),
    );
    expect(email.subject).toBe("Acme Property invites you to connect your utility account");
    expect(email.text).toContain("Marie Curie from Acme Property invites you");
    expect(email.text).toContain("collect the bills of the buildings it manages");
    expect(email.text).toContain("Message from Marie Curie:");
    expect(email.text).toMatch(/Hello,\s*\n\s*please connect EDF\./);
    expect(email.text).toContain("This invitation expires on June 5, 2030 at 2:30 PM UTC.");
    expect(email.html).toContain("#0f766e");
  });

  it("omits the expiry of a link that never expires", async () => {
    const email = await renderEmail(input("invitation", { expiresAt: null }));
    expect(email.text).not.toContain("expires");
  });

  it("names the provider of a connection to reconnect", async () => {
    const email = await renderEmail(input("reconnect", { providerName: "EDF" }));
    expect(email.subject).toBe("Action needed: reconnect your utility account for Acme Property");
    expect(email.text).toContain("can no longer access your EDF account");
  });

  it("shows the logo with the company name as its alt text", async () => {
    const email = await renderEmail(
      input("invitation", { brand: { ...brand, logoUrl: "https://cdn.acme.example/logo.png" } }),
    );
    expect(email.html).toMatch(
      /<img[^>]*alt="Acme Property"[^>]*src="https:\/\/cdn\.acme\.example\/logo\.png"|<img[^>]*src="https:\/\/cdn\.acme\.example\/logo\.png"[^>]*alt="Acme Property"/,
    );
  });

  it("says Powered by Meterlink only when not white-labelled", async () => {
    const email = await renderEmail(input("invitation"));
    expect(email.text).toContain("Powered by Meterlink");
    expect(email.html).toContain("Powered by Meterlink");
  });

  it.each(["invitation", "verification", "reconnect"] as const)(
    "never names the vendor in a white-labelled %s email",
    async (kind) => {
      for (const locale of ["en", "fr", "ja"]) {
        const email = await renderEmail(
          input(kind, {
            locale,
            brand: { ...brand, displayName: "Globex Energy", whiteLabel: true },
          }),
        );
        for (const part of [email.subject, email.html, email.text]) {
          expect(part).not.toMatch(/meterlink/i);
        }
        expect(email.text).toContain("Globex Energy");
        expect(email.subject).toContain("Globex Energy");
      }
      const en = await renderEmail(input(kind, { brand: { ...brand, whiteLabel: true } }));
      expect(en.text).toContain("Sent on behalf of Acme Property");
    },
  );

  it("translates subjects and body, with dates in the locale's format", async () => {
    const english = await renderEmail(input("invitation"));
    const french = await renderEmail(input("invitation", { locale: "fr-FR" }));
    const japanese = await renderEmail(input("invitation", { locale: "ja" }));
    expect(french.subject).not.toBe(english.subject);
    expect(japanese.subject).not.toBe(english.subject);
    expect(french.subject).toContain("vous invite");
    expect(japanese.subject).toContain("招待");
    expect(french.text).toContain("Cette invitation expire le 5 juin 2030 à 14:30 UTC.");
    expect(japanese.text).toContain("2030年6月5日");
    expect(french.html).toContain('lang="fr"');
    expect(japanese.html).toContain('lang="ja"');
  });

  it("falls back to English for an unsupported locale", async () => {
    const email = await renderEmail(input("verification", { locale: "pt-BR" }));
    expect(email.subject).toBe("Confirm your email address for Acme Property");
  });

  it("escapes a company name that contains markup", async () => {
    const email = await renderEmail(
      input("invitation", {
        brand: { ...brand, displayName: 'Evil <script>alert("x")</script> Co' },
        message: "<img src=x onerror=alert(1)>",
      }),
    );
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img src=x");
    expect(email.html).toContain("Evil &lt;script&gt;");
    expect(email.subject).toContain('Evil <script>alert("x")</script> Co');
  });

  it("ignores a primary colour that is not a hex colour", async () => {
    const email = await renderEmail(
      input("invitation", {
        brand: { ...brand, primaryColor: "red;background:url(https://x.example)" },
      }),
    );
    expect(email.html).not.toContain("x.example");
    expect(email.html).toContain("#2563eb");
  });

  it("uses dark button text on a light brand colour", async () => {
    const email = await renderEmail(
      input("invitation", { brand: { ...brand, primaryColor: "#FFD700" } }),
    );
    expect(email.html).toMatch(/background-color:#ffd700;color:#111827/);
  });

  it("refuses a link that is not an http(s) URL", async () => {
    await expect(renderEmail(input("invitation", { link: "javascript:alert(1)" }))).rejects.toThrow(
      /http\(s\) URL/,
    );
  });
});
