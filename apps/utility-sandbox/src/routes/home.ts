import type { FastifyInstance } from "fastify";
import { PORTAL_IDS, SANDBOX_ACCOUNTS } from "../accounts";
import { PORTALS, portalPath } from "../portals";
import { escapeHtml } from "../render";

// The sandbox's front door: every portal with its login shape and seeded accounts, so a
// developer or a demo audience can pick one without reading code.

function indexPage(): string {
  const cards = PORTAL_IDS.map((id) => {
    const portal = PORTALS[id];
    const accounts = SANDBOX_ACCOUNTS[id]
      .map(
        (a) =>
          `<tr data-portal="${id}" data-username="${escapeHtml(a.username)}"><td><code>${escapeHtml(a.username)}</code></td><td><code>${escapeHtml(a.password)}</code></td><td>${a.lockedAtStart ? "locked" : `${a.bills.length} bill${a.bills.length === 1 ? "" : "s"}`}${a.phone ? `, SMS to ${escapeHtml(a.phone)}` : ""}${portal.mfa === "email" && a.email ? `, email to ${escapeHtml(a.email)}` : ""}</td></tr>`,
      )
      .join("");
    return `<section class="portal" style="border-top:6px solid ${portal.theme.primary}">
<div class="head">${portal.theme.logo}<div><h2><a href="${portalPath(portal, "login")}">${escapeHtml(portal.name)}</a></h2>
<p>${escapeHtml(portal.utilityTypes.join(" + "))} · ${portal.country} · login shape <b>${portal.shape}</b>${portal.mfa === "none" ? "" : ` · ${portal.mfa.toUpperCase()} code`}</p></div></div>
<table><thead><tr><th>Username</th><th>Password</th><th>Notes</th></tr></thead><tbody>${accounts}</tbody></table>
</section>`;
  }).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Meterlink utility sandbox</title><link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1c2230}
header{background:#1c2230;color:#fff;padding:24px 32px}header h1{margin:0}header p{margin:6px 0 0;opacity:.8}
main{max-width:1100px;margin:0 auto;padding:24px;display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:20px}
.portal{background:#fff;border-radius:8px;padding:16px 20px;box-shadow:0 1px 6px rgba(0,0,0,.08)}
.head{display:flex;gap:12px;align-items:center}.head svg{background:#1c2230;border-radius:8px;padding:4px}.head h2{margin:0;font-size:20px}.head p{margin:4px 0 0;font-size:13px;color:#555}
table{width:100%;border-collapse:collapse;margin-top:12px;font-size:14px}th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #eee}
.bench{grid-column:1/-1}</style></head>
<body><header><h1>Meterlink utility sandbox</h1><p>Fake utility portals for development, demos, end-to-end tests and benchmarks. Nothing here is real.</p></header>
<main>${cards}
<section class="portal bench"><h2>Benchmarks</h2><p><a href="/bench/typing">/bench/typing</a> · <a href="/bench/animation">/bench/animation</a></p></section>
</main></body></html>`;
}

export function registerHome(app: FastifyInstance): void {
  const page = indexPage();
  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(page));
}
