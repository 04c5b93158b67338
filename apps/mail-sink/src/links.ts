// Pulls the links out of an email's HTML so tests (and people) can follow the button
// without a browser. A regex is enough: the HTML comes from our own templates.

export type TEmailLink = { href: string; text: string };

const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === "#") {
      const code =
        body[1] === "x" || body[1] === "X"
          ? Number.parseInt(body.slice(2), 16)
          : Number(body.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** Every `<a href>` in document order (duplicates kept: a button and its plain-text copy). */
export function extractLinks(html: string | null): TEmailLink[] {
  if (html === null) return [];
  const links: TEmailLink[] = [];
  // Conditional comments (React Email's Outlook padding hacks) hold markup and invisible
  // characters that are not part of any link's visible text.
  const visible = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const match of visible.matchAll(ANCHOR)) {
    const href = HREF.exec(match[1] ?? "");
    if (href === null) continue;
    const raw = href[1] ?? href[2] ?? href[3] ?? "";
    const text = decodeEntities((match[2] ?? "").replace(/<[^>]*>/g, ""))
      .replace(/[\s\u200b-\u200d\ufeff]+/g, " ")
      .trim();
    links.push({ href: decodeEntities(raw), text });
  }
  return links;
}
