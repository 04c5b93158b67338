// The inbound SMTP listener for forwarded MFA codes (`smtp-server` + `mailparser`): the
// owner's mailbox (a Gmail/Outlook forwarding rule) sends the utility's code email to
// `c-…@INBOUND_EMAIL_DOMAIN`; each message is parsed and handed, once per envelope
// recipient at our domain, to services/mfa/receive.ts, like the signed webhook's.
// `npm run dev` starts it on INBOUND_SMTP_PORT; in production an MX in front of it (or an
// inbound-mail provider posting to /hooks/inbound-email) does the internet-facing part.
// Only our domain is accepted (550 for anything else: never an open relay); a local part
// we do not know is accepted and recorded as "unknown address", not bounced, so the
// sender learns nothing about which addresses exist.
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { forwardingKeyOf } from "../services/mfa/match";
import { receiveForwardedMessage, type TInboundDeps } from "../services/mfa/receive";

/** A forwarded code email is small; anything bigger is not one (and is refused). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export type TInboundSmtp = { port: number; host: string; close(): Promise<void> };

export async function startInboundSmtp(
  deps: TInboundDeps,
  options: { host: string; port: number },
): Promise<TInboundSmtp> {
  const server = new SMTPServer({
    banner: "Meterlink inbound (forwarded MFA codes)",
    // Anyone's mail server may deliver to our addresses: no AUTH. No STARTTLS either: the
    // certificate belongs to the MX in front of this listener, not to it.
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (forwardingKeyOf(deps.inbound, address.address)) return callback();
      const refused = Object.assign(
        new Error(
          `Mailbox unavailable: this server only receives mail for @${deps.inbound.emailDomain}`,
        ),
        { responseCode: 550 },
      );
      callback(refused);
    },
    onData(stream, session, callback) {
      void (async () => {
        const parsed = await simpleParser(stream, { skipImageLinks: true, skipTextToHtml: true });
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(
            Object.assign(new Error("Message too large for a forwarded code"), {
              responseCode: 552,
            }),
          );
        }
        const html = typeof parsed.html === "string" ? parsed.html : "";
        const text = `${parsed.subject ?? ""}\n${parsed.text || html}`;
        // The envelope says which of our addresses it was forwarded to; the headers keep
        // the original recipient (the owner's own mailbox).
        for (const rcpt of session.envelope.rcptTo) {
          await receiveForwardedMessage(deps, {
            channel: "email",
            source: "smtp",
            deliveryId: null,
            to: [rcpt.address],
            text,
          });
        }
        callback();
      })().catch((error: unknown) => {
        deps.log.error({ err: error }, "inbound SMTP message could not be processed");
        callback(
          Object.assign(new Error("Temporary failure, try again later"), { responseCode: 451 }),
        );
      });
    },
  });
  server.on("error", (error) => deps.log.error({ err: error }, "inbound SMTP listener error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    host: options.host,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
