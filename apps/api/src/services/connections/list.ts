import type { TCompanyContext } from "../../trpc";
import { listCompanyConnections } from "./get";

/** The admin's Connections page: the same view the REST API lists. */
export async function listConnections({ ctx }: { ctx: Pick<TCompanyContext, "db" | "company"> }) {
  return (await listCompanyConnections({ ctx })).items;
}
