// Whether an address a person typed may become a utility the remote browser loads: https,
// a public registrable domain (tldts), and neither the host itself nor any address its
// name resolves to private, loopback, link-local or metadata (the shared classification
// the egress guard applies). A name that does not resolve from here is accepted: the
// worker's egress guard checks every address again at browse time.
import { lookup } from "node:dns/promises";
import { AppError } from "@meterlink/shared";
import { isForbiddenAddress, parseHostLiteral } from "@meterlink/shared/address";
import { publicSite, type TPublicSite } from "./public-site";

export type TResolveHost = (hostname: string) => Promise<string[]>;

const systemResolve: TResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((found) => found.address);

const REFUSED =
  "is not a public website address (private, loopback and link-local addresses are refused). Enter the utility's public https address.";

export async function checkUtilityUrl(
  raw: string,
  options: { field?: string; resolve?: TResolveHost } = {},
): Promise<TPublicSite> {
  const field = options.field ?? "url";
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw AppError.field(field, "Enter the full web address, starting with https://.");
  }
  if (url.protocol !== "https:") {
    throw AppError.field(field, "Only https addresses are allowed: use the https:// address.");
  }
  const literal = parseHostLiteral(url.host.replace(/:\d+$/, ""));
  if (!literal) throw AppError.field(field, `“${url.hostname}” ${REFUSED}`);
  if (literal.kind === "ip") {
    const reason = isForbiddenAddress(literal.address);
    throw AppError.field(
      field,
      reason
        ? `${literal.address} is a ${reason}: enter the utility's public https website instead.`
        : "Enter the utility's website name (like https://www.example.com), not an IP address.",
    );
  }
  const site = publicSite(url.toString(), field);
  let addresses: string[] = [];
  try {
    addresses = await (options.resolve ?? systemResolve)(url.hostname);
  } catch {
    // Not resolvable from here: the egress guard decides at browse time.
  }
  const forbidden = addresses.find((address) => isForbiddenAddress(address) !== null);
  if (forbidden) {
    throw AppError.field(
      field,
      `${url.hostname} points to ${forbidden}, a ${isForbiddenAddress(forbidden)}: only public websites can be opened in the secure browser.`,
    );
  }
  return site;
}
