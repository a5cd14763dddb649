// Dates of the administration pages. The district works in Europe/Berlin; fixing the zone keeps server and
// browser rendering the same text (no hydration mismatch) and makes "from/to" mean local calendar days.
export const TIME_ZONE = "Europe/Berlin";

export function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export function nextIsoDay(v: string): string {
  const d = new Date(`${v}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function zoneOffset(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) begins in Europe/Berlin. */
export function berlinDayStart(v: string, timeZone = TIME_ZONE): Date {
  const guess = Date.parse(`${v}T00:00:00.000Z`);
  let t = guess - zoneOffset(new Date(guess), timeZone);
  const second = zoneOffset(new Date(t), timeZone);
  t = guess - second;
  return new Date(t);
}

export function formatDateTime(value: string | Date, language: string): string {
  return new Intl.DateTimeFormat(language, { timeZone: TIME_ZONE, dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

/** The time of day in the district's zone, in the language's own format (20:39, 8:39 PM), as formatDateTime shows it. */
export function formatTime(value: string | Date, language: string): string {
  return new Intl.DateTimeFormat(language, { timeZone: TIME_ZONE, timeStyle: "short" }).format(new Date(value));
}

export function formatDate(value: string | Date, language: string): string {
  return new Intl.DateTimeFormat(language, { timeZone: TIME_ZONE, dateStyle: "medium" }).format(new Date(value));
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}
