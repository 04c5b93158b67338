// The dev inbox at `GET /`: a list of messages (newest first) and the selected one. The
// email's HTML is shown in a sandboxed iframe (`srcdoc`, no scripts, no same origin) so a
// template can never run code in the sink's page; its links open in a new tab.

import { extractLinks } from "./links";
import type { TSinkMessage } from "./store";

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #111827; display: flex; height: 100vh; }
  nav { width: 340px; border-right: 1px solid #e5e7eb; overflow-y: auto; flex-shrink: 0; }
  nav header { display: flex; gap: 8px; align-items: center; padding: 12px; border-bottom: 1px solid #e5e7eb; }
  nav header h1 { font-size: 16px; margin: 0; flex: 1; }
  nav a.item { display: block; padding: 10px 12px; border-bottom: 1px solid #f3f4f6; color: inherit; text-decoration: none; }
  nav a.item:hover { background: #f9fafb; }
  nav a.item.selected { background: #eff6ff; }
  .muted { color: #6b7280; font-size: 12px; }
  .subject { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  main { flex: 1; display: flex; flex-direction: column; overflow-y: auto; padding: 16px; gap: 12px; }
  main h2 { margin: 0; font-size: 18px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
  dt { color: #6b7280; }
  dd { margin: 0; word-break: break-all; }
  iframe { width: 100%; min-height: 480px; border: 1px solid #e5e7eb; border-radius: 6px; background: white; }
  pre { white-space: pre-wrap; background: #f9fafb; padding: 12px; border-radius: 6px; margin: 0; }
  button { font: inherit; padding: 4px 10px; cursor: pointer; }
  .empty { padding: 24px; color: #6b7280; }
  ul.links { margin: 0; padding-left: 18px; word-break: break-all; }
  form.sms { display: flex; flex-direction: column; gap: 6px; padding: 12px; border-bottom: 1px solid #e5e7eb; background: #f9fafb; }
  form.sms label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: #374151; }
  form.sms input, form.sms textarea { font: inherit; padding: 4px 6px; }
`;

function listItem(message: TSinkMessage, selectedId: string | undefined): string {
  const selected = message.id === selectedId ? " selected" : "";
  return `<a class="item${selected}" href="/?id=${encodeURIComponent(message.id)}">
  <div class="subject">${escapeHtml(message.subject || "(no subject)")}</div>
  <div class="muted">To ${escapeHtml(message.to.join(", "))}</div>
  <div class="muted"><time datetime="${message.createdAt}">${escapeHtml(message.createdAt)}</time></div>
</a>`;
}

/**
 * Only web and mail links become clickable: an email's `javascript:` or `data:` link
 * would run in the sink's own origin. Parsed by URL (as a browser would: it strips tabs
 * and newlines and lowercases the scheme), so no spelling slips through.
 */
function isSafeLink(href: string): boolean {
  try {
    return ["http:", "https:", "mailto:"].includes(new URL(href).protocol);
  } catch {
    return false;
  }
}

function detail(message: TSinkMessage): string {
  const links = extractLinks(message.html);
  // `<base target=_blank>` makes links leave the sandbox in a new tab instead of doing nothing.
  const srcdoc = message.html === null ? null : `<base target="_blank">${message.html}`;
  const rows: [string, string][] = [
    ["From", message.from],
    ["To", message.to.join(", ")],
    ...(message.cc.length > 0 ? ([["Cc", message.cc.join(", ")]] as [string, string][]) : []),
    ...(message.bcc.length > 0 ? ([["Bcc", message.bcc.join(", ")]] as [string, string][]) : []),
    ...(message.replyTo.length > 0
      ? ([["Reply-To", message.replyTo.join(", ")]] as [string, string][])
      : []),
    ["Date", message.createdAt],
    ["Id", message.id],
    ...(message.tags.length > 0
      ? ([["Tags", message.tags.map((tag) => `${tag.name}=${tag.value}`).join(", ")]] as [
          string,
          string,
        ][])
      : []),
  ];
  return `<h2>${escapeHtml(message.subject || "(no subject)")}</h2>
<dl>${rows.map(([name, value]) => `<dt>${name}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>
${
  srcdoc === null
    ? ""
    : `<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(srcdoc)}"></iframe>`
}
${
  links.length > 0
    ? `<section><strong>Links</strong><ul class="links">${links
        .map(
          (link) =>
            `<li>${
              isSafeLink(link.href)
                ? `<a href="${escapeHtml(link.href)}" target="_blank" rel="noreferrer">${escapeHtml(link.href)}</a>`
                : `<code>${escapeHtml(link.href)}</code> <span class="muted">(not a web link: not clickable)</span>`
            }${link.text && link.text !== link.href ? ` <span class="muted">(${escapeHtml(link.text)})</span>` : ""}</li>`,
        )
        .join("")}</ul></section>`
    : ""
}
${message.text === null ? "" : `<section><strong>Text part</strong><pre>${escapeHtml(message.text)}</pre></section>`}`;
}

/** The "send an SMS to a number" form (the sink posts it to the API as Twilio would). */
function smsForm(sms: { number: string; outcome: string | null }): string {
  return `<form class="sms" method="post" action="/sms" aria-label="Send an SMS to a number">
  <strong>Send an SMS to a number</strong>
  <span class="muted">Posted to the API as a signed Twilio webhook, as if a phone forwarded it.</span>
  <label>To <input name="to" value="${escapeHtml(sms.number)}" required></label>
  <label>From <input name="from" value="+13035550142" required></label>
  <label>Text <textarea name="body" rows="3" required placeholder="Summit Gas: your verification code is 123456"></textarea></label>
  <button type="submit">Send SMS</button>
  ${sms.outcome ? `<output role="status">SMS ${escapeHtml(sms.outcome)}</output>` : ""}
</form>`;
}

export function renderInboxPage(
  messages: TSinkMessage[],
  selectedId: string | undefined,
  sms: { number: string; outcome: string | null } | null = null,
): string {
  const selected =
    (selectedId === undefined ? undefined : messages.find((m) => m.id === selectedId)) ??
    messages[0];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail sink (${messages.length})</title>
<style>${STYLE}</style>
</head>
<body>
<nav>
  <header>
    <h1>Mail sink</h1>
    <a href="/"><button type="button">Refresh</button></a>
    <button type="button" id="clear">Clear</button>
  </header>
  ${sms ? smsForm(sms) : ""}
  ${messages.length === 0 ? '<div class="empty">No messages yet.</div>' : messages.map((m) => listItem(m, selected?.id)).join("\n")}
</nav>
<main>
  ${selected === undefined ? '<div class="empty">Emails sent through the sink appear here.</div>' : detail(selected)}
</main>
<script>
  document.getElementById("clear").addEventListener("click", async () => {
    await fetch("/api/messages", { method: "DELETE" });
    location.href = "/";
  });
</script>
</body>
</html>`;
}
