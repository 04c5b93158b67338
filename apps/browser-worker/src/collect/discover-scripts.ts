// Page-side scripts of generic bill discovery, plain JS strings like ./scripts.ts so no
// transpiler helper leaks into the page. They name what a signed-in page offers (document
// links, "download bill" buttons, the menu entries that lead to bills, the next page of a
// statements table) and never read a field's value.

/** Words in the recipient-flow languages (English, French), as regex sources. */
export const DISCOVERY_WORDS = {
  document:
    "\\b(bills?|statements?|invoices?|factures?|relev[ée]s?|avis d'[ée]ch[ée]ance|e-?bills?)\\b",
  download:
    "(download|t[ée]l[ée]charger|export|exporter|\\bpdf\\b|\\bcsv\\b|\\bxlsx\\b|\\bview\\b|voir|ouvrir|open)",
  menu: "^(billing|bills|my bills|billing (history|&? ?payments?)|statements|my statements|invoices|documents|my documents|bills (&|and) payments|mes factures|factures|facturation|mes relev[ée]s|relev[ée]s|mes documents|documents et factures)\\b",
  next: "^(next|next page|suivant|page suivante|older|›|»|>)(\\s|$|›|»)",
  never:
    "(log ?out|sign ?out|log ?off|d[ée]connexion|se d[ée]connecter|delete|supprimer|pay now|payer|autopay|cancel|r[ée]silier|close account|unsubscribe)",
};

/** What the page offers, by the words and the shapes bills take. */
export const DISCOVER_SCRIPT = `(w) => {
  const re = (s) => new RegExp(s, "i");
  const documentWord = re(w.document), downloadWord = re(w.download), menuWord = re(w.menu);
  const nextWord = re(w.next), never = re(w.never);
  function visible(el) {
    if (!el.isConnected || el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  }
  function label(el) {
    return [el.innerText || el.textContent || "", el.getAttribute("aria-label") || "", el.getAttribute("title") || ""]
      .join(" ").replace(/\\s+/g, " ").trim().slice(0, 200);
  }
  const groups = Array.from(document.querySelectorAll("tr, li, article, [role=row], .bill, .statement, .invoice"));
  function groupOf(el) {
    const row = el.closest("tr, li, article, [role=row], .bill, .statement, .invoice");
    return row ? groups.indexOf(row) : null;
  }
  const links = [], buttons = [], nav = [];
  let next = null, marker = 0;
  for (const a of Array.from(document.querySelectorAll("a[href]"))) {
    if (!visible(a)) continue;
    const text = label(a);
    if (never.test(text)) continue;
    const href = a.href;
    if (!/^https?:/i.test(href)) continue;
    const path = (() => { try { return new URL(href).pathname.toLowerCase(); } catch (e) { return ""; } })();
    const fileLike = /\\.(pdf|csv|xlsx)$/.test(path);
    const isDocument = fileLike || a.hasAttribute("download") ||
      (downloadWord.test(text) && (documentWord.test(text) || /\\b(pdf|csv|xlsx)\\b/i.test(text)));
    if (isDocument) { links.push({ href, text, group: groupOf(a) }); continue; }
    if (a.rel === "next" || nextWord.test(text)) { next = next || href; continue; }
    if (menuWord.test(text) && text.length <= 40) nav.push({ href, text });
  }
  const clickable = "button, [role=button], a:not([href]), a[href='#'], a[href^='javascript:'], input[type=button]";
  for (const el of Array.from(document.querySelectorAll(clickable))) {
    if (!visible(el) || el.disabled) continue;
    const text = label(el) || (el.value || "");
    if (never.test(text) || !downloadWord.test(text)) continue;
    if (!(documentWord.test(text) || /\\b(pdf|csv|xlsx)\\b/i.test(text))) continue;
    if (el.closest("form") && el.type === "submit") continue;
    const id = "c" + (marker++);
    el.setAttribute("data-ml-candidate", id);
    buttons.push({ marker: id, text, group: groupOf(el) });
  }
  return { url: String(location.href), links: links.slice(0, 300), buttons: buttons.slice(0, 100), nav: nav.slice(0, 20), next };
}`;

/**
 * Keeps the Blobs a page turns into blob: URLs, and stops the page from "saving" them
 * (a headless browser has nowhere to save): a "download bill" button that fetches the PDF
 * and clicks a blob: link leaves its document here instead.
 */
export const BLOB_HOOK_SCRIPT = `() => {
  if (window.__mlBlobs) return window.__mlBlobs.length;
  window.__mlBlobs = [];
  const create = URL.createObjectURL.bind(URL);
  URL.createObjectURL = function (value) {
    const url = create(value);
    if (value instanceof Blob) window.__mlBlobs.push(value);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (String(this.href).startsWith("blob:")) return;
    return click.call(this);
  };
  document.addEventListener("click", (event) => {
    const a = event.target && event.target.closest ? event.target.closest("a[href^='blob:']") : null;
    if (a) event.preventDefault();
  }, true);
  return 0;
}`;

export const BLOB_COUNT_SCRIPT = "() => (window.__mlBlobs ? window.__mlBlobs.length : 0)";

/** One kept Blob as base64, refused past `cap` bytes. */
export const BLOB_READ_SCRIPT = `async (index, cap) => {
  const blob = window.__mlBlobs && window.__mlBlobs[index];
  if (!blob) return { error: "no document" };
  if (blob.size > cap) return { error: "too large" };
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return { contentType: blob.type || "application/octet-stream", base64: btoa(binary) };
}`;
