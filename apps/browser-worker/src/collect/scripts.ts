// Page-side scripts of a collection, kept as plain JS strings (like capture/script.ts) so
// no transpiler helper ever leaks into the page. They return what the page shows and the
// bills' data attributes; never a field's value.

/** What the login recipe needs to decide its next step. */
export const LOOK_SCRIPT = `(s) => {
  function visible(el) {
    if (!el || !el.isConnected || el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  }
  function find(selector) {
    if (!selector) return null;
    try {
      const all = document.querySelectorAll(selector);
      for (let i = 0; i < all.length; i++) if (visible(all[i])) return all[i];
    } catch (e) {}
    return null;
  }
  function editable(el) { return !!el && !el.disabled && !el.readOnly; }
  const username = find(s.username);
  const password = find(s.password);
  const code = find(s.code);
  return {
    url: String(location.href),
    ready: document.readyState === "complete",
    text: ((document.body && document.body.innerText) || "").slice(0, 20000),
    username: editable(username),
    password: editable(password),
    code: editable(code),
    submit: !!find(s.submit),
    success: !!find(s.success),
    error: !!find(s.error),
    bills: document.querySelectorAll(s.bills).length,
    noBills: !!(s.noBills && document.querySelector(s.noBills)),
  };
}`;

/** The bills' locale-free data attributes. */
export const BILLS_SCRIPT = `(selector) => {
  const rows = Array.from(document.querySelectorAll(selector)).slice(0, 500);
  return rows.map((row) => {
    const a = (name) => { const v = row.getAttribute("data-" + name); return v === null || v === "" ? null : v; };
    return {
      id: a("bill-id"),
      utility: a("utility"),
      periodStart: a("period-start"),
      periodEnd: a("period-end"),
      issuedOn: a("issued-on"),
      dueOn: a("due-on"),
      usage: a("usage"),
      unit: a("unit"),
      amount: a("amount"),
      currency: a("currency"),
      pdfUrl: a("pdf-url"),
      csvUrl: a("csv-url"),
    };
  });
}`;

/**
 * Downloads one file with the page's own cookies; base64 in the page so only text
 * crosses CDP. Refuses more than `cap` bytes.
 */
export const DOWNLOAD_SCRIPT = `async (url, cap) => {
  const response = await fetch(url, { credentials: "same-origin", redirect: "error" });
  if (!response.ok) return { error: "status " + response.status };
  const declared = Number(response.headers.get("content-length") || "0");
  if (declared > cap) return { error: "too large" };
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > cap) return { error: "too large" };
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return { contentType: response.headers.get("content-type") || "application/octet-stream", base64: btoa(binary) };
}`;
