// Patterns that identify whatever record they belong to: phone numbers, e-mail addresses, file numbers (AZR,
// BAMF), street addresses, exact dates (a date of birth by its context), employers and schools by their
// naming pattern, rare origins (places, professions and other descriptors: places.ts, descriptors.ts). Each detector returns hits on the
// original text with a proposed replacement (consent-and-privacy.md).
import { AGE_NUMBER, ageNumber, coarseAge, coarseDate, coarseDateEn, fullYear, monthNumber, type AgeForm } from "./dates.ts";
import { escapeRegExp } from "./fold.ts";
import { ORIGIN_TERMS, PEOPLE_ADJECTIVE_EN, REGION_EN } from "./origins.ts";
import { capitalised, englishAround, fitEnglishArticle, opensSentence } from "./language.ts";
import { isCommonWord, KIN_SINGULAR, NAME } from "./names.ts";
import type { Hit, RedactionCategory } from "./types.ts";

const hit = (text: string, start: number, end: number, category: RedactionCategory, suggestion: string): Hit => ({
  start,
  end,
  text: text.slice(start, end),
  category,
  source: "pattern",
  suggestion,
});

export const PLACEHOLDER: Record<RedactionCategory, string> = {
  name: "[Name]",
  date_of_birth: "[Geburtsjahr]",
  exact_date: "[Datum]",
  phone: "[Telefonnummer]",
  email: "[E-Mail]",
  file_number: "[Aktenzeichen]",
  address: "[Adresse]",
  municipality_small: "[Gemeinde im Landkreis]",
  municipality: "[Gemeinde im Landkreis]",
  region: "[Gebiet im Landkreis]",
  place_outside: "[Ort in der Nachbarschaft]",
  employer: "[Arbeitgeber]",
  school: "[Schule]",
  origin: "[Herkunftsregion]",
  nationality: "[Herkunftsland]",
  transit: "[Transitland]",
  occupation: "[Beruf]",
  school_grade: "[Klassenstufe]",
  place_size: "[Ort]",
  age: "[Alter]",
  manual: "[…]",
};

const MONTH = "Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jan\\.|Feb\\.|Mär\\.|Apr\\.|Aug\\.|Sept?\\.|Okt\\.|Nov\\.|Dez\\.|January|February|March|May|June|July|October|December";
const MONTH_EN = "January|February|March|April|May|June|July|August|September|October|November|December";
const ENGLISH_ONLY = /^(?:January|February|March|May|June|July|October|December)$/u;
const BIRTH_CONTEXT = /(?:geboren|geb\.|Geburtsdatum|Geburtstag|born)[^.!?]{0,20}$/iu;
// German puts the participle last: "Ich bin am 14.03.1986 in Aleppo geboren."
const BIRTH_AFTER = /^[^.!?]{0,40}?(?<![\p{L}])(?:geboren|zur Welt gekommen)(?![\p{L}])/iu;

export function dates(text: string): Hit[] {
  const out: Hit[] = [];
  // A month that is English only ("March", not "April") is coarsened to an English season: "on May 3, 2019" -> "in
  // spring 2019", not "in Frühjahr 2019". April, August, September and November are spelled alike: such a day is
  // English by its own words, "on" or "the" before it, an English ordinal ("3rd"), "of", or the month first.
  const add = (start: number, end: number, month: number | null, year: string | null, monthName = "", english = false) => {
    const birth = BIRTH_CONTEXT.test(text.slice(Math.max(0, start - 40), start)) || BIRTH_AFTER.test(text.slice(end, end + 60));
    // A day without English words of its own ("3 April 2019") follows its sentence: "She arrived 3 April 2019".
    const coarse = month && (english || ENGLISH_ONLY.test(monthName) || englishAround(text, start, end)) ? coarseDateEn : coarseDate;
    const coarsened = coarse(month!, year ? fullYear(year) : null);
    out.push(birth ? hit(text, start, end, "date_of_birth", year ? fullYear(year) : "[Geburtsjahr]") : hit(text, start, end, "exact_date", opensSentence(text.slice(0, start)) ? capitalised(coarsened) : coarsened));
  };
  const englishLead = (start: number) => /(?<![\p{L}])(?:[Oo]n|[Tt]he)\s+$/u.test(text.slice(Math.max(0, start - 4), start));
  // 14. März 1986, 1. April, 14 March 1986, 3rd April 2019, the 3rd of April
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}\p{N}])(\d{1,2})(st|nd|rd|th)?\.?\s*(of\s+)?(${MONTH})(?:\s+(\d{4}))?(?![\p{L}\p{N}])`, "gu"))) {
    if (m[3] && !m[2] && !englishLead(m.index)) continue; // "3 of April" is no German and no English date
    add(m.index, m.index + m[0].length, monthNumber(m[4]!), m[5] ?? null, m[4], Boolean(m[2] || m[3]) || englishLead(m.index));
  }
  // March 14, 1986, April 3rd, 2019: the month first is English
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}])(${MONTH})\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?![\p{N}])`, "gu"))) {
    add(m.index, m.index + m[0].length, monthNumber(m[1]!), m[3]!, m[1], true);
  }
  // on March 14, May 3rd, the month first without a year: English only by "on"/"the" before it or an ordinal, so
  // "im März 3 Kinder" stays (a year after it is the pattern above).
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}])(${MONTH})\s+(\d{1,2})(st|nd|rd|th)?(?![\p{L}\p{N}])(?!,?\s+\d{4})`, "gu"))) {
    if (!m[3] && !englishLead(m.index)) continue;
    add(m.index, m.index + m[0].length, monthNumber(m[1]!), null, m[1], true);
  }
  // August 2023, im März 2016: a month with its year is exact enough to find a person (a day before it is the
  // pattern above). Reduced to the season like a full date.
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}\p{N}])(?<!\d\.?\s*)(${MONTH})\s+(\d{4})(?![\p{N}])`, "gu"))) {
    add(m.index, m.index + m[0].length, monthNumber(m[1]!), m[2]!, m[1]);
  }
  // Anfang März, Mitte Mai, Ende Okt., im März: a month without a year (the patterns above take any year or day
  // with it). Less exact than a day, but "Ende März" next to an age or an event narrows as "März 2016" does, so it
  // is coarsened the same way, to the season ("im Frühjahr", fitted by fitDate). Only after these words, which are
  // part of the hit ("im August" is never the name August, whose proposal would share the text), so a name or the
  // months of a list ("Januar, März und Mai") stay. Of a birthday too, as the season: there is no year to keep.
  // An abbreviation's dot that ends the sentence stays in the text.
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}])(?:Anfang|Mitte|Ende|[Ii]m)\s+(?<month>${MONTH})(?!\s*\d)(?![\p{L}\p{N}-])`, "gu"))) {
    const month = m.groups!.month!;
    const after = m.index + m[0].length;
    const end = after - (month.endsWith(".") && /^(?:\s+\p{Lu}|\s*$)/u.test(text.slice(after)) ? 1 : 0);
    out.push(hit(text, m.index, end, "exact_date", coarseDate(monthNumber(month), null)));
  }
  // The English forms, with or without a year: "early March", "in March", "mid-March", "(at) the end of March 2019",
  // "since the beginning of May". Coarsened like "Anfang März" -> "im Frühjahr", but in English: "in spring",
  // "in spring 2019", "since spring" (a leading preposition takes the place of "in"). The words before the month
  // are part of the hit, so "March" alone (a name, a verb, a list) stays; with a year the hit grows over the
  // "March 2019" found above.
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}])(?:(?<prep>[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Bb]efore|[Aa]fter|[Ff]rom|[Dd]uring|[Ii]n(?=\s+(?:early|late|mid-|the\s)))\s+)?(?:(?:(?:[Aa]t\s+)?(?:[Tt]he\s+)?(?:[Bb]eginning|[Ss]tart|[Mm]iddle|[Ee]nd)\s+of|[Ee]arly|[Ll]ate|[Ii]n)\s+|[Mm]id-\s*)(?<month>${MONTH_EN})(?:,?\s+(?<year>\d{4}))?(?![\p{L}\p{N}-])`, "gu"))) {
    const { prep, month, year } = m.groups!;
    const season = coarseDateEn(monthNumber(month!)!, year ?? null);
    const fitted = `${prep ? prep.toLowerCase() : "in"} ${season}`;
    out.push(hit(text, m.index, m.index + m[0].length, "exact_date", /^\p{Lu}/u.test(m[0]) ? capitalised(fitted) : fitted));
  }
  // 14.03.1986, 14.3.86, 1986-03-14, 3/14/1986
  for (const m of text.matchAll(/(?<![\p{N}.:#-])(\d{1,2})\. ?(\d{1,2})\. ?(\d{4}|\d{2})(?![\p{N}])/gu)) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12 && Number(m[1]) >= 1 && Number(m[1]) <= 31) add(m.index, m.index + m[0].length, month, m[3]!);
  }
  for (const m of text.matchAll(/(?<![\p{N}-])(\d{4})-(\d{2})-(\d{2})(?![\p{N}])/gu)) add(m.index, m.index + m[0].length, Number(m[2]), m[1]!);
  for (const m of text.matchAll(/(?<![\p{N}/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\p{N}])/gu)) add(m.index, m.index + m[0].length, Number(m[1]) <= 12 ? Number(m[1]) : Number(m[2]), m[3]!);
  return out;
}

// Ages in the ways people tell them. Only where the words say it is an age: "Sie war 37" is one, "es war
// zwölf" (the time), "ich war zwei Monate" (a duration) or "mit zwei anderen" are not.
const AGE_ADVERB = "damals|erst|schon|gerade|noch|fast|knapp|etwa|ungefähr|jetzt|heute|inzwischen|mittlerweile|bald|nun";
const PERSON_NOUN = `${KIN_SINGULAR}|Junge|Jungen|Mädchen|Kind|Kindes|Baby|Person|Schüler|Schülerin|Flüchtling|Geflüchtete[rn]?|Witwe|Witwer|Student|Studentin|Auszubildende[rn]?|Azubi|Frau|Mann`;
// Words before "war/ist" whose number is no age ("das war zwölf", "die Miete war vierzig").
const NO_AGE_SUBJECT = /(?:^|[^\p{L}])(?:es|das|dies|was|wie|wo|hier|da|so|nur|alles|insgesamt)\s+$/iu;
// After the number: a noun ("zwölf Kilometer"), a unit, "mal", another number ("fünf, sechs Jahre").
const NOT_AGE_AFTER = /^(?:\s+\p{Lu}|\s*(?:%|€|:|[.,]\d)|\s+(?:mal|uhr|euro|prozent|monate?|wochen?|tage?|stunden?|minuten?)(?![\p{L}])|\s*(?:,|-|bis|oder)\s*\p{N})/u;
// "mit zwei anderen Familien": an adjective with its noun; "mit sechzehn habe ich" is an age (a verb follows).
const ADJECTIVE_NOUN_AFTER = /^\s+(?!(?:habe|hatte|hatten|haben|bin|war|waren|wurde|wurden|musste|mussten|konnte|konnten|wollte|wollten|durfte|sollte|ging|gingen|kam|kamen|sind)\s)\p{Ll}+(?:e|en|er|es|em)\s+\p{Lu}/u;

const ageRe = (body: string) => new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "giu");
const AGE_RE = {
  yearsOld: ageRe(`(${AGE_NUMBER})\\s+Jahre?\\s+alt`),
  atTheAgeOf: ageRe(`im\\s+Alter\\s+von\\s+(?:(?:etwa|ca\\.|knapp|fast)\\s+)?(${AGE_NUMBER})(?:\\s+Jahren)?`),
  with: ageRe(`mit\\s+(${AGE_NUMBER})(\\s+Jahren)?`),
  copula: ageRe(`(?:bin|bist|ist|war|warst|wird|wurde)\\s+(?:(?:ich|du|er|sie)\\s+)?(?:(?:${AGE_ADVERB})\\s+)?(${AGE_NUMBER})(\\s+Jahre(?:\\s+alt)?)?`),
  when: ageRe(`(?:als|seit|wo|bis|weil|da)\\s+(?:ich|du|er|sie)\\s+(${AGE_NUMBER})(\\s+Jahre(?:\\s+alt)?)?(?=\\s+(?:war|wurde|bin|ist|wird|geworden))`),
  yearOld: ageRe(`(als\\s+)?(${AGE_NUMBER})-?(j|J)ährig(e|er|en|em|es)?`),
};
const PERSON_AFTER = new RegExp(`^\\s+(?:${PERSON_NOUN})(?![\\p{L}])`, "u");

export function ages(text: string): Hit[] {
  const out: Hit[] = [];
  const add = (start: number, end: number, number: string, form: AgeForm, ending = "") => {
    const n = ageNumber(number);
    if (n === null) return;
    const suggestion = coarseAge(n, form, ending);
    const upper = /^\p{Lu}/u.test(text.slice(start, end)) && form !== "noun";
    out.push(hit(text, start, end, "age", upper ? capitalised(suggestion) : suggestion));
  };
  // 23 Jahre alt, fünfunddreißig Jahre alt
  for (const m of text.matchAll(AGE_RE.yearsOld)) add(m.index, m.index + m[0].length, m[1]!, "predicate");
  // im Alter von 14 Jahren
  for (const m of text.matchAll(AGE_RE.atTheAgeOf)) add(m.index, m.index + m[0].length, m[1]!, "adverbial");
  // mit sechzehn, mit 16 Jahren (not "mit zwölf Leuten", "mit 20 Euro", "mit zwei anderen Familien")
  for (const m of text.matchAll(AGE_RE.with)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 60);
    if (!m[2] && (NOT_AGE_AFTER.test(after) || ADJECTIVE_NOUN_AFTER.test(after))) continue;
    add(m.index, m.index + m[0].length, m[1]!, "adverbial");
  }
  // ich bin 35 (Jahre), Sie war 37, er war damals drei, Mariam ist zwölf, damals war ich sechzehn
  for (const m of text.matchAll(AGE_RE.copula)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 60);
    if (!m[2] && NOT_AGE_AFTER.test(after)) continue;
    // "Ich bin zehn Jahre in Deutschland" is a duration; "Ich bin fünfunddreißig Jahre." an age.
    if (m[2] && !/alt$/u.test(m[2]) && !/^\s*(?:[.,;!?)#]|und(?![\p{L}])|$)/u.test(after)) continue;
    if (NO_AGE_SUBJECT.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
    const start = m.index + m[0].length - m[1]!.length - (m[2]?.length ?? 0);
    add(start, m.index + m[0].length, m[1]!, "predicate");
  }
  // als ich sechzehn war, seit er 18 ist
  for (const m of text.matchAll(AGE_RE.when)) {
    const start = m.index + m[0].length - m[1]!.length - (m[2]?.length ?? 0);
    add(start, m.index + m[0].length, m[1]!, "predicate");
  }
  // als 12-Jähriger, der Zwölfjährige, die 35-jährige Mutter (not "eine dreijährige Ausbildung": a duration;
  // not "über dreißigjährige": that is the coarsened age)
  for (const m of text.matchAll(AGE_RE.yearOld)) {
    const number = m[2]!;
    const at = m.index + (m[1]?.length ?? 0);
    if (/über\s+$/iu.test(text.slice(Math.max(0, at - 6), at)) && ageNumber(number)! % 10 === 0) continue;
    const noun = m[3] === "J" || /^\p{Lu}/u.test(number);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
    if (!noun && !PERSON_AFTER.test(after)) continue;
    // "Als 12-Jähriger kam ich" reads "Im Kindesalter kam ich", whatever the gender.
    if (noun && m[1]) add(m.index, m.index + m[0].length, number, "adverbial");
    else add(at, m.index + m[0].length, number, noun ? "noun" : "adjective", m[4] ?? "");
  }
  return out;
}

/** "Mariam (12)", "Karim (3)": a number in brackets right after a found name. */
export function agesAfterNames(text: string, hits: readonly Hit[]): Hit[] {
  const out: Hit[] = [];
  for (const h of hits) {
    if (h.category !== "name") continue;
    const m = /^\s?\((\d{1,2})\)/u.exec(text.slice(h.end, h.end + 6));
    const n = m ? ageNumber(m[1]!) : null;
    if (m && n !== null) out.push(hit(text, h.end + m[0].indexOf("("), h.end + m[0].length, "age", coarseAge(n, "bracket")));
  }
  return out;
}

export function phones(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(/(?<![\p{N}\p{L}])(?:\+\d{2,3}[\s/-]?(?:\(0\)\s?)?|00\d{2}[\s/-]?|0)\d{2,5}(?:[\s/-]?\d{2,}){1,4}(?![\p{N}])/gu)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length >= 7 && digits.length <= 15) out.push(hit(text, m.index, m.index + m[0].length, "phone", PLACEHOLDER.phone));
  }
  return out;
}

export function emails(text: string): Hit[] {
  return [...text.matchAll(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu)].map((m) => hit(text, m.index, m.index + m[0].length, "email", PLACEHOLDER.email));
}

/** AZR numbers (12 digits, often in groups of four), BAMF file numbers (7 digits - 3 digits), other long numbers. */
export function fileNumbers(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(/(?<![\p{N}\p{L}+])[1-9](?:[ /-]?\d){5,}(?![\p{N}])/gu)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length < 7) continue;
    if (/^(?:(?:19|20)\d\d[ /-]?)+$/.test(m[0].trim()) && !/\d{5}/.test(m[0])) continue; // a run of years
    const azr = /AZR/i.test(text.slice(Math.max(0, m.index - 30), m.index)) || /^\d{4} \d{4} \d{4}$/.test(m[0]);
    out.push(hit(text, m.index, m.index + m[0].length, "file_number", azr ? "[AZR-Nummer]" : PLACEHOLDER.file_number));
  }
  // Alphanumeric file numbers after a cue word: "Az. 5432-B-123", "Aktenzeichen: K 12/2024"
  // Whole cue words only: "AZ" inside "AZR" is no cue (it cut "AZR 6283417-475" into "AZ[Aktenzeichen]").
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])(?:Aktenzeichen|Az\.|AZ|Kundennummer|BG-Nummer|Geschäftszeichen)(?![\p{L}\p{N}])\s*:?\s*([A-Z0-9][A-Z0-9 ./-]{3,}[0-9])/gu)) {
    const start = m.index + m[0].length - m[1]!.length;
    out.push(hit(text, start, start + m[1]!.length, "file_number", PLACEHOLDER.file_number));
  }
  return out;
}

const MONTH_WORDS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Frühjahr|Frühling|Sommer|Herbst|Winter|Jahr|Jahre|Alter";
const STREET_SUFFIX = "straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|ufer|steig|pfad|graben|chaussee|stieg|zeile|hof";
export function addresses(text: string): Hit[] {
  const out: Hit[] = [];
  // Wiesenweg 4, Tumringer Straße 12a, Am Markt 3, Basler Str. 7
  const re = new RegExp(String.raw`(?<![\p{L}])(?:\p{Lu}[\p{L}-]*(?:${STREET_SUFFIX})|\p{Lu}[\p{Ll}-]+(?:er|e)\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring)|(?:Am|An der|Im|Auf der|Zum|Zur)\s+(?!(?:${MONTH_WORDS})\b)\p{Lu}[\p{Ll}-]+)\s+\d{1,3}\s?[a-zA-Z]?(?![\p{L}\p{N}])(?:,?\s+\d{5}\s+\p{Lu}[\p{L}-]+)?`, "gu");
  for (const m of text.matchAll(re)) out.push(hit(text, m.index, m.index + m[0].length, "address", PLACEHOLDER.address));
  for (const m of text.matchAll(/(?<![\p{N}])\d{5}\s+\p{Lu}[\p{L}-]+(?:\s+(?:im|am|an der)\s+\p{Lu}[\p{L}-]+)?/gu)) out.push(hit(text, m.index, m.index + m[0].length, "address", PLACEHOLDER.address));
  return out;
}

// A name part after an organisation word: capitalised words, joined by am/an der/im/zum/zur/beim.
const ORG_NAME = String.raw`(?:(?:am|Am|an der|An der|im|Im|zum|Zum|zur|Zur|beim|Beim|vom|Vom)\s+)?${NAME}(?:\s+(?:(?:am|an der|im|zum|zur)\s+)?${NAME})*`;
const EMPLOYER_WORDS =
  "Apotheke|Bäckerei|Metzgerei|Konditorei|Elektro|Autohaus|Autowerkstatt|Werkstatt|Friseur|Friseursalon|Salon|Restaurant|Gasthaus|Gasthof|Gaststätte|Hotel|Café|Pizzeria|Imbiss|Praxis|Zahnarztpraxis|Arztpraxis|Kanzlei|Pflegeheim|Seniorenheim|Altenheim|Pflegedienst|Reinigung|Gebäudereinigung|Malerbetrieb|Schreinerei|Zimmerei|Gärtnerei|Spedition|Firma|Supermarkt|Baumarkt|Klinik|Krankenhaus|Kiosk|Lager|Logistik|Sanitär|Heizungsbau|Dachdeckerei|Fahrschule";
const COMPANY_SUFFIX = String.raw`GmbH(?:\s*&\s*Co\.\s*KG)?|AG|KG|OHG|GbR|UG|SE|e\.\s?K\.|e\.\s?V\.`;

export function employers(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}-])(?:${EMPLOYER_WORDS})\s+${ORG_NAME}`, "gu"))) {
    out.push(hit(text, m.index, m.index + m[0].length.valueOf(), "employer", PLACEHOLDER.employer));
  }
  for (const m of text.matchAll(new RegExp(String.raw`(?:${NAME}[\s&-]+){1,4}(?:${COMPANY_SUFFIX})(?![\p{L}])`, "gu"))) {
    out.push(hit(text, m.index, m.index + m[0].length, "employer", PLACEHOLDER.employer));
  }
  return out.filter((h) => !/^(?:Firma|Praxis|Salon|Lager|Logistik)\s+(?:Ich|Sie|Er|Es|Wir|Die|Der|Das)\b/u.test(h.text));
}

const SCHOOL_WORDS =
  "Gemeinschaftsschule|Grundschule|Realschule|Werkrealschule|Hauptschule|Gesamtschule|Förderschule|Berufsschule|Gymnasium|Schulzentrum|Berufskolleg|Fachschule|Hochschule|Universität|Kindergarten|Kita|Volkshochschule|Sprachschule|Schule|Berufsfachschule|Berufsoberschule|Fachoberschule|Sprachinstitut";
const SCHOOL_ADJECTIVE = "Berufliche[sn]?|Kaufmännische[sn]?|Gewerbliche[sn]?|Hauswirtschaftliche[sn]?|Evangelische[sn]?|Katholische[sn]?|Freie|Private|Staatliche[sn]?|Städtische[sn]?|Internationale[sn]?";

export function schools(text: string): Hit[] {
  const out: Hit[] = [];
  // Gemeinschaftsschule Am Wiesenufer, Berufliche Schulzentrum Wiesental, Hans-Thoma-Gymnasium, Grundschule Steinen
  const re = new RegExp(
    String.raw`(?<![\p{L}-])(?:(?:${SCHOOL_ADJECTIVE})\s+)?(?:(?:\p{Lu}[\p{Ll}]+-)+(?:${SCHOOL_WORDS})(?:\s+${ORG_NAME})?|(?:${SCHOOL_WORDS})\s+${ORG_NAME})`,
    "gu",
  );
  for (const m of text.matchAll(re)) out.push(hit(text, m.index, m.index + m[0].length, "school", PLACEHOLDER.school));
  return out;
}

// English uses of a language name for people: before a noun for people, or after a form of "to be".
const PEOPLE_NOUN_AFTER_EN = /^\s+(?:wom[ae]n|m[ae]n|girls?|boys?|family|families|communit(?:y|ies)|people|person|refugees?|friends?|neighbou?rs?|mother|father|parents|child|children|husband|wife|couple|students?|colleagues?|origin|descent|nationals?|citizens?)(?![\p{L}])/u;
const TO_BE_BEFORE_EN = /(?<![\p{L}])(?:is|are|was|were|am)\s+$/u;

export function origins(text: string): Hit[] {
  const out: Hit[] = [];
  for (const term of ORIGIN_TERMS) {
    const flags = term.kind === "adjective" ? "giu" : "gu";
    const body = term.kind === "adjective" ? `${escapeRegExp(term.pattern)}(e|er|es|en|em)?` : term.kind === "demonym" ? `${escapeRegExp(term.pattern)}(innen|in|n)?` : term.kind === "english" ? `(?:${term.pattern})` : escapeRegExp(term.pattern);
    for (const m of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, flags))) {
      let replacement = term.replacement;
      if (term.kind === "adjective" || term.kind === "demonym") {
        replacement += m[1] ?? "";
        if (m[0][0] === m[0][0]!.toUpperCase() && term.kind === "adjective") replacement = capitalised(replacement);
      } else if (term.kind === "english") {
        if (/s$/u.test(m[0]) && !/\[/u.test(replacement)) replacement += "s"; // "Eritreans" -> "East Africans"
      } else if (PEOPLE_ADJECTIVE_EN[m[0]] && (PEOPLE_NOUN_AFTER_EN.test(text.slice(m.index + m[0].length, m.index + m[0].length + 30)) || TO_BE_BEFORE_EN.test(text.slice(Math.max(0, m.index - 8), m.index)))) {
        const fitted = fitEnglishArticle(text, m.index, PEOPLE_ADJECTIVE_EN[m[0]]!);
        out.push(hit(text, fitted.from, m.index + m[0].length, "origin", fitted.replacement));
        continue;
      } else if (REGION_EN[replacement] && englishAround(text, m.index, m.index + m[0].length)) replacement = REGION_EN[replacement]!;
      out.push({ ...hit(text, m.index, m.index + m[0].length, "origin", replacement) });
    }
  }
  return out;
}
