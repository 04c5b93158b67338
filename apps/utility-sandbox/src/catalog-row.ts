// A sandbox portal's catalog row, as the API's catalog stores it: one place for the shape
// every sandbox portal shares (the portals keep only what differs).

/** URL.hostname keeps IPv6 brackets ("[::1]"); allow-lists compare bare addresses. */
export function bareHostname(base: URL): string {
  return base.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** A portal with no collection rules: stored as the empty default, which is what "no rules" means. */
export function rulelessProviderRow(
  portal: {
    id: string;
    name: string;
    loginPath: string;
    country?: string;
    utility?: "electricity" | "gas" | "water";
    mfa?: "none" | "sms" | "email";
  },
  baseUrl: string,
) {
  const base = new URL(baseUrl);
  return {
    id: portal.id,
    name: portal.name,
    country: portal.country ?? "US",
    loginUrl: `${base.origin}${portal.loginPath}`,
    allowedHostnames: [bareHostname(base)],
    utilityTypes: [portal.utility ?? "electricity"],
    mfa: portal.mfa ?? "none",
    isSandbox: true as const,
  };
}
