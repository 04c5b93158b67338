// Page-side capture script, injected into every frame (iframes and OOPIFs included, via
// puppeteer's evaluateOnNewDocument) before any portal script runs. It reports what the
// recipient typed into login fields whenever a login is submitted, however the portal
// submits it: form submit (also inside open shadow roots), button click, Enter,
// programmatic form.submit(), fetch or XHR. Kept as a plain JS string so no transpiler
// helper ever leaks into the page.
//
// The values go to the worker through a CDP binding and nowhere else: nothing is stored
// in the page, nothing is logged.

export const CAPTURE_BINDING = "__meterlinkCapture";

/** Values the worker may set per session before the portal loads (see `rulesScript`). */
export const RULES_GLOBAL = "__meterlinkRules";

export const CAPTURE_SCRIPT = String.raw`(() => {
  if (window.__meterlinkCaptureInstalled) return;
  try { Object.defineProperty(window, "__meterlinkCaptureInstalled", { value: true }); } catch (e) { return; }
  const BINDING = ${JSON.stringify(CAPTURE_BINDING)};
  const RULES = ${JSON.stringify(RULES_GLOBAL)};
  const CODE_RE = /(otp|one.?time|\bcode\b|mfa|2fa|totp|passcode|verif|sms|token|\bpin\b|tan\b|security.?code)/i;
  const ID_RE = /(user|email|e-mail|mail|login|account|customer|member|ident|client|kunde|benutzer|courriel|phone|mobile|number|\bid\b|nummer|numero)/i;
  const SKIP_TYPES = { hidden: 1, submit: 1, button: 1, checkbox: 1, radio: 1, file: 1, image: 1, reset: 1, range: 1, color: 1 };
  const origFetch = window.fetch;
  const origSend = XMLHttpRequest.prototype.send;
  const origOpen = XMLHttpRequest.prototype.open;

  function rules() { try { return window[RULES] || {}; } catch (e) { return {}; } }

  function collectInputs(root, out) {
    const nodes = root.querySelectorAll("*");
    for (let i = 0; i < nodes.length; i++) {
      const el = nodes[i];
      if (el.tagName === "INPUT" || el.tagName === "TEXTAREA") out.push(el);
      if (el.shadowRoot) collectInputs(el.shadowRoot, out);
    }
    return out;
  }

  function visible(el) {
    if (!el.isConnected) return false;
    if (el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  }

  function describe(el) {
    return [el.name, el.id, el.getAttribute("placeholder"), el.getAttribute("aria-label"), el.getAttribute("autocomplete")]
      .filter(Boolean).join(" ");
  }

  function matches(el, selector) {
    if (!selector) return false;
    try { return el.matches(selector); } catch (e) { return false; }
  }

  function classify(el) {
    const selectors = rules().selectors || {};
    if (matches(el, selectors.password)) return "password";
    if (matches(el, selectors.code)) return "code";
    if (matches(el, selectors.identifier)) return "identifier";
    const type = (el.getAttribute("type") || "text").toLowerCase();
    if (SKIP_TYPES[type]) return null;
    const ac = (el.getAttribute("autocomplete") || "").toLowerCase();
    if (ac.indexOf("one-time-code") >= 0) return "code";
    if (type === "password") return "password";
    if (ac.indexOf("username") >= 0 || ac === "email" || type === "email") return "identifier";
    const text = describe(el);
    if (CODE_RE.test(text)) return "code";
    if (ID_RE.test(text)) return "identifier";
    return "other";
  }

  // The learned recipe's selectors for an element, most specific first. Never a value:
  // ids, names, autocomplete tokens, the label's text and the position among its kind.
  function q(value) { return '"' + String(value).replace(/["\\]/g, "\\$&") + '"'; }
  function selectorsOf(el, root) {
    const out = [];
    const tag = el.tagName.toLowerCase();
    const id = el.getAttribute("id");
    if (id) out.push("#" + CSS.escape(id));
    const name = el.getAttribute("name");
    if (name) out.push(tag + "[name=" + q(name) + "]");
    const ac = el.getAttribute("autocomplete");
    if (ac && ac !== "off" && ac !== "on") out.push(tag + "[autocomplete=" + q(ac) + "]");
    let label = "";
    if (el.labels && el.labels.length) label = el.labels[0].textContent || "";
    else if (tag === "button" || tag === "a" || tag === "input") label = (tag === "input" ? el.getAttribute("value") : el.textContent) || "";
    label = label.replace(/\s+/g, " ").trim();
    if (label && label.length <= 80) out.push((tag === "input" && !(el.labels && el.labels.length) ? "value=" : "label=") + label);
    // Position among visible elements of the same tag and type: the last resort.
    const type = el.getAttribute("type");
    const kindSel = type ? tag + "[type=" + q(type) + "]" : tag;
    const same = Array.prototype.filter.call(root.querySelectorAll(kindSel), visible);
    const index = same.indexOf(el);
    if (index >= 0) out.push("pos=" + kindSel + ":" + index);
    return out.slice(0, 8);
  }
  function hostsOf(el) {
    const hosts = [];
    let root = el.getRootNode();
    while (root && root.host) {
      const host = root.host;
      hosts.unshift(host.id ? "#" + CSS.escape(host.id) : host.tagName.toLowerCase());
      root = host.getRootNode();
    }
    return hosts;
  }

  function snapshot() {
    const inputs = collectInputs(document, []);
    const found = { identifier: "", password: "", code: "" };
    const els = {};
    let firstOther = "";
    let otherEl = null;
    let hasPassword = false;
    for (let i = 0; i < inputs.length; i++) {
      const el = inputs[i];
      const kind = classify(el);
      if (!kind || !visible(el)) continue;
      const value = typeof el.value === "string" ? el.value : "";
      if (kind === "password") hasPassword = true;
      if (!value) continue;
      if (kind === "other") { if (!firstOther) { firstOther = value; otherEl = el; } continue; }
      if (!found[kind]) { found[kind] = value; if (!el.readOnly && !el.disabled) els[kind] = el; }
    }
    // A lone unlabeled text box next to a password field is the identifier.
    if (!found.identifier && hasPassword && firstOther) { found.identifier = firstOther; els.identifier = otherEl; }
    return { fields: found, els: els };
  }

  function shapeOf(els, submitter) {
    const fields = [];
    let hosts = [];
    const kinds = ["identifier", "password", "code"];
    for (let i = 0; i < kinds.length; i++) {
      const el = els[kinds[i]];
      if (!el) continue;
      const root = el.getRootNode();
      fields.push({ kind: kinds[i], selectors: selectorsOf(el, root) });
      hosts = hostsOf(el);
    }
    const submit = submitter && submitter.tagName ? selectorsOf(submitter, submitter.getRootNode()) : null;
    return { fields: fields, shadowHosts: hosts, submit: submit && submit.length ? submit : null };
  }

  let lastSent = "";
  let lastSentAt = 0;
  function report(trigger, submitter) {
    try {
      const snap = snapshot();
      const fields = snap.fields;
      // A button pressed on a page without login fields ("Remember this device?" between
      // sign-in steps) is reported by its shape only, for the learned recipe.
      if (!fields.identifier && !fields.password && !fields.code && !(trigger === "click" && submitter)) return;
      const payload = JSON.stringify({ trigger: trigger, url: String(location.href), fields: fields, shape: shapeOf(snap.els, submitter) });
      // One user action often fires click + submit + fetch: send each distinct state once.
      const now = Date.now();
      if (payload === lastSent && now - lastSentAt < 1000) return;
      lastSent = payload;
      lastSentAt = now;
      const fn = window[BINDING];
      if (typeof fn === "function") { const p = fn(payload); if (p && p.catch) p.catch(function () {}); }
    } catch (e) {}
  }

  function target(event) {
    const path = event.composedPath ? event.composedPath() : [];
    return path.length ? path[0] : event.target;
  }

  window.addEventListener("submit", function (event) { report("submit", event.submitter || null); }, true);
  window.addEventListener("click", function (event) {
    const path = event.composedPath ? event.composedPath() : [event.target];
    for (let i = 0; i < path.length && i < 6; i++) {
      const el = path[i];
      if (!el || !el.tagName) continue;
      const tag = el.tagName;
      const type = (el.getAttribute && (el.getAttribute("type") || "").toLowerCase()) || "";
      const role = (el.getAttribute && el.getAttribute("role")) || "";
      if (tag === "BUTTON" || tag === "A" || role === "button" || (tag === "INPUT" && (type === "submit" || type === "button" || type === "image"))) {
        report("click", el);
        return;
      }
    }
  }, true);
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    const el = target(event);
    if (el && (el.tagName === "INPUT")) report("enter");
  }, true);

  const origSubmit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () { report("form.submit"); return origSubmit.apply(this, arguments); };
  if (HTMLFormElement.prototype.requestSubmit) {
    const origRequestSubmit = HTMLFormElement.prototype.requestSubmit;
    HTMLFormElement.prototype.requestSubmit = function () { report("form.requestSubmit"); return origRequestSubmit.apply(this, arguments); };
  }
  if (origFetch) {
    window.fetch = function (input, init) {
      try {
        const method = (init && init.method) || (input && input.method) || "GET";
        if (String(method).toUpperCase() !== "GET") report("fetch");
      } catch (e) {}
      return origFetch.apply(this, arguments);
    };
  }
  XMLHttpRequest.prototype.open = function (method) {
    try { this.__meterlinkMethod = String(method).toUpperCase(); } catch (e) {}
    return origOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.__meterlinkMethod && this.__meterlinkMethod !== "GET") report("xhr");
    return origSend.apply(this, arguments);
  };
})();`;

/** Sets the provider's selectors for the capture script before the portal loads. */
export function rulesScript(selectors: Record<string, string | undefined>): string {
  return `(() => { try { Object.defineProperty(window, ${JSON.stringify(RULES_GLOBAL)}, { value: Object.freeze({ selectors: ${JSON.stringify(selectors)} }) }); } catch (e) {} })();`;
}

// Runs in every frame when the worker decides an outcome; returns only booleans and the
// visible text, never field values.
export const INSPECT_SCRIPT = String.raw`(selectors) => {
  const CODE_RE = /(otp|one.?time|\bcode\b|mfa|2fa|totp|passcode|verif|sms|token|\bpin\b|tan\b|security.?code)/i;
  function collect(root, out) {
    const nodes = root.querySelectorAll("*");
    for (let i = 0; i < nodes.length; i++) {
      const el = nodes[i];
      if (el.tagName === "INPUT") out.push(el);
      if (el.shadowRoot) collect(el.shadowRoot, out);
    }
    return out;
  }
  function visible(el) {
    if (!el.isConnected || el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  }
  function q(selector) {
    if (!selector) return false;
    try { const el = document.querySelector(selector); return !!el && visible(el); } catch (e) { return false; }
  }
  let hasPassword = false, hasCode = false;
  const inputs = collect(document, []);
  for (let i = 0; i < inputs.length; i++) {
    const el = inputs[i];
    if (!visible(el)) continue;
    const type = (el.getAttribute("type") || "text").toLowerCase();
    const ac = (el.getAttribute("autocomplete") || "").toLowerCase();
    const text = [el.name, el.id, el.getAttribute("placeholder"), el.getAttribute("aria-label"), ac].filter(Boolean).join(" ");
    if (ac.indexOf("one-time-code") >= 0 || (type !== "password" && CODE_RE.test(text)) || (selectors.code && el.matches(selectors.code))) hasCode = true;
    else if (type === "password" || (selectors.password && el.matches(selectors.password))) hasPassword = true;
  }
  function deepText(root) {
    let text = "";
    const nodes = root.querySelectorAll("*");
    for (let i = 0; i < nodes.length; i++) if (nodes[i].shadowRoot) text += "\n" + deepText(nodes[i].shadowRoot);
    return ((root.body || root).innerText || root.textContent || "") + text;
  }
  return {
    hasPassword: hasPassword,
    hasCode: hasCode,
    ready: document.readyState === "complete",
    text: deepText(document).slice(0, 20000),
    errorSelector: q(selectors.error),
    successSelector: q(selectors.success),
  };
}`;
