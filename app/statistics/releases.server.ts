// Published figures for the statistics roles, frozen once per calendar month (Europe/Berlin) at the first request in
// it. Live figures let a commissioner compare two visits and read off one person's new entry or change, with its
// municipality, even though every table on its own is suppressed (differencing over time, ADR 0017). Within a
// month the figures stay as they are; a withdrawal does not renew them either (its before/after difference would
// describe the withdrawn person; anonymous aggregates may stay, consent-and-privacy.md).
import { db as defaultDb, type Db } from "../db/client.server.ts";

export type ReleaseScope = "statistics" | "dashboard";

export type Release<T> = {
  figures: T;
  /** when these figures were computed */
  asOf: Date;
  /** the first day (YYYY-MM-DD) from which the next month's figures are computed */
  nextFrom: string;
};

const BERLIN_MONTH = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit" });

/** The release period of an instant: its calendar month in Germany ("2026-11"), and the day the next one starts. */
export function releasePeriod(now: Date): { period: string; nextFrom: string } {
  const parts = Object.fromEntries(BERLIN_MONTH.formatToParts(now).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
  return { period: `${year}-${String(month).padStart(2, "0")}`, nextFrom: `${next}-01` };
}

const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";

/** This month's figures of `scope`: the stored ones, or computed now and stored (one wins when two race). */
export async function released<T>(scope: ReleaseScope, compute: (now: Date) => Promise<T>, now = new Date(), client: Db = defaultDb): Promise<Release<T>> {
  const { period, nextFrom } = releasePeriod(now);
  const read = () => client.statisticsRelease.findUnique({ where: { scope_period: { scope, period } }, select: { figures: true, createdAt: true } });
  const stored = await read();
  if (stored) return { figures: JSON.parse(stored.figures) as T, asOf: stored.createdAt, nextFrom };
  const figures = await compute(now);
  try {
    const row = await client.statisticsRelease.create({ data: { scope, period, figures: JSON.stringify(figures), createdAt: now }, select: { createdAt: true } });
    return { figures, asOf: row.createdAt, nextFrom };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Another request stored this month's figures first: everyone sees those.
    const winner = await read();
    if (!winner) throw e;
    return { figures: JSON.parse(winner.figures) as T, asOf: winner.createdAt, nextFrom };
  }
}
