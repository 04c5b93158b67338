// Which network addresses the remote browser may reach. Invariant: an address is refused
// unless it is ordinary public unicast; every private, loopback, link-local, CGNAT,
// multicast, unspecified, reserved and cloud-metadata address is refused, including when
// it hides inside an IPv6 form (IPv4-mapped, NAT64, 6to4). Anything we cannot parse is
// refused too: failing closed is the only safe default for an egress guard.
//
// One classification for every outbound connection the product makes on someone else's
// behalf: the browser worker's egress proxy (apps/browser-worker/src/egress/proxy.ts) and
// the webhook deliverer (apps/api/src/services/webhooks/guarded-agent.ts) both apply it
// at connect time, to the very address they connect to, so they refuse the same
// addresses the same way. Parsing is ipaddr.js's; the table of what is refused is ours
// (ipaddr.js names ranges but has no cloud-metadata hosts and counts IPv4-compatible
// `::a.b.c.d` as unicast). Pure functions, no Node built-ins: safe in any bundle
// (a subpath export, never re-exported from the package root).
import ipaddr from "ipaddr.js";

const net = {
  isIPv4: (value: string) => ipaddr.IPv4.isValidFourPartDecimal(value),
  isIPv6: (value: string) => value.includes(":") && ipaddr.IPv6.isValid(value),
};

export type THostLiteral =
  | { kind: "ip"; family: 4 | 6; address: string }
  | { kind: "name"; hostname: string };

type TV4Range = { base: number; bits: number; reason: string };

function ipv4ToNumber(ip: string): number {
  const parts = ip.split(".").map(Number);
  // Callers only pass strings that net.isIPv4 accepted, so there are exactly four octets.
  return (
    (((parts[0] ?? 0) << 24) |
      ((parts[1] ?? 0) << 16) |
      ((parts[2] ?? 0) << 8) |
      (parts[3] ?? 0)) >>>
    0
  );
}

function v4(cidr: string, reason: string): TV4Range {
  const [base = "", bits = "32"] = cidr.split("/");
  return { base: ipv4ToNumber(base), bits: Number(bits), reason };
}

// Order matters: the first match gives the reason, so single metadata hosts come before
// the wider ranges that contain them (operators should see "cloud metadata", not "link-local").
const V4_FORBIDDEN: TV4Range[] = [
  v4("169.254.169.254/32", "cloud metadata address"), // AWS, GCP, Azure, OCI, DigitalOcean
  v4("169.254.170.2/32", "cloud metadata address"), // AWS ECS task credentials
  v4("100.100.100.200/32", "cloud metadata address"), // Alibaba Cloud
  v4("168.63.129.16/32", "cloud metadata address"), // Azure wireserver: public-looking, still internal
  v4("0.0.0.0/8", "unspecified address"),
  v4("10.0.0.0/8", "private address"),
  v4("100.64.0.0/10", "carrier-grade NAT address"),
  v4("127.0.0.0/8", "loopback address"),
  v4("169.254.0.0/16", "link-local address"),
  v4("172.16.0.0/12", "private address"),
  v4("192.0.0.0/24", "reserved address"),
  v4("192.0.2.0/24", "documentation address"),
  v4("192.88.99.0/24", "reserved address"),
  v4("192.168.0.0/16", "private address"),
  v4("198.18.0.0/15", "benchmarking address"),
  v4("198.51.100.0/24", "documentation address"),
  v4("203.0.113.0/24", "documentation address"),
  v4("224.0.0.0/4", "multicast address"),
  v4("240.0.0.0/4", "reserved address"), // includes 255.255.255.255 broadcast
];

function forbiddenV4(value: number): string | null {
  for (const range of V4_FORBIDDEN) {
    const mask = range.bits === 0 ? 0 : (0xffffffff << (32 - range.bits)) >>> 0;
    if ((value & mask) >>> 0 === (range.base & mask) >>> 0) return range.reason;
  }
  return null;
}

/**
 * An IPv6 address as ipaddr.js holds it. The WHATWG URL parser spells it first, because
 * ipaddr.js reads a dotted tail `::a.b.c.d` as IPv4-MAPPED (`::ffff:a.b.c.d`), which is
 * another address than the IPv4-compatible one the kernel would connect to.
 */
function parseV6(ip: string) {
  return ipaddr.IPv6.parse(new URL(`http://[${ip}]/`).hostname.slice(1, -1));
}

/** Eight 16-bit groups of a (zone-free, valid) IPv6 address. */
function ipv6Groups(ip: string): number[] {
  return parseV6(ip).parts;
}

function embeddedV4(high: number, low: number): number {
  return ((high << 16) | low) >>> 0;
}

function forbiddenV6(ip: string): string | null {
  const g = ipv6Groups(ip);
  const at = (i: number) => g[i] ?? 0;
  const firstSixZero = [0, 1, 2, 3, 4].every((i) => at(i) === 0);

  if (g.every((x) => x === 0)) return "unspecified address";
  if (firstSixZero && at(5) === 0 && at(6) === 0 && at(7) === 1) return "loopback address";
  // IPv4-mapped (::ffff:a.b.c.d): the kernel connects to the IPv4 address itself.
  if (firstSixZero && at(5) === 0xffff) return forbiddenV4(embeddedV4(at(6), at(7)));
  // NAT64 well-known prefix: a NAT64 gateway forwards to the embedded IPv4 address.
  if (at(0) === 0x64 && at(1) === 0xff9b && [2, 3, 4, 5].every((i) => at(i) === 0)) {
    return forbiddenV4(embeddedV4(at(6), at(7)));
  }
  // 6to4 embeds an IPv4 address in bits 16..48.
  if (at(0) === 0x2002) return forbiddenV4(embeddedV4(at(1), at(2)));

  const first = at(0);
  if ((first & 0xfe00) === 0xfc00) return "unique local address"; // fc00::/7, incl. fd00::/8
  if ((first & 0xffc0) === 0xfe80) return "link-local address";
  if ((first & 0xffc0) === 0xfec0) return "site-local address";
  if ((first & 0xff00) === 0xff00) return "multicast address";
  // Only 2000::/3 is allocated as global unicast; everything else (IPv4-compatible ::/96,
  // discard 100::/64, local-use NAT64 64:ff9b:1::/48, ...) is not a public destination.
  if ((first & 0xe000) !== 0x2000) return "reserved address";
  if (first === 0x2001 && at(1) === 0x0db8) return "documentation address";
  if (first === 0x3fff && (at(1) & 0xf000) === 0) return "documentation address"; // 3fff::/20
  // 2001::/23 holds Teredo, ORCHID, benchmarking and other special-purpose blocks.
  if (first === 0x2001 && at(1) < 0x0200) return "reserved address";
  return null;
}

/** Strips an IPv6 zone id (`fe80::1%eth0`), which getaddrinfo may return. */
function withoutZone(ip: string): string {
  const percent = ip.indexOf("%");
  return percent === -1 ? ip : ip.slice(0, percent);
}

/**
 * Why the address must not be contacted, or null when it is ordinary public unicast.
 * Takes a resolved IP address string (as returned by dns.lookup), not a hostname.
 */
export function isForbiddenAddress(ip: string): string | null {
  const address = withoutZone(ip.trim());
  if (net.isIPv4(address)) return forbiddenV4(ipv4ToNumber(address));
  if (net.isIPv6(address)) return forbiddenV6(address);
  return "not an IP address";
}

/**
 * One spelling per address, so allow-list entries match however the address was written:
 * IPv4 dotted quad, IPv4-mapped IPv6 unwrapped to IPv4, other IPv6 in canonical form.
 * Returns null for anything that is not an IP address.
 */
export function canonicalAddress(ip: string): string | null {
  const address = withoutZone(ip.trim());
  if (net.isIPv4(address)) return address;
  if (!net.isIPv6(address)) return null;
  const parsed = parseV6(address);
  if (parsed.isIPv4MappedAddress()) return parsed.toIPv4Address().toString();
  return parsed.toString();
}

// Characters that would let a "host" smuggle a path, credentials or a port into the URL
// we build for parsing. Colons are only legal inside brackets (IPv6).
const NOT_A_HOST = /[\s/\\?#@]/;

/**
 * Parses a URL or CONNECT host the way Chromium does (the WHATWG host parser), so every
 * spelling of an IP literal (`2130706433`, `0x7f.1`, `0177.0.0.1`, `[::ffff:127.0.0.1]`,
 * percent-encoded or full-width digits) becomes the address it really denotes.
 * A bare IPv6 address without brackets is accepted too, as CONNECT clients vary.
 * Returns null for malformed hosts, which callers must refuse.
 */
export function parseHostLiteral(host: string): THostLiteral | null {
  if (host === "" || NOT_A_HOST.test(host)) return null;
  if (!host.startsWith("[") && net.isIPv6(host)) {
    return { kind: "ip", family: 6, address: canonicalAddress(host) ?? host };
  }
  if (host.includes(":") && !(host.startsWith("[") && host.endsWith("]"))) return null;

  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
  if (hostname.startsWith("[")) {
    const inner = hostname.slice(1, -1);
    const address = canonicalAddress(inner);
    if (address === null) return null;
    return { kind: "ip", family: net.isIPv4(address) ? 4 : 6, address };
  }
  if (net.isIPv4(hostname)) return { kind: "ip", family: 4, address: hostname };

  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  if (name === "" || name.length > 253 || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) return null;
  return { kind: "name", hostname: name };
}
