// Exact dates are reduced to season and year (consent-and-privacy.md); a date of birth to its year.
import { capitalised } from "./language.ts";
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

/**
 * "Frühjahr 2023", or only the season when the year is unknown. Winter spans the turn of the year, so it is named
 * with both years: January 2025 and December 2024 are both "Winter 2024/25" ("Winter 2025" would be ambiguous).
 */
export function coarseDate(month: number | null, year: string | null): string {
  if (month && year && season(month) === "Winter" && /^\d{4}$/.test(year)) {
    const first = month === 12 ? Number(year) : Number(year) - 1;
    return `Winter ${first}/${String((first + 1) % 100).padStart(2, "0")}`;
  }
  if (month && year) return `${season(month)} ${year}`;
  if (year) return year;
  if (month) return season(month);
  return "[Datum]";
}

const SEASONS_EN: Record<string, string> = { Winter: "winter", Frühjahr: "spring", Sommer: "summer", Herbst: "autumn" };

/** The English of coarseDate: "spring 2023", "winter 2024/25" across the turn of the year, or the season alone. */
export function coarseDateEn(month: number, year: string | null): string {
  const german = coarseDate(month, year);
  return german.replace(/^(Winter|Frühjahr|Sommer|Herbst)/u, (s) => SEASONS_EN[s]!);
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
  const monthCap = capitalised(month);
  const monthEn = MONTHS_EN[Number(mm) - 1]!;
  const monthEnCap = capitalised(monthEn);
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

// Ages. An exact age together with the interview's year gives the year of birth, so an age is coarsened like a
// date: to childhood or youth, or to the early, middle or late part of a decade ("Mitte dreißig").
const UNITS = ["", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"];
const TEENS = ["zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"];
const TENS = ["", "zehn", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"];

/** German number words 2..99 ("zwölf", "fünfunddreißig"), also written without umlauts or ß. */
const NUMBER_WORDS = new Map<string, number>();
for (let n = 2; n < 100; n++) {
  const word = n < 10 ? UNITS[n]! : n < 20 ? TEENS[n - 10]! : n % 10 ? `${UNITS[n % 10]}und${TENS[Math.floor(n / 10)]}` : TENS[n / 10]!;
  for (const w of new Set([word, word.replace(/ß/g, "ss").replace(/ü/g, "ue").replace(/ö/g, "oe"), word.replace(/ß/g, "ss")])) NUMBER_WORDS.set(w, n);
}
NUMBER_WORDS.delete("ein");

/** An age as digits or a German number word (2..99), for patterns (case-insensitive). */
export const AGE_NUMBER = `(?:[1-9]\\d?|${[...NUMBER_WORDS.keys()].sort((a, b) => b.length - a.length).join("|")})`;

export function ageNumber(s: string): number | null {
  const n = /^\d+$/.test(s) ? Number(s) : (NUMBER_WORDS.get(s.toLowerCase()) ?? null);
  return n !== null && n >= 1 && n < 100 ? n : null;
}

/** How the age is used in its sentence, so the coarsened one reads as German. */
export type AgeForm = "predicate" | "adverbial" | "adjective" | "noun" | "bracket";

const band = (n: number) => `${n % 10 <= 3 ? "Anfang" : n % 10 <= 6 ? "Mitte" : "Ende"} ${TENS[Math.floor(n / 10)]}`;

/**
 * "ist zwölf" -> "ist ein Kind", "bin 35 Jahre alt" -> "bin Mitte dreißig", "mit sechzehn" -> "im Jugendalter",
 * "die 35-jährige Mutter" -> "die über dreißigjährige Mutter", "als 12-Jähriger" -> "als Jugendlicher",
 * "Mariam (12)" -> "Mariam (Kind)". `ending` is the inflection of an adjective or noun ("e", "er", "en").
 */
export function coarseAge(n: number, form: AgeForm, ending = ""): string {
  // German law: a child is under 14, a youth under 18 (and 18, 19 still read as "jugendlich").
  const child = n < 14;
  const youth = n < 20;
  switch (form) {
    case "predicate":
      return child ? "ein Kind" : youth ? "jugendlich" : band(n);
    case "adverbial":
      return child ? "im Kindesalter" : youth ? "im Jugendalter" : `mit ${band(n)}`;
    case "bracket":
      return `(${child ? "Kind" : youth ? "jugendlich" : band(n)})`;
    case "adjective":
      return child ? `klein${ending}` : youth ? `jugendlich${ending}` : `über ${TENS[Math.floor(n / 10)]}jährig${ending}`;
    case "noun":
      return child ? `Klein${ending}` : youth ? `Jugendlich${ending}` : `über ${capitalised(TENS[Math.floor(n / 10)]!)}jährig${ending}`;
  }
}
