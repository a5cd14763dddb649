// Case pseudonyms: LOE-<year of start>-<4 digits>, numbered per year. The number is taken inside the
// transaction that inserts the case; the unique index on Case.pseudonym decides races, and the loser retries.
import type { Prisma } from "../db/client.server.ts";
import { PSEUDONYM_PATTERN } from "./pseudonym.ts";

export { PSEUDONYM_PATTERN };
const MAX_PER_YEAR = 9999;

export function formatPseudonym(year: number, n: number): string {
  return `LOE-${year}-${String(n).padStart(4, "0")}`;
}

/** The next free pseudonym of the year: one above the highest one used (numbers are never reused). */
export async function nextPseudonym(tx: Pick<Prisma.TransactionClient, "case">, year: number): Promise<string> {
  const prefix = `LOE-${year}-`;
  // Zero-padded, so the highest number sorts last.
  const last = await tx.case.findFirst({
    where: { pseudonym: { startsWith: prefix } },
    orderBy: { pseudonym: "desc" },
    select: { pseudonym: true },
  });
  const n = last ? Number(PSEUDONYM_PATTERN.exec(last.pseudonym)?.[2] ?? NaN) + 1 : 1;
  if (!Number.isInteger(n)) throw new Error(`unexpected pseudonym ${last?.pseudonym}`);
  if (n > MAX_PER_YEAR) throw new Error(`all pseudonyms of ${year} are used`);
  return formatPseudonym(year, n);
}

/**
 * A lost race: the unique index refused the pseudonym (P2002), PostgreSQL reported a write conflict (P2034),
 * or another SQLite connection wrote first (SQLITE_BUSY, which the adapter reports as P1008).
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2002" || code === "P2034" || code === "P1008";
}

/** Runs `attempt` until it does not lose a race, at most `tries` times. */
export async function withConflictRetry<T>(attempt: () => Promise<T>, tries = 50): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || !isRetryableConflict(error)) throw error;
      // A short random pause so concurrent losers do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(i, 10)));
    }
  }
}
