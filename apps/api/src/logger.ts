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

// A failed query's error carries every bound value: drizzle puts them in its message
// ("Failed query: … params: …") and a `params` field, and Postgres's `detail` quotes the
// offending row ("Key (email)=(…) already exists"). Bound values are token hashes,
// ciphertexts and emails, so a query error is logged by its SQL text and error code only.
const BOUND_VALUE_FIELDS = new Set(["params", "parameters", "args", "detail", "where"]);
const PARAMS_IN_MESSAGE = /\nparams: [\s\S]*$/;
const PARAMS_IN_STACK = /\nparams: [\s\S]*?(?=\n\s+at |$)/g;

function withoutBoundValues(value: string): string {
  return value.replace(PARAMS_IN_MESSAGE, "");
}

/** pino's error serializer, minus every field or message tail that holds query parameters. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 5) return error;
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  const clean: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(serialized)) {
    if (BOUND_VALUE_FIELDS.has(key)) continue;
    clean[key] = typeof field === "string" ? withoutBoundValues(field) : field;
  }
  if (typeof clean.stack === "string") {
    // A stack starts with its message, parameters included (its causes' too).
    clean.stack = clean.stack.replace(PARAMS_IN_STACK, "");
  }
  if (error.cause !== undefined) clean.cause = serializeError(error.cause, depth + 1);
  return clean;
}

/** Invitation (`/p/i/…`) and hand-off (`/p/h/…`) links carry their token in the path. */
function maskLinkTokens(text: string): string {
  return (
    text
      .replace(/\/p\/([ih])\/[^/?\s"]+/g, "/p/$1/[token]")
      // Legacy magic links (http/legacy-links.ts) carry their secret in the path.
      .replace(/\/p\/connect\/[^?\s"]*/g, "/p/connect/[legacy-link]")
  );
}

export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      // Messages that quote a URL (Fastify's "Route GET:/p/h/… not found") lose the token.
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskLinkTokens(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: {
        err: serializeError,
        error: serializeError,
        // Query strings can carry invitation tokens: log the path only. Invitation (`/p/i/`)
        // and hand-off (`/p/h/`) links carry theirs in the path.
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url === undefined ? undefined : maskLinkTokens(req.url.split("?")[0] ?? ""),
        }),
      },
    },
    options.destination,
  );
}
