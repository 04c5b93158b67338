// The only way webhook deliveries reach the network when private addresses are off
// (production). The check happens inside the connect itself: the name is resolved once,
// every resolved address is classified (@meterlink/shared/address, the same rules as the
// browser worker's egress proxy), and the socket is opened to the address that was
// checked, never to the name again. A separate "check, then fetch" lets a DNS answer
// change in between (rebinding) and misses literal forms such as `[::]`.
import { lookup } from "node:dns/promises";
import { isForbiddenAddress, parseHostLiteral } from "@meterlink/shared/address";
import { Agent, buildConnector } from "undici";

/** Carries the reason a destination was refused (no secret, no response body). */
export class PrivateDestinationError extends Error {
  override name = "PrivateDestinationError";
}

async function checkedAddress(host: string): Promise<string> {
  const literal = parseHostLiteral(host);
  if (!literal) throw new PrivateDestinationError("refused: the endpoint's host is not valid");
  const candidates =
    literal.kind === "ip"
      ? [literal.address]
      : (await lookup(literal.hostname, { all: true, verbatim: true })).map((r) => r.address);
  // One bad address refuses the whole name: connecting to "the public one" would let
  // the resolver pick for us next time.
  for (const address of candidates) {
    const reason = isForbiddenAddress(address);
    if (reason) throw new PrivateDestinationError(`refused: the endpoint resolves to a ${reason}`);
  }
  const [first] = candidates;
  if (!first) throw new PrivateDestinationError("refused: the endpoint's name does not resolve");
  return first;
}

/** An undici dispatcher that connects only to public addresses. */
export function publicOnlyAgent(): Agent {
  const connect = buildConnector({});
  return new Agent({
    connect(options, callback) {
      checkedAddress(options.hostname).then(
        (address) =>
          connect(
            {
              ...options,
              hostname: address,
              // TLS still verifies the certificate for the name the endpoint was given.
              servername:
                options.servername ??
                (parseHostLiteral(options.hostname)?.kind === "name"
                  ? options.hostname
                  : undefined),
            },
            callback,
          ),
        (error: unknown) => callback(error as Error, null),
      );
    },
  });
}
