// Page-side lookup of a learned-recipe element, kept as a plain JS string (like
// capture/script.ts). Selector forms: CSS, `label=<text>` (the field its label names, or a
// button with that text), `value=<text>` (an input button's value), `pos=<tag>[type]:<n>`
// (the n-th visible one). Returns the element itself, never a value.
export const FIND_SCRIPT = `(hosts, selectors) => {
  function visible(el) {
    if (!el || !el.isConnected || el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  }
  function norm(text) { return String(text || "").replace(/\\s+/g, " ").trim(); }
  let root = document;
  for (let i = 0; i < hosts.length; i++) {
    let host = null;
    try { host = root.querySelector(hosts[i]); } catch (e) {}
    if (!host || !host.shadowRoot) return null;
    root = host.shadowRoot;
  }
  function first(list) { for (let i = 0; i < list.length; i++) if (visible(list[i])) return list[i]; return null; }
  for (let i = 0; i < selectors.length; i++) {
    const s = selectors[i];
    let el = null;
    try {
      if (s.indexOf("label=") === 0) {
        const text = s.slice(6);
        const labels = Array.prototype.filter.call(root.querySelectorAll("label"), (l) => norm(l.textContent) === text);
        el = first(labels.map((l) => l.control).filter(Boolean));
        if (!el) el = first(Array.prototype.filter.call(root.querySelectorAll("button, a, [role=button]"), (b) => norm(b.textContent) === text));
      } else if (s.indexOf("value=") === 0) {
        const text = s.slice(6);
        el = first(Array.prototype.filter.call(root.querySelectorAll("input"), (b) => norm(b.getAttribute("value")) === text));
      } else if (s.indexOf("pos=") === 0) {
        const m = /^pos=(.+):(\\d+)$/.exec(s);
        if (m) el = Array.prototype.filter.call(root.querySelectorAll(m[1]), visible)[Number(m[2])] || null;
      } else {
        el = first(root.querySelectorAll(s));
      }
    } catch (e) {}
    if (el && !el.disabled && !el.readOnly) return el;
  }
  return null;
}`;
