// Retrying transactions that lost a race. Besides what the case register retries (unique index P2002,
// PostgreSQL write conflict P2034, SQLITE_BUSY as P1008), a SQLite transaction that read first and then wants
// to write fails with SQLITE_BUSY_SNAPSHOT when another connection wrote in between; the busy timeout cannot
// resolve that, a fresh attempt can.
import { isRetryableConflict } from "../cases/pseudonym.server.ts";

export function isLostRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isRetryableConflict(error) || (typeof code === "string" && code.startsWith("SQLITE_BUSY"));
}

/** Runs `attempt` until it does not lose a race, at most `tries` times. */
export async function withRaceRetry<T>(attempt: () => Promise<T>, tries = 50): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || !isLostRace(error)) throw error;
      // A short random pause so concurrent losers do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(i, 10)));
    }
  }
}
