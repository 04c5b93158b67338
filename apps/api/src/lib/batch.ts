// Group commit for the busiest statements (issue 21): calls that arrive together, or while
// the previous batch is still in flight, go to PostgreSQL as ONE multi-row statement, so a
// burst of first opens pays one round trip and one WAL flush instead of one each.
// Invariants:
// - Each caller's promise settles only when the statement that carries its row has
//   finished (committed: every batch is one autocommitted statement).
// - A failed batch never fails a caller for another caller's row: when PostgreSQL rejects
//   the statement (so nothing of it was written), each row is run again alone and only
//   the rows that fail alone reject. An error without a server answer (connection lost:
//   the outcome is unknown) is not retried and reaches every caller of the batch.
// - No waiting for company: an idle batcher sends on the next turn of the event loop
//   (after the requests that arrived in the same I/O poll joined), never on a timer.
// DataLoader does the collecting and the per-key dispatch of results and errors; we only
// decide when a batch may go (`batchScheduleFn`).
import DataLoader from "dataloader";
import postgres from "postgres";

export type TBatchRun<K, V> = (keys: readonly K[]) => Promise<readonly (V | Error)[]>;

export type TBatcher<K, V> = (key: K) => Promise<V>;

export function batcher<K, V>(
  run: TBatchRun<K, V>,
  options: { maxInFlight?: number; maxBatchSize?: number } = {},
): TBatcher<K, V> {
  const maxInFlight = options.maxInFlight ?? 1;
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const go = (dispatch: () => void) => {
    inFlight++;
    dispatch();
  };
  const loader = new DataLoader<K, V>(
    async (keys) => {
      try {
        return await runIsolated(run, keys);
      } finally {
        inFlight--;
        const next = waiting.shift();
        if (next) go(next);
      }
    },
    {
      cache: false,
      maxBatchSize: options.maxBatchSize ?? 256,
      batchScheduleFn: (dispatch) => {
        if (inFlight < maxInFlight) setImmediate(() => go(dispatch));
        else waiting.push(dispatch);
      },
    },
  );
  return (key) => loader.load(key);
}

async function runIsolated<K, V>(run: TBatchRun<K, V>, keys: readonly K[]) {
  try {
    return await run(keys);
  } catch (error) {
    if (keys.length === 1 || !rejectedByServer(error)) throw error;
    return await Promise.all(
      keys.map(async (key) => {
        try {
          const [result] = await run([key]);
          return result as V | Error;
        } catch (alone) {
          return alone instanceof Error ? alone : new Error(String(alone));
        }
      }),
    );
  }
}

/** PostgreSQL answered with an error (Drizzle wraps it in its own, as `cause`). */
function rejectedByServer(error: unknown): boolean {
  return (
    error instanceof postgres.PostgresError ||
    (error instanceof Error && error.cause instanceof postgres.PostgresError)
  );
}

/** One batcher per database handle (a server has one; each test file its own). */
export function perDatabase<D extends object, B>(make: (db: D) => B): (db: D) => B {
  const made = new WeakMap<D, B>();
  return (db) => {
    let found = made.get(db);
    if (!found) {
      found = make(db);
      made.set(db, found);
    }
    return found;
  };
}
