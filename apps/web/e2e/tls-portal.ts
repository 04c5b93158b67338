// A utility's sign-in portal over real TLS on loopback, under a made-up public name: the
// product only opens https addresses with a public name, and only loopback exists here.
// The certificate is self-signed at test time; the test's worker pins its public key
// (TWorkerOptions.trustedCertificateSpki) and its egress lookup maps the name to 127.0.0.1.
import { createHash, X509Certificate } from "node:crypto";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";

export type TPortalAttempt = { username: string; result: "success" | "failure" };

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/**
 * Serves GET /sign-in (a form, and a link to `otherSite` on another domain), POST
 * /sign-in (`password` right → 303 to /account, else the form with an error).
 */
export async function startTlsPortal(options: {
  hostname: string;
  name: string;
  password: string;
  otherSite: string;
}) {
  const pems = await generate([{ name: "commonName", value: options.hostname }], {
    keyType: "ec",
    curve: "P-256",
    extensions: [
      { name: "subjectAltName", altNames: [{ type: 2, value: options.hostname }] },
      { name: "extKeyUsage", serverAuth: true },
    ],
  });
  // What Chromium's --ignore-certificate-errors-spki-list takes: base64 SHA-256 of the SPKI.
  const spki = createHash("sha256")
    .update(new X509Certificate(pems.cert).publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
  const attempts: TPortalAttempt[] = [];
  const form = (error: string) =>
    page(
      `Sign in · ${options.name}`,
      `<h1>${options.name}</h1>${error ? `<p role="alert">${error}</p>` : ""}
<form method="post" action="/sign-in">
<label>Username <input id="username" name="username" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>
<p><a id="elsewhere" href="${options.otherSite}">Pay with our partner</a></p>`,
    );
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const path = new URL(req.url ?? "/", "https://portal").pathname;
    const html = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(body);
    };
    if (req.method === "GET" && path === "/sign-in") return html(200, form(""));
    if (req.method === "GET" && path === "/account") {
      return html(200, page("Your account", "<h1>Your account</h1><p>Welcome back.</p>"));
    }
    if (req.method === "POST" && path === "/sign-in") {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      req.on("end", () => {
        const fields = new URLSearchParams(body);
        const ok = fields.get("password") === options.password;
        attempts.push({
          username: fields.get("username") ?? "",
          result: ok ? "success" : "failure",
        });
        if (!ok) return html(200, form("Incorrect username or password."));
        res.writeHead(303, { location: "/account" });
        res.end();
      });
      return;
    }
    html(404, page("Not found", "<h1>Not found</h1>"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    spki,
    /** The portal's sign-in address, by its public name. */
    signInUrl: `https://${options.hostname}:${port}/sign-in`,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
