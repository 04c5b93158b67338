import { describe, expect, it } from "vitest";
import { extractLinks } from "./links";

describe("extractLinks", () => {
  it("reads a React Email button: decoded href, visible text without Outlook hacks", () => {
    const html =
      '<a href="https://x.example/p/i/t?a=1&amp;b=2" style="color:#fff" target="_blank"><span><!--[if mso]><i style="mso-font-width:500%" hidden>&#8202;&#8202;&#8203;</i><![endif]--></span><span>Connect&nbsp;your account</span></a>';
    expect(extractLinks(html)).toEqual([
      { href: "https://x.example/p/i/t?a=1&b=2", text: "Connect your account" },
    ]);
  });

  it("keeps duplicates in document order and accepts unquoted hrefs", () => {
    expect(
      extractLinks(
        "<a href=https://a.example>A</a><p><a class='x' href='https://b.example'>B</a></p><a href=https://a.example>A</a><a name=top>no href</a>",
      ),
    ).toEqual([
      { href: "https://a.example", text: "A" },
      { href: "https://b.example", text: "B" },
      { href: "https://a.example", text: "A" },
    ]);
  });

  it("finds nothing in a text-only email", () => {
    expect(extractLinks(null)).toEqual([]);
  });
});
