import type { TPortalId } from "./accounts";
import { PORTALS, portalPath } from "./portals";

// A tiny cookie-keeping HTTP client for tests: `fetch` with redirects followed by hand so
// that every Set-Cookie along the way is kept, as a browser would. Also a shape-aware
// `signIn` that logs into any sandbox portal over plain HTTP (reading MFA codes from the
// control API), for tests elsewhere that need a signed-in session without a browser.

export type TPage = { status: number; url: string; text: string; headers: Headers };

export class CookieClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown } = {},
  ): Promise<TPage> {
    let url = new URL(path, this.baseUrl).toString();
    let method = init.method ?? (init.form || init.json !== undefined ? "POST" : "GET");
    let body: string | undefined;
    const headers: Record<string, string> = {};
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] = "application/json";
    }
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(url, {
        method,
        body,
        redirect: "manual",
        headers: { ...headers, cookie: this.cookieHeader() },
      });
      this.store(response.headers.getSetCookie());
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url).toString();
        method = "GET";
        body = undefined;
        delete headers["content-type"];
        continue;
      }
      return {
        status: response.status,
        url,
        text: await response.text(),
        headers: response.headers,
      };
    }
    throw new Error(`too many redirects from ${path}`);
  }

  async download(path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      redirect: "manual",
      headers: { cookie: this.cookieHeader() },
    });
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  }

  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key = "", val = ""] = a.trim().split("=");
        if (key.toLowerCase() === "max-age") return Number(val) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/**
 * Signs into a portal the way its pages would, returning the last page. With `control`,
 * MFA portals are taken through the code step using the code the control API shows.
 */
export async function signIn(
  client: CookieClient,
  portalId: TPortalId,
  username: string,
  password: string,
  options: { control?: boolean } = {},
): Promise<TPage> {
  const portal = PORTALS[portalId];
  const f = portal.fields;
  let page: TPage;
  if (portal.shape === "spa") {
    const api = await client.request(`/${portal.id}/api/session`, {
      json: { email: username, password },
    });
    if (api.status !== 200) return api;
    const { redirect } = JSON.parse(api.text) as { redirect: string };
    return client.request(redirect);
  }
  if (portal.shape === "two-step") {
    await client.request(portalPath(portal, "login"), { form: { [f.username]: username } });
    page = await client.request(portalPath(portal, "password"), {
      form: { [f.password]: password },
    });
  } else {
    page = await client.request(portalPath(portal, "login"), {
      form: { [f.username]: username, [f.password]: password },
    });
  }
  if (options.control && new URL(page.url).pathname === portalPath(portal, "code")) {
    const response = await fetch(
      new URL(`/_control/codes/${portal.id}/${encodeURIComponent(username)}`, client.baseUrl),
    );
    const { code } = (await response.json()) as { code: string };
    page = await client.request(portalPath(portal, "code"), { form: { [f.code]: code } });
  }
  return page;
}
