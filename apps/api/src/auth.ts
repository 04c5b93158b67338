// Admin sign-in with better-auth: scrypt password hashes, httpOnly SameSite=Lax cookies
// (CSRF-safe together with better-auth's origin check), sign-in rate limited in the
// database so every API replica counts the same attempts. Sign-up is closed: admins are
// created by the seed, by first-run setup or by an owner's invitation, never by a stranger.
// The team (members, invitations, roles) is better-auth's organization plugin over our
// own tables: `company` is its organization, `membership` its member (services/team).
import { randomUUID } from "node:crypto";
import {
  account,
  company,
  membership,
  rateLimit as rateLimitTable,
  session,
  type TDb,
  teamInvitation,
  user,
  verification,
} from "@meterlink/db";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { organization } from "better-auth/plugins";
import type { Logger } from "pino";
import type { TApiEnv } from "./env";
import { auditTeamChange, TEAM_AUDITED_PATHS } from "./services/team/audit";
import { queuePasswordResetEmail, queueTeamInvitationEmail } from "./services/team/emails";
import { TEAM_ACCESS, TEAM_INVITATION_DAYS, TEAM_ROLES } from "./services/team/roles";
import type { TJobs } from "./trpc";

export function createAuth(options: {
  db: TDb;
  env: Pick<TApiEnv, "PUBLIC_URL" | "AUTH_SECRET" | "AUTH_SIGNIN_PER_MINUTE">;
  log: Logger;
  /** Encrypts the links kept in the email outbox. */
  tokenKey: Buffer;
  jobs: Pick<TJobs, "emailsQueued">;
}) {
  const { db, env, log, tokenKey, jobs } = options;
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
      schema: {
        user,
        session,
        account,
        verification,
        rateLimit: rateLimitTable,
        company,
        membership,
        teamInvitation,
      },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 8,
      // "Forgot password": the link opens the set-password page; the email goes through
      // the outbox like every other. An unknown address gets no email and the same answer.
      sendResetPassword: async ({ user: target, token }) => {
        const url = new URL("/set-password", env.PUBLIC_URL);
        url.searchParams.set("token", token);
        const emailId = await queuePasswordResetEmail(db, {
          userId: target.id,
          email: target.email,
          url: url.toString(),
          tokenKey,
        });
        if (emailId) await jobs.emailsQueued([emailId]);
      },
    },
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
    plugins: [
      organization({
        ac: TEAM_ACCESS,
        roles: TEAM_ROLES,
        // One company per deployment user: companies come from setup, never from here.
        allowUserToCreateOrganization: false,
        disableOrganizationDeletion: true,
        invitationExpiresIn: TEAM_INVITATION_DAYS * 24 * 3600,
        cancelPendingInvitationsOnReInvite: true,
        schema: {
          organization: {
            modelName: "company",
            fields: { logo: "logoUrl" },
            // Ours, never written by the plugin (it creates no company): declared so its
            // schema check knows the column.
            additionalFields: { displayName: { type: "string", required: false, input: false } },
          },
          member: { modelName: "membership", fields: { organizationId: "companyId" } },
          invitation: { modelName: "teamInvitation", fields: { organizationId: "companyId" } },
        },
        sendInvitationEmail: async ({ id, email, organization: invitedTo }) => {
          const emailId = await queueTeamInvitationEmail(db, {
            invitationId: id,
            companyId: invitedTo.id,
            email,
            tokenKey,
          });
          await jobs.emailsQueued([emailId]);
        },
      }),
    ],
    hooks: {
      // Every membership change the plugin makes, written to the team's audit log.
      after: createAuthMiddleware(async (ctx) => {
        if (!TEAM_AUDITED_PATHS.has(ctx.path)) return;
        await auditTeamChange(db, {
          path: ctx.path,
          // The endpoint's own session lookup is not visible from here: read the caller's.
          actorUserId: (await getSessionFromCtx(ctx).catch(() => null))?.user.id ?? null,
          body: ctx.body,
          returned: ctx.context.returned,
        });
      }),
    },
    advanced: {
      // Company ids are uuids; one generator for every better-auth row keeps them valid.
      database: { generateId: () => randomUUID() },
      useSecureCookies: env.PUBLIC_URL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
  });
}

export type TAuth = ReturnType<typeof createAuth>;
