// Reporting quarters: calendar quarters in UTC, matching the calendar days stored as UTC midnight.
export const FIRST_REPORT_YEAR = 2015;

export type Quarter = { year: number; quarter: 1 | 2 | 3 | 4; start: Date; end: Date }; // [start, end)

export type QuarterResult = { ok: true; period: Quarter } | { ok: false; error: "invalid" | "future" };

export function quarterOf(date: Date): { year: number; quarter: 1 | 2 | 3 | 4 } {
  return { year: date.getUTCFullYear(), quarter: (Math.floor(date.getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4 };
}

export function makeQuarter(year: number, quarter: 1 | 2 | 3 | 4): Quarter {
  return { year, quarter, start: new Date(Date.UTC(year, (quarter - 1) * 3, 1)), end: new Date(Date.UTC(year, quarter * 3, 1)) };
}

/** "2026-Q3" */
export function quarterLabel(q: { year: number; quarter: number }): string {
  return `${q.year}-Q${q.quarter}`;
}

/**
 * Reads ?year=2026&quarter=3 (or quarter=Q3 / quarter=2026-Q3). Missing values give the current quarter;
 * anything else that is not a past or current quarter since FIRST_REPORT_YEAR is an error to show.
 */
export function parseQuarter(yearRaw: string | null, quarterRaw: string | null, now = new Date()): QuarterResult {
  const current = quarterOf(now);
  if (yearRaw === null && quarterRaw === null) return { ok: true, period: makeQuarter(current.year, current.quarter) };
  let yearText = (yearRaw ?? "").trim();
  let quarterText = (quarterRaw ?? "").trim().toUpperCase();
  const combined = /^(\d{4})-?Q([1-4])$/.exec(quarterText);
  if (combined) {
    if (yearText && yearText !== combined[1]) return { ok: false, error: "invalid" };
    yearText = combined[1]!;
    quarterText = combined[2]!;
  }
  quarterText = quarterText.replace(/^Q/, "");
  if (!/^\d{4}$/.test(yearText) || !/^[1-4]$/.test(quarterText)) return { ok: false, error: "invalid" };
  const year = Number(yearText);
  const quarter = Number(quarterText) as 1 | 2 | 3 | 4;
  if (year < FIRST_REPORT_YEAR) return { ok: false, error: "invalid" };
  if (year > current.year || (year === current.year && quarter > current.quarter)) return { ok: false, error: "future" };
  return { ok: true, period: makeQuarter(year, quarter) };
}
