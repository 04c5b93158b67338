// The API's whole configuration, validated once at start. The only file that reads
// process.env; a bad value stops the process with a message naming the variable.
import { parseEnv } from "@meterlink/shared";
import { z } from "zod";

const ZApiEnv = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.url({ error: "must be a postgres:// URL of the database" }),
    HOST: z.string().default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /**
     * The internal listener (worker registration and outcomes, `/internal/fleet/*`). Never
     * behind the ingress: the public listener answers 404 for `/internal/*`.
     */
    INTERNAL_HOST: z.string().default("127.0.0.1"),
    INTERNAL_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    /** The origin people use (links in emails, cookies, CORS); the SPA is served there. */
    PUBLIC_URL: z.url({ error: "must be the public origin, e.g. https://app.example.com" }),
    AUTH_SECRET: z.string().min(32, { error: "must be at least 32 characters of random data" }),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** Built SPA to serve (apps/web/dist); unset in dev, where Vite serves it. */
    WEB_DIST: z.string().optional(),
    /** 32 random bytes, base64url: encrypts the copy of invitation tokens kept for "copy link". */
    TOKEN_ENCRYPTION_KEY: z
      .string()
      .refine((value) => Buffer.from(value, "base64url").length === 32, {
        error:
          "must be 32 random bytes, base64url-encoded (e.g. `openssl rand -base64 32 | tr '+/' '-_' | tr -d =`)",
      }),
    /** The vault's public key (EC P-256 JWK, JSON). Seals credentials; cannot open them. */
    VAULT_PUBLIC_KEY: z.string().transform((value, context) => {
      try {
        const jwk = JSON.parse(value) as { kty?: string; crv?: string; d?: string };
        if (jwk.kty !== "EC" || jwk.crv !== "P-256") throw new Error("not P-256");
        if (jwk.d) {
          context.addIssue({
            code: "custom",
            message: "must be the PUBLIC key only: the API must not hold the private key",
          });
          return z.NEVER;
        }
        return jwk as { kty: string; crv: string; x: string; y: string };
      } catch {
        context.addIssue({ code: "custom", message: "must be an EC P-256 public key as JWK JSON" });
        return z.NEVER;
      }
    }),
    /** REST requests allowed per API key per minute (RateLimit headers tell clients). */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** Recipient (public) requests allowed per client address per minute. */
    RECIPIENT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    /** Verification emails per address, and per invitation, per hour (mail-bombing bound). */
    VERIFICATION_EMAILS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(5),
    VERIFICATION_EMAILS_PER_INVITATION_PER_HOUR: z.coerce.number().int().min(1).default(20),
    RESEND_API_KEY: z.string().optional(),
    /** Where the Resend SDK sends; the local mail sink in dev and tests. */
    RESEND_BASE_URL: z
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    EMAIL_FROM: z.string().default("Meterlink <invitations@meterlink.test>"),
    /** Signing secret of Resend's delivery webhooks (`whsec_…`); unset: /hooks/resend is off. */
    RESEND_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, { error: "must be the webhook signing secret, whsec_…" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** "false" on API replicas when a separate jobs Deployment does the work. */
    API_RUNS_JOBS: z
      .enum(["true", "false"], { error: "must be true or false" })
      .default("true")
      .transform((value) => value === "true"),
    /** Shared secret of the worker fleet's internal endpoints. */
    FLEET_TOKEN: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
    /**
     * Where workers may register from: comma-separated `host:port`, host an IP or a DNS name
     * resolved at each admission (a Kubernetes headless Service or a Compose service name
     * lists every worker). A worker advertising any other address is refused; unset, none is
     * admitted. The fleet token alone never makes a worker (docs/scaling.md).
     */
    FLEET_WORKERS: z
      .string()
      .default("")
      .transform((value, context) => {
        const entries = value
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean);
        // Port `*` (any port on that host) is for tests whose workers restart on new ports;
        // never in a cluster, where the Service name lists exactly the worker pods.
        const parsed: { host: string; port: number | null }[] = [];
        for (const entry of entries) {
          const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5}|\*)$/.exec(entry);
          if (!match?.[1] || !match[2]) {
            context.addIssue({
              code: "custom",
              message: `"${entry}" is not host:port (e.g. meterlink-worker.meterlink.svc.cluster.local:4030)`,
            });
            return z.NEVER;
          }
          const port = match[2] === "*" ? null : Number(match[2]);
          parsed.push({ host: match[1].replace(/^\[|\]$/g, ""), port });
        }
        return parsed;
      }),
    /** "false" only behind a NAT that hides workers' addresses (see docs/scaling.md). */
    FLEET_CHECK_SOURCE: z
      .enum(["true", "false"], { error: "must be true or false" })
      .default("true")
      .transform((value) => value === "true"),
    FLEET_HEARTBEAT_TTL_MS: z.coerce.number().int().min(1000).default(10_000),
    FLEET_QUEUE_MAX_MS: z.coerce.number().int().min(0).default(60_000),
    /**
     * Live browsers one invitation may hold at once: a shared link serves several people,
     * but one link holder must not take the fleet by opening it in many cookie jars.
     */
    FLEET_MAX_LIVE_PER_INVITATION: z.coerce.number().int().min(1).default(5),
    /** Live browsers one client address may hold at once, across invitations. */
    FLEET_MAX_LIVE_PER_CLIENT: z.coerce.number().int().min(1).default(10),
    /**
     * The vault's PRIVATE key (EC P-256 JWK, JSON), for the collection job only: it opens
     * stored credentials to sign in for bills. API web replicas run without it; a job
     * runner without it refuses to collect and says so at start.
     */
    VAULT_PRIVATE_KEY: z
      .string()
      .optional()
      .or(z.literal("").transform(() => undefined))
      .transform((value, context) => {
        if (value === undefined) return undefined;
        try {
          const jwk = JSON.parse(value) as { kty?: string; crv?: string; d?: string };
          if (jwk.kty === "EC" && jwk.crv === "P-256" && jwk.d) {
            return jwk as { kty: string; crv: string; x: string; y: string; d: string };
          }
        } catch {}
        // Never echo the value: it is a secret.
        context.addIssue({
          code: "custom",
          message: "must be an EC P-256 private key as JWK JSON",
        });
        return z.NEVER;
      }),
    /** Where bill documents are stored (a directory; created when missing). */
    STORAGE_DIR: z.string().min(1).default(".data/bills"),
    /**
     * An S3-compatible bucket for bill documents instead of STORAGE_DIR (AWS S3, MinIO,
     * R2…). Unset: the directory. Credentials come from S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY
     * or the AWS SDK's usual chain (instance role, AWS_* variables).
     */
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Endpoint of a non-AWS store, e.g. http://minio:9000 (path-style requests). */
    S3_ENDPOINT: z.url({ error: "must be the store's URL, e.g. http://minio:9000" }).optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Prepended to every object key (one bucket shared by several deployments). */
    S3_PREFIX: z.string().max(200).default(""),
    /** Domain of connections' MFA forwarding addresses (`c-…@<domain>`). */
    INBOUND_EMAIL_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, {
        error: "must be a domain name, e.g. inbound.example.com",
      })
      .default("inbound.meterlink.test"),
    /** Our SMS provider's number (E.164) recipients forward utility texts to, if any. */
    INBOUND_SMS_NUMBER: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, { error: "must be an E.164 number, e.g. +14155550100" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /**
     * Signing secret (`whsec_…`, Standard Webhooks) of /hooks/inbound-email and
     * /hooks/inbound-sms. Required in production; `npm run dev` generates one.
     */
    INBOUND_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, { error: "must be a signing secret, whsec_<base64>" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Port of the inbound SMTP listener for forwarded codes; unset: no listener (0: any port). */
    INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    INBOUND_SMTP_HOST: z.string().default("127.0.0.1"),
    /** Twilio's auth token: verifies /hooks/twilio/sms (X-Twilio-Signature). */
    TWILIO_AUTH_TOKEN: z
      .string()
      .min(16, { error: "must be the Twilio account's auth token" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /**
     * The exact URL Twilio is told to call for incoming messages (its signature covers it);
     * default `${PUBLIC_URL}/hooks/twilio/sms`.
     */
    TWILIO_WEBHOOK_URL: z
      .url({
        error:
          "must be the URL configured in Twilio, e.g. https://app.example.com/hooks/twilio/sms",
      })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Days between two collections of a connection. */
    COLLECTION_INTERVAL_DAYS: z.coerce.number().min(0.001).default(7),
    /** Sign-in attempts allowed per client address per minute before answers slow to 429. */
    AUTH_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  })
  .superRefine((env, context) => {
    // Without a key the Resend SDK would mail into whatever RESEND_BASE_URL points at (the
    // dev sink): in production that silently loses every invitation and verification email.
    if (env.NODE_ENV === "production" && !env.RESEND_API_KEY) {
      context.addIssue({
        code: "custom",
        path: ["RESEND_API_KEY"],
        message:
          "is required when NODE_ENV=production (emails would not reach anyone). Set your Resend API key, re_…",
      });
    }
    // Forwarded MFA codes are what keeps MFA utilities collecting: an unsigned hook would
    // let anyone feed codes, a missing one would lose every code. Neither is silent.
    if (env.NODE_ENV === "production" && !env.INBOUND_WEBHOOK_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["INBOUND_WEBHOOK_SECRET"],
        message:
          "is required when NODE_ENV=production (forwarded MFA codes would be lost). Set the signing secret your inbound-mail relay uses, whsec_<base64>",
      });
    }
    if (env.INBOUND_SMS_NUMBER && !env.TWILIO_AUTH_TOKEN) {
      context.addIssue({
        code: "custom",
        path: ["TWILIO_AUTH_TOKEN"],
        message:
          "is required when INBOUND_SMS_NUMBER is set (texts forwarded to that number could not be verified). Set the Twilio account's auth token",
      });
    }
  });

export type TApiEnv = z.infer<typeof ZApiEnv>;

export function loadApiEnv(source: Record<string, string | undefined> = process.env): TApiEnv {
  return parseEnv(ZApiEnv, source, "api");
}
