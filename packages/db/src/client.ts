import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export function createDb(url: string, options?: { max?: number }) {
  const client = postgres(url, {
    max: options?.max ?? 10,
    onnotice: () => {},
    // Keep connection errors free of the URL (it carries the password).
    connection: { application_name: "meterlink" },
  });
  return drizzle(client, { schema });
}

export type TDb = ReturnType<typeof createDb>;
/** A transaction handle; services that must share one accept either. */
export type TTx = Parameters<Parameters<TDb["transaction"]>[0]>[0];
export type TDbOrTx = TDb | TTx;

export async function closeDb(db: TDb): Promise<void> {
  await db.$client.end({ timeout: 5 });
}
