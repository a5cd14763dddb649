// Retrying transactions that lost a race. The case register retries what its unique pseudonym and PostgreSQL's
// serialization can lose (unique index P2002, write conflict P2034, SQLITE_BUSY as P1008); a SQLite transaction that
// read first and then wants to write also fails with SQLITE_BUSY_SNAPSHOT when another connection wrote in between;
// the busy timeout cannot resolve that, a fresh attempt can.

/** Lost a race: the unique index refused a value (P2002), a PostgreSQL write conflict (P2034), SQLITE_BUSY (P1008). */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2002" || code === "P2034" || code === "P1008";
}

export function isLostRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isRetryableConflict(error) || (typeof code === "string" && code.startsWith("SQLITE_BUSY"));
}

/** Runs `attempt` until it does not lose a race (as `lost` tells), at most `tries` times. */
export async function withRaceRetry<T>(attempt: () => Promise<T>, tries = 50, lost: (error: unknown) => boolean = isLostRace): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || !lost(error)) throw error;
      // A short random pause so concurrent losers do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(i, 10)));
    }
  }
}
