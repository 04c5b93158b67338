// How far the recipients of the invitations sent in a period got, step by step and per
// utility, from the events the flow records anyway (invitation_event): nothing new is
// tracked for it. One query: per invitation the first time each step happened, then the
// counts and median durations, overall and per provider (GROUPING SETS).
//
// Steps, each counted only when the one before it was reached too, so the funnel never
// grows: sent (created in the period) → opened (a recipient page view) → verified (the
// emailed link confirmed; links open to anyone, or opened from the platform's own email,
// count as verified on opening) → started sign-in (a live browser started, or details
// entered by hand) → signed in (the portal accepted them, or details entered by hand) →
// completed (the connection was submitted).
import type { TInvitationFunnelInput } from "@meterlink/shared";
import { sql } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";

export const FUNNEL_STEPS = [
  "sent",
  "opened",
  "verified",
  "started",
  "signedIn",
  "completed",
] as const;
export type TFunnelStep = (typeof FUNNEL_STEPS)[number];

type TCounts = Record<TFunnelStep, number>;
/** Median seconds from the step before to this one, null when nobody took it (yet). */
type TMedians = Record<Exclude<TFunnelStep, "sent">, number | null>;

export type TFunnelGroup = {
  counts: TCounts;
  medianSeconds: TMedians;
  /** The step the most recipients did not reach (from the one before it), if any dropped. */
  biggestDrop: TFunnelStep | null;
};

type TRow = {
  overall: boolean;
  provider_id: string | null;
  provider_name: string | null;
  sent: number;
  opened: number;
  verified: number;
  started: number;
  signed_in: number;
  completed: number;
  open_s: number | null;
  verify_s: number | null;
  start_s: number | null;
  sign_in_s: number | null;
  complete_s: number | null;
};

function groupOf(row: TRow): TFunnelGroup {
  const counts: TCounts = {
    sent: Number(row.sent),
    opened: Number(row.opened),
    verified: Number(row.verified),
    started: Number(row.started),
    signedIn: Number(row.signed_in),
    completed: Number(row.completed),
  };
  const seconds = (value: number | null) => (value === null ? null : Math.round(Number(value)));
  let biggestDrop: TFunnelStep | null = null;
  let largest = 0;
  for (let index = 1; index < FUNNEL_STEPS.length; index++) {
    const step = FUNNEL_STEPS[index] as TFunnelStep;
    const previous = FUNNEL_STEPS[index - 1] as TFunnelStep;
    const lost = counts[previous] - counts[step];
    if (lost > largest) {
      largest = lost;
      biggestDrop = step;
    }
  }
  return {
    counts,
    medianSeconds: {
      opened: seconds(row.open_s),
      verified: seconds(row.verify_s),
      started: seconds(row.start_s),
      signedIn: seconds(row.sign_in_s),
      completed: seconds(row.complete_s),
    },
    biggestDrop,
  };
}

export async function invitationFunnel({
  ctx,
  input,
}: {
  ctx: Pick<TCompanyContext, "db" | "company">;
  input: TInvitationFunnelInput;
}) {
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - input.days * 86_400_000);
  const rows = (await ctx.db.execute(sql`
    with inv as (
      select i.id, i.created_at, cardinality(i.allowed_emails) > 0 as restricted,
        i.prefill->>'providerId' as prefill_provider
      from invitation i
      where i.company_id = ${ctx.company.id}
        and i.created_at >= ${from.toISOString()}::timestamptz
        and i.created_at < ${to.toISOString()}::timestamptz
    ),
    ev as (
      select e.invitation_id,
        min(e.created_at) filter (where e.type = 'viewed') as opened_at,
        min(e.created_at) filter (where e.type = 'viewed' and e.data->>'via' = 'email') as proof_at,
        min(e.created_at) filter (where e.type = 'email_verified') as email_verified_at,
        min(e.created_at) filter (where e.type in ('login_started', 'submitted')) as started_at,
        min(e.created_at) filter (where e.type in ('login_succeeded', 'submitted')) as signed_in_at,
        min(e.created_at) filter (where e.type = 'submitted') as completed_at,
        (array_agg(e.data->>'providerId' order by e.id)
          filter (where e.type = 'login_started'))[1] as live_provider
      from invitation_event e
      join inv on inv.id = e.invitation_id
      group by e.invitation_id
    ),
    conn as (
      select distinct on (ic.invitation_id) ic.invitation_id, c.provider_id, c.provider_name
      from invitation_connection ic
      join inv on inv.id = ic.invitation_id
      join connection c on c.id = ic.connection_id
      order by ic.invitation_id, ic.created_at
    ),
    steps as (
      select inv.id,
        coalesce(inv.prefill_provider, ev.live_provider, conn.provider_id) as provider_id,
        inv.created_at as sent_at,
        ev.opened_at,
        ev.email_verified_at,
        case when ev.opened_at is null then null
          else coalesce(ev.email_verified_at, ev.proof_at,
            case when not inv.restricted then ev.opened_at end) end as verified_at,
        ev.started_at, ev.signed_in_at, ev.completed_at,
        conn.provider_name as connection_provider_name
      from inv
      left join ev on ev.invitation_id = inv.id
      left join conn on conn.invitation_id = inv.id
    ),
    reached as (
      select s.*,
        s.opened_at is not null as r_opened,
        s.opened_at is not null and s.verified_at is not null as r_verified,
        s.opened_at is not null and s.verified_at is not null and s.started_at is not null as r_started,
        s.opened_at is not null and s.verified_at is not null and s.started_at is not null
          and s.signed_in_at is not null as r_signed_in,
        s.opened_at is not null and s.verified_at is not null and s.started_at is not null
          and s.signed_in_at is not null and s.completed_at is not null as r_completed,
        coalesce(p.name, s.connection_provider_name) as provider_name
      from steps s
      left join provider p on p.id = s.provider_id
    )
    select
      grouping(provider_id, provider_name) = 3 as overall,
      provider_id, provider_name,
      count(*)::int as sent,
      count(*) filter (where r_opened)::int as opened,
      count(*) filter (where r_verified)::int as verified,
      count(*) filter (where r_started)::int as started,
      count(*) filter (where r_signed_in)::int as signed_in,
      count(*) filter (where r_completed)::int as completed,
      percentile_cont(0.5) within group (order by extract(epoch from opened_at - sent_at))
        filter (where r_opened) as open_s,
      percentile_cont(0.5) within group (order by extract(epoch from email_verified_at - opened_at))
        filter (where r_verified and email_verified_at is not null) as verify_s,
      percentile_cont(0.5) within group (order by extract(epoch from started_at - verified_at))
        filter (where r_started) as start_s,
      percentile_cont(0.5) within group (order by extract(epoch from signed_in_at - started_at))
        filter (where r_signed_in) as sign_in_s,
      percentile_cont(0.5) within group (order by extract(epoch from completed_at - signed_in_at))
        filter (where r_completed) as complete_s
    from reached
    group by grouping sets ((), (provider_id, provider_name))
    order by overall desc, count(*) desc, provider_name nulls last
  `)) as unknown as TRow[];

  const overall = rows.find((row) => row.overall);
  const empty: TRow = {
    overall: true,
    provider_id: null,
    provider_name: null,
    sent: 0,
    opened: 0,
    verified: 0,
    started: 0,
    signed_in: 0,
    completed: 0,
    open_s: null,
    verify_s: null,
    start_s: null,
    sign_in_s: null,
    complete_s: null,
  };
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    overall: groupOf(overall ?? empty),
    byProvider: rows
      .filter((row) => !row.overall)
      .map((row) => ({
        providerId: row.provider_id,
        /** Null: the recipient never got as far as choosing a utility. */
        providerName: row.provider_name,
        ...groupOf(row),
      })),
  };
}
