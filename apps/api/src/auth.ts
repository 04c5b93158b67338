// Admin sign-in with better-auth: scrypt password hashes, httpOnly SameSite=Lax cookies
// (CSRF-safe together with better-auth's origin check), sign-in rate limited in the
// database so every API replica counts the same attempts. Sign-up is closed: admins are
// created by the seed or by an owner, never by a stranger.
import {
  account,
  rateLimit as rateLimitTable,
  session,
  type TDb,
  user,
  verification,
} from "@meterlink/db";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import type { Logger } from "pino";
import type { TApiEnv } from "./env";

export function createAuth(options: {
  db: TDb;
  env: Pick<TApiEnv, "PUBLIC_URL" | "AUTH_SECRET" | "AUTH_SIGNIN_PER_MINUTE">;
  log: Logger;
}) {
  const { db, env, log } = options;
  return betterAuth({
    appName: "Meterlink",
    baseURL: env.PUBLIC_URL,
    basePath: "/api/auth",
    secret: env.AUTH_SECRET,
    trustedOrigins: [env.PUBLIC_URL],
    telemetry: { enabled: false },
    // Into our redacting pino logger, not the console. Messages only: its extra
    // arguments can be request bodies.
    logger: {
      log: (level, message) => log[level]({ module: "auth" }, message),
    },
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user, session, account, verification, rateLimit: rateLimitTable },
    }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    // Reset and set-password links are looked up by a hash: a database dump holds no
    // working link (services/setup writes its link the same way).
    verification: { storeIdentifier: "hashed" },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: env.AUTH_SIGNIN_PER_MINUTE },
      },
    },
    advanced: {
      useSecureCookies: env.PUBLIC_URL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
  });
}

export type TAuth = ReturnType<typeof createAuth>;
