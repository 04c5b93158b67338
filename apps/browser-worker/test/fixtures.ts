// Small login pages served on loopback, one per way portals submit a login. Every input
// sits at a fixed position (see POS) so tests click by coordinates, like a client does.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const RIGHT_PASSWORD = "right-pass-Ω7";
export const MFA_CODE = "482913";

/** Centres of the fixed-position controls, in CSS px of the viewport. */
export const POS = {
  first: { x: 120, y: 35 },
  second: { x: 120, y: 85 },
  submit: { x: 70, y: 135 },
} as const;

const STYLE = `<style>
body{margin:0;font:16px sans-serif}
.f1,.f2,.btn{position:absolute;left:20px;box-sizing:border-box;height:30px}
.f1,.f2{width:200px}.f1{top:20px}.f2{top:70px}.btn{top:120px;width:100px}
.msg{position:absolute;top:170px;left:20px}
</style>`;

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${STYLE}</head><body>${body}</body></html>`;
}

const SIGNED_IN = page("Account", `<h1 class="msg">Welcome back, you are signed in.</h1>`);

export type TReceived = { route: string; username?: string; password?: string; code?: string };

export type TFixtures = {
  url: string;
  host: string;
  received: TReceived[];
  close(): Promise<void>;
};

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function form(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}

const safeValue = (value: string) => value.replace(/[^\w@.+-]/g, "");

// After a failed attempt the portal keeps the username, like most real ones.
const plainForm = (action: string, error = "", username = "") =>
  `<form method="post" action="${action}">
    <input class="f1" id="username" name="username" autocomplete="username" value="${safeValue(username)}">
    <input class="f2" id="password" name="password" type="password">
    <button class="btn" type="submit">Sign in</button>
  </form>${error ? `<p class="msg error">${error}</p>` : ""}`;

export async function startFixtures(): Promise<TFixtures> {
  const received: TReceived[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });

  const html = (res: ServerResponse, content: string, status = 200, headers = {}) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
    res.end(content);
  };
  const redirect = (res: ServerResponse, location: string) => {
    res.writeHead(303, { location }).end();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fixture");
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "GET /plain": {
        // ?mark=X: the portal drops a cookie and a localStorage entry (isolation tests).
        const mark = url.searchParams.get("mark");
        const content = plainForm("/plain/login");
        if (!mark) return html(res, page("Sign in", content));
        return html(
          res,
          page(
            "Sign in",
            `${content}<script>localStorage.setItem("mark", "${safeValue(mark)}")</script>`,
          ),
          200,
          { "set-cookie": `mark=${safeValue(mark)}; Path=/` },
        );
      }
      case "POST /plain/login": {
        const f = form(await body(req));
        received.push({ route, username: f.username, password: f.password });
        if (f.password === RIGHT_PASSWORD) return redirect(res, "/account/home");
        return html(
          res,
          page(
            "Sign in",
            plainForm("/plain/login", "Incorrect username or password.", f.username ?? ""),
          ),
        );
      }
      case "GET /account/home":
        return html(res, SIGNED_IN);
      case "GET /fetch":
        return html(
          res,
          page(
            "Sign in",
            `<input class="f1" id="email" type="email">
             <input class="f2" id="pw" type="password">
             <button class="btn" id="go" type="button">Log in</button>
             <div class="msg" id="err"></div>
             <script>
               document.getElementById("go").addEventListener("click", async () => {
                 const r = await fetch("/api/login", { method: "POST", headers: {"content-type":"application/json"},
                   body: JSON.stringify({ email: document.getElementById("email").value, password: document.getElementById("pw").value }) });
                 if (r.ok) location.href = "/app/dashboard";
                 else document.getElementById("err").textContent = "Invalid credentials";
               });
             </script>`,
          ),
        );
      case "POST /api/login": {
        const data: unknown = JSON.parse(await body(req));
        const value = (key: string) =>
          typeof data === "object" && data !== null && key in data
            ? String((data as Record<string, unknown>)[key])
            : undefined;
        received.push({
          route,
          username: value("email"),
          password: value("password"),
        });
        res.writeHead(value("password") === RIGHT_PASSWORD ? 200 : 401).end();
        return;
      }
      case "GET /app/dashboard":
        return html(res, SIGNED_IN);
      case "GET /two-step":
        return html(
          res,
          page(
            "Sign in",
            `<form method="post" action="/two-step/identifier">
              <input class="f1" id="user" name="username" autocomplete="username">
              <button class="btn" type="submit">Next</button></form>`,
          ),
        );
      case "POST /two-step/identifier": {
        const f = form(await body(req));
        return redirect(res, `/two-step/password?u=${encodeURIComponent(f.username ?? "")}`);
      }
      case "GET /two-step/password":
        return html(
          res,
          page(
            "Password",
            `<form method="post" action="/two-step/password">
              <input type="hidden" name="username" value="${(url.searchParams.get("u") ?? "").replace(/[^\w@.-]/g, "")}">
              <input class="f2" id="password" name="password" type="password">
              <button class="btn" type="submit">Sign in</button></form>`,
          ),
        );
      case "POST /two-step/password": {
        const f = form(await body(req));
        received.push({ route, username: f.username, password: f.password });
        if (f.password === RIGHT_PASSWORD) return redirect(res, "/account/home");
        return redirect(res, "/two-step");
      }
      case "GET /iframe":
        return html(
          res,
          page(
            "Sign in",
            `<iframe src="/iframe-inner" style="position:absolute;left:0;top:0;width:400px;height:300px;border:0"></iframe>`,
          ),
        );
      case "GET /iframe-inner":
        return html(
          res,
          page(
            "inner",
            `<form method="post" action="/plain/login" target="_top">
              <input class="f1" name="username">
              <input class="f2" name="password" type="password">
              <button class="btn" type="submit">Sign in</button></form>`,
          ),
        );
      case "GET /shadow":
        return html(
          res,
          page(
            "Sign in",
            `<login-box></login-box>
             <script>
               customElements.define("login-box", class extends HTMLElement {
                 connectedCallback() {
                   const root = this.attachShadow({ mode: "open" });
                   root.innerHTML = ${JSON.stringify(STYLE)} + '<input class="f1" id="u" name="customer-id"><input class="f2" id="p" type="password"><button class="btn" id="b">Go</button>';
                   root.getElementById("b").addEventListener("click", async () => {
                     const r = await fetch("/api/login", { method: "POST", body: JSON.stringify({ email: root.getElementById("u").value, password: root.getElementById("p").value }) });
                     if (r.ok) location.href = "/app/dashboard";
                   });
                 }
               });
             </script>`,
          ),
        );
      case "GET /mfa":
        return html(res, page("Sign in", plainForm("/mfa/login")));
      case "POST /mfa/login": {
        const f = form(await body(req));
        received.push({ route, username: f.username, password: f.password });
        if (f.password === RIGHT_PASSWORD) return redirect(res, "/mfa/code");
        return html(res, page("Sign in", plainForm("/mfa/login", "Incorrect password.")));
      }
      case "GET /mfa/code":
        return html(
          res,
          page(
            "Verify",
            `<form method="post" action="/mfa/verify">
              <input class="f1" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code">
              <button class="btn" type="submit">Verify</button></form>
             <p class="msg">Enter the verification code we sent to your phone.</p>`,
          ),
        );
      case "POST /mfa/verify": {
        const f = form(await body(req));
        received.push({ route, code: f.otp });
        if (f.otp === MFA_CODE) return redirect(res, "/account/home");
        return redirect(res, "/mfa/code");
      }
      case "GET /animate":
        return html(
          res,
          page(
            "Animate",
            `<div class="msg" id="n" style="font-size:64px">0</div>
             <script>let n = 0; setInterval(() => { document.getElementById("n").textContent = String(++n); }, 16);</script>`,
          ),
        );
      case "GET /dialog":
        return html(
          res,
          page(
            "Dialog",
            `<button class="btn" id="b" onclick="document.getElementById('r').textContent = confirm('Leave?') ? 'yes' : 'no'">Ask</button><p class="msg" id="r"></p>`,
          ),
        );
      case "GET /quiet": {
        // A portal that gives no sign either way: after the sign-in it stays on the same
        // address and shows neither a form nor an error (the worker cannot tell).
        if (url.searchParams.has("done"))
          return html(res, page("Portal", "<p class=msg>Hello.</p>"));
        return html(res, page("Sign in", plainForm("/quiet/login")));
      }
      case "POST /quiet/login": {
        const f = form(await body(req));
        received.push({ route, username: f.username, password: f.password });
        return redirect(res, "/quiet?done=1");
      }
      case "GET /popups": {
        // Every way a page opens another window, all aimed off the list (another host name
        // for this same server, so a request that leaks is seen here). The plain link gets a
        // new address on each press: Chromium drops a navigation that repeats one still under
        // way (its double-click guard), and on a loaded box the previous refusal may still be.
        const off = `http://localhost:${req.headers.host?.split(":")[1] ?? ""}/offlist-hit`;
        return html(
          res,
          page(
            "Popups",
            `<a class="f1" href="${off}?via=blank" target="_blank">New tab</a>
<button class="f2" onclick="window.open('${off}?via=open')">Open window</button>
<a class="btn" href="${off}?via=modified" onmousedown="this.dataset.n = Number(this.dataset.n || 0) + 1; this.href = '${off}?via=modified&n=' + this.dataset.n">Link</a>
<form id="f" action="${off}" target="_blank"><input name="via" value="form"></form>`,
          ),
        );
      }
      case "GET /webrtc": {
        // Gathers ICE candidates against a STUN server on loopback (?stun=port); the
        // result lands in the title: "done:<candidate types>".
        const stun = Number(url.searchParams.get("stun"));
        return html(
          res,
          page(
            "WebRTC",
            `<script>
(async () => {
  const types = [];
  try {
    const pc = new RTCPeerConnection({ iceServers: [{ urls: "stun:127.0.0.1:${stun}" }] });
    pc.onicecandidate = (e) => { if (e.candidate) types.push(e.candidate.type || "?"); };
    pc.createDataChannel("probe");
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((r) => setTimeout(r, 2500));
  } catch (error) { types.push("error:" + error.name); }
  document.title = "done:" + types.join(",");
})();
</script>`,
          ),
        );
      }
      case "GET /offlist-hit":
        received.push({ route });
        return html(res, page("Off the list", "<p>off the list</p>"));
      case "GET /outside":
        return html(
          res,
          page("Links", `<a class="btn" href="http://localhost:1/elsewhere">Elsewhere</a>`),
        );
      default:
        res.writeHead(404).end();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
