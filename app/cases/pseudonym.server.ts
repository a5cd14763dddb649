// Case pseudonyms: LOE-<year of start>-<4 digits>, numbered per year. The number is taken inside the
// transaction that inserts the case; the unique index on Case.pseudonym decides races, and the loser retries.
import type { Prisma } from "../db/client.server.ts";
import { PSEUDONYM_PATTERN } from "./pseudonym.ts";
import { isRetryableConflict, withRaceRetry } from "../db/race-retry.server.ts";

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

/** Runs `attempt` until it does not lose a race on the pseudonym or a write conflict, at most `tries` times. */
export function withConflictRetry<T>(attempt: () => Promise<T>, tries = 50): Promise<T> {
  return withRaceRetry(attempt, tries, isRetryableConflict);
}
