// Exact dates are reduced to season and year (consent-and-privacy.md); a date of birth to its year.
export const MONTHS_DE = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"] as const;
const MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_ABBR = ["jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"];

/** 1..12 for a German or English month name (full, "Maerz", or abbreviated), else null. */
export function monthNumber(name: string): number | null {
  const n = name.toLowerCase().replace(/\.$/, "").replace("maerz", "märz").replace("marz", "märz");
  for (const list of [MONTHS_DE, MONTHS_EN, MONTH_ABBR]) {
    const i = (list as readonly string[]).indexOf(n);
    if (i >= 0) return i + 1;
  }
  if (n === "sept") return 9;
  return null;
}

export function season(month: number): string {
  if (month === 12 || month <= 2) return "Winter";
  if (month <= 5) return "Frühjahr";
  if (month <= 8) return "Sommer";
  return "Herbst";
}

/** "Frühjahr 2023", or only the season when the year is unknown. */
export function coarseDate(month: number | null, year: string | null): string {
  if (month && year) return `${season(month)} ${year}`;
  if (year) return year;
  if (month) return season(month);
  return "[Datum]";
}

export const fullYear = (y: string) => (y.length === 2 ? (Number(y) > 40 ? `19${y}` : `20${y}`) : y);

/** Every common way to write an ISO date (YYYY-MM-DD): for finding a date of birth from the identity record. */
export function dateVariants(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return [];
  const [, y, mm, dd] = m as unknown as [string, string, string, string];
  const d = String(Number(dd));
  const mo = String(Number(mm));
  const month = MONTHS_DE[Number(mm) - 1]!;
  const monthCap = month[0]!.toUpperCase() + month.slice(1);
  const monthEn = MONTHS_EN[Number(mm) - 1]!;
  const monthEnCap = monthEn[0]!.toUpperCase() + monthEn.slice(1);
  const n = Number(d);
  const ordinal = n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th";
  return [
    iso,
    // The birthday without its year also points to the person (matched only where no year follows).
    `${dd}.${mm}.`,
    `${d}.${mo}.`,
    `${d}. ${monthCap}`,
    `${monthEnCap} ${d}${ordinal}, ${y}`,
    `${d}${ordinal} ${monthEnCap} ${y}`,
    `${monthEnCap} ${d}${ordinal}`,
    `${dd}.${mm}.${y}`,
    `${d}.${mo}.${y}`,
    `${dd}.${mm}.${y.slice(2)}`,
    `${d}. ${monthCap} ${y}`,
    `${dd}. ${monthCap} ${y}`,
    `${mo}/${d}/${y}`,
    `${dd}/${mm}/${y}`,
    `${monthEnCap} ${d}, ${y}`,
    `${d} ${monthEnCap} ${y}`,
  ];
}
