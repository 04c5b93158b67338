import pino, { type Logger } from "pino";

// Every path that may carry a secret is censored before a line is written. Services
// also never put secrets in messages; this is the second wall.
export const REDACT_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "*.*.token",
  "code",
  "*.code",
  "sealedCredential",
  "*.sealedCredential",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
];

export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: {
        // Query strings can carry invitation tokens: log the path only.
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split("?")[0]?.replace(/\/p\/i\/[^/]+/, "/p/i/[token]"),
        }),
      },
    },
    options.destination,
  );
}
