import type { TDb } from "@meterlink/db";
import type { TCreateInvitation } from "@meterlink/shared";
import type { TInboundConfig } from "../src/services/connections/forwarding";
import type { InvitationCache } from "../src/services/recipient/invitation-cache";
import {
  adminSessionOf,
  callerFor,
  cookieJar,
  createAdminUser,
  createCompany,
  recordingJobs,
} from "./factories";

/** A company with an admin caller, ready to create invitations. */
export async function adminWorld(
  db: TDb,
  overrides: Parameters<typeof createCompany>[1] = {},
  server: { invitationCache?: InvitationCache } = {},
) {
  const company = await createCompany(db, overrides);
  const admin = await createAdminUser(db, company.id);
  const jobs = recordingJobs();
  const caller = callerFor(db, adminSessionOf(admin), { jobs: jobs.jobs, ...server });
  return { company, admin, caller, jobs };
}

export const manualContributor = (overrides: Partial<TCreateInvitation> = {}): TCreateInvitation =>
  ({
    kind: "contributor",
    delivery: { kind: "manual" },
    maxUses: 1,
    ...overrides,
  }) as TCreateInvitation;

export function tokenOf(url: string): string {
  const token = new URL(url).pathname.split("/").pop();
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

/** A recipient's browser: its own cookie jar across calls. */
export function recipientBrowser(
  db: TDb,
  options: {
    ip?: string;
    userAgent?: string;
    invitationCache?: InvitationCache;
    inbound?: TInboundConfig;
  } = {},
) {
  const cookies = cookieJar();
  const jobs = recordingJobs();
  return {
    cookies,
    jobs,
    caller: callerFor(db, null, {
      cookies,
      jobs: jobs.jobs,
      ip: options.ip,
      userAgent: options.userAgent,
      invitationCache: options.invitationCache,
      inbound: options.inbound,
    }),
  };
}
