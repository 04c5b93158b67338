// Creating and editing sites. Names are unique among a company's active sites (two
// "Main Street" buildings cannot be told apart by a recipient), references unique
// among all its sites (the database's index says so too).
import { site, type TDbOrTx } from "@meterlink/db";
import {
  AppError,
  type TSiteFields,
  type TUpdateSite,
  ZSiteChanges,
  ZSiteFields,
} from "@meterlink/shared";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { TCompanyContext } from "../../trpc";
import { getSite, SITE_NOT_FOUND } from "./get";

type TSiteCtx = Pick<TCompanyContext, "db" | "company">;

export async function assertSiteUnique(
  db: TDbOrTx,
  companyId: string,
  fields: { name?: string; reference?: string | null },
  exceptId?: string,
) {
  const others = exceptId ? [ne(site.id, exceptId)] : [];
  if (fields.name) {
    const [sameName] = await db
      .select({ id: site.id })
      .from(site)
      .where(
        and(
          eq(site.companyId, companyId),
          isNull(site.archivedAt),
          sql`lower(${site.name}) = lower(${fields.name})`,
          ...others,
        ),
      )
      .limit(1);
    if (sameName) {
      throw AppError.field(
        "name",
        `A site named “${fields.name}” already exists. Give this one another name, or edit that one.`,
      );
    }
  }
  if (fields.reference) {
    const [sameReference] = await db
      .select({ id: site.id })
      .from(site)
      .where(and(eq(site.companyId, companyId), eq(site.reference, fields.reference), ...others))
      .limit(1);
    if (sameReference) {
      throw AppError.field(
        "reference",
        `Another site already has the reference “${fields.reference}”. References must be unique.`,
      );
    }
  }
}

export async function createSite({ ctx, input }: { ctx: TSiteCtx; input: TSiteFields }) {
  const fields = ZSiteFields.parse(input);
  await assertSiteUnique(ctx.db, ctx.company.id, fields);
  const [created] = await ctx.db
    .insert(site)
    .values({ companyId: ctx.company.id, ...fields })
    .returning({ id: site.id });
  if (!created) throw new AppError("INTERNAL", "The site could not be created.");
  return await getSite({ ctx, input: created });
}

export async function updateSite({ ctx, input }: { ctx: TSiteCtx; input: TUpdateSite }) {
  const { id, ...changes } = input;
  const current = await getSite({ ctx, input: { id } });
  const fields = ZSiteChanges.parse(changes);
  await assertSiteUnique(
    ctx.db,
    ctx.company.id,
    {
      name: fields.name !== undefined && fields.name !== current.name ? fields.name : undefined,
      reference: fields.reference,
    },
    id,
  );
  await ctx.db
    .update(site)
    .set({ ...fields, updatedAt: new Date() })
    .where(and(eq(site.id, id), eq(site.companyId, ctx.company.id)));
  return await getSite({ ctx, input: { id } });
}

/**
 * Archives (or restores) a site. There is no delete: a site a connection covers keeps
 * its history; an archived one is offered to nobody new.
 */
export async function setSiteArchived({
  ctx,
  input,
}: {
  ctx: TSiteCtx;
  input: { id: string; archived: boolean };
}) {
  const current = await getSite({ ctx, input });
  if (!input.archived && current.archivedAt) {
    await assertSiteUnique(ctx.db, ctx.company.id, { name: current.name }, current.id);
  }
  const [updated] = await ctx.db
    .update(site)
    .set({ archivedAt: input.archived ? new Date() : null, updatedAt: new Date() })
    .where(and(eq(site.id, input.id), eq(site.companyId, ctx.company.id)))
    .returning({ id: site.id });
  if (!updated) throw SITE_NOT_FOUND;
  return await getSite({ ctx, input });
}
