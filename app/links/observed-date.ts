// The date a passage's fact holds from, as a researcher types it: a year, a month or a day (YYYY, YYYY-MM,
// YYYY-MM-DD). Stored as the first day of that period at UTC midnight, like every register date.
// Shared by server and browser.

export const DATE_PRECISIONS = ["year", "month", "day"] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export type ObservedDate = { text: string; date: Date; precision: DatePrecision };

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** null when the text is not a valid YYYY, YYYY-MM or YYYY-MM-DD date (month 13, 31 February, ...). */
export function parseObservedDate(input: string): ObservedDate | null {
  const text = input.trim();
  const m = PATTERN.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null; // 2023-02-30 rolled over
  return { text, date, precision: m[3] ? "day" : m[2] ? "month" : "year" };
}

/** YYYY-MM-DD of a date (UTC), for inputs and pre-filled proposals. */
export function dayText(date: Date | string): string {
  return new Date(date).toISOString().slice(0, 10);
}

/** The period's text for a date of the given precision: 2024, 2024-06 or 2024-06-15. */
export function periodText(date: Date | string, precision: DatePrecision): string {
  const day = dayText(date);
  return precision === "year" ? day.slice(0, 4) : precision === "month" ? day.slice(0, 7) : day;
}
