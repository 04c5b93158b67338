// A utility's website, reduced to what the remote browser may load: its registrable
// domain (public-suffix aware, so "thameswater.co.uk", never "co.uk"), never free text.
// IP literals, localhost and names without a public suffix are refused here; the worker's
// egress guard still checks every resolved address at browse time.
import { AppError } from "@meterlink/shared";
import { parse } from "tldts";

export type TPublicSite = { url: string; registrableDomain: string; allowedHostnames: string[] };

export function publicSite(raw: string, field = "url"): TPublicSite {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw AppError.field(field, "Enter the full web address, starting with https://.");
  }
  if (url.protocol !== "https:") {
    throw AppError.field(field, "Only https addresses are allowed: use the https:// address.");
  }
  const parsed = parse(url.hostname);
  if (parsed.isIp || !parsed.domain || !parsed.isIcann) {
    throw AppError.field(
      field,
      "That address is not a public website (private, loopback or link-local addresses are refused). Enter the utility's public https address.",
    );
  }
  return {
    url: url.toString(),
    registrableDomain: parsed.domain,
    allowedHostnames: [`*.${parsed.domain}`],
  };
}
