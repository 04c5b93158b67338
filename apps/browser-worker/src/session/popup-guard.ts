// Keeps a session in one tab. A new tab or window would escape the main-frame navigation
// filter (it is set up per tab, and a popup's first request leaves before anyone could
// hook it), so nothing opens one: `window.open`, links and forms aimed at another window,
// and middle/ctrl/shift/meta-clicks (mouse or keyboard) navigate the top frame instead,
// where the filter sees the request before it is made and refuses an off-list address.
// Installed in every frame before any page script runs; a popup that still appears is
// closed unless it is on the list (session.ts).
export const POPUP_GUARD_SCRIPT = `(() => {
  if (window.__meterlinkPopupGuard) return;
  Object.defineProperty(window, "__meterlinkPopupGuard", { value: true });
  const inTopFrame = (url) => {
    try {
      window.top.location.assign(new URL(String(url), location.href).href);
    } catch {
      location.assign(new URL(String(url), location.href).href);
    }
  };
  const opensWindow = (target) => {
    const name = String(target || "").toLowerCase();
    return name !== "" && name !== "_self" && name !== "_parent" && name !== "_top";
  };
  const open = function (url) {
    if (url !== undefined && url !== null && String(url) !== "") inTopFrame(url);
    return null;
  };
  Object.defineProperty(window, "open", { value: open, writable: false, configurable: false });
  const onActivate = (event) => {
    const path = typeof event.composedPath === "function" ? event.composedPath() : [event.target];
    const link = path.find((node) => node && (node.tagName === "A" || node.tagName === "AREA") && node.href);
    if (!link) return;
    const newWindow =
      event.button === 1 || event.ctrlKey || event.metaKey || event.shiftKey || opensWindow(link.target);
    if (!newWindow) return;
    event.preventDefault();
    inTopFrame(link.href);
  };
  document.addEventListener("click", onActivate, true);
  document.addEventListener("auxclick", onActivate, true);
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const target = (event.submitter && event.submitter.getAttribute("formtarget")) || form.target;
      if (!opensWindow(target)) return;
      if (event.submitter) event.submitter.setAttribute("formtarget", "_top");
      form.target = "_top";
    },
    true,
  );
})();`;
