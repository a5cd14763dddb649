// Details that identify in combination rather than alone (UK Data Service and Qualiservice anonymisation
// guidance: occupation, nationality, a child's school year and the size of the place, next to a year of arrival,
// single out one person in a district). Each is proposed with a generalisation the researcher reviews; the
// replacement takes the article in front along where the gender changes, so the sentence still reads.
import { capitalised, englishAround, fitEnglishArticle, opensSentence } from "./language.ts";
import type { Hit, RedactionCategory } from "./types.ts";

const hit = (text: string, start: number, end: number, category: RedactionCategory, suggestion: string): Hit => ({ start, end, text: text.slice(start, end), category, source: "pattern", suggestion });

// Occupations: a curated list of the ones interviews name, each generalised to its field. "Fachkraft" (feminine
// in German for everyone) replaces the masculine and feminine forms alike; a masculine article in front becomes
// the feminine one ("ein Bauingenieur" -> "eine [Fachkraft im technischen Bereich]").
type Field = { singular: string; plural: string };
const FIELD = {
  health: { singular: "[Fachkraft im Gesundheitswesen]", plural: "[Fachkräfte im Gesundheitswesen]" },
  technical: { singular: "[Fachkraft im technischen Bereich]", plural: "[Fachkräfte im technischen Bereich]" },
  education: { singular: "[Fachkraft im Bildungsbereich]", plural: "[Fachkräfte im Bildungsbereich]" },
  law: { singular: "[Fachkraft im Rechtswesen]", plural: "[Fachkräfte im Rechtswesen]" },
  craft: { singular: "[Fachkraft im Handwerk]", plural: "[Fachkräfte im Handwerk]" },
} satisfies Record<string, Field>;

// masc: masculine singular forms; plural: masculine plural forms (where they differ); fem: the stem of the
// feminine form ("-in", "-innen" follow).
type Occupation = { masc: string[]; plural?: string[]; fem: string; field: Field };
const er = (stem: string, field: Field): Occupation => ({ masc: [stem, `${stem}s`], plural: [`${stem}n`], fem: `${stem}in`, field });
const weak = (stem: string, field: Field): Occupation => ({ masc: [stem, `${stem}en`], fem: `${stem}in`, field });
const strong = (stem: string, field: Field): Occupation => ({ masc: [stem, `${stem}s`], plural: [`${stem}e`, `${stem}en`], fem: `${stem}in`, field });

export const OCCUPATIONS: Occupation[] = [
  er("Apotheker", FIELD.health),
  weak("Pharmazeut", FIELD.health),
  { masc: ["Arzt", "Arztes"], plural: ["Ärzte", "Ärzten"], fem: "Ärztin", field: FIELD.health },
  { masc: ["Zahnarzt", "Zahnarztes"], plural: ["Zahnärzte", "Zahnärzten"], fem: "Zahnärztin", field: FIELD.health },
  { masc: ["Tierarzt", "Tierarztes"], plural: ["Tierärzte", "Tierärzten"], fem: "Tierärztin", field: FIELD.health },
  er("Krankenpfleger", FIELD.health),
  { masc: [], plural: ["Krankenschwestern", "Hebammen"], fem: "Krankenschwester|Hebamme", field: FIELD.health },
  weak("Physiotherapeut", FIELD.health),
  weak("Laborant", FIELD.health),
  strong("Ingenieur", FIELD.technical),
  strong("Bauingenieur", FIELD.technical),
  strong("Elektroingenieur", FIELD.technical),
  weak("Architekt", FIELD.technical),
  er("Informatiker", FIELD.technical),
  er("Elektriker", FIELD.technical),
  er("Mechaniker", FIELD.technical),
  er("Mechatroniker", FIELD.technical),
  er("Programmierer", FIELD.technical),
  er("Lehrer", FIELD.education),
  er("Grundschullehrer", FIELD.education),
  er("Erzieher", FIELD.education),
  weak("Dozent", FIELD.education),
  { masc: ["Rechtsanwalt", "Rechtsanwalts", "Anwalt", "Anwalts"], plural: ["Rechtsanwälte", "Rechtsanwälten", "Anwälte", "Anwälten"], fem: "Rechtsanwältin|Anwältin", field: FIELD.law },
  er("Richter", FIELD.law),
  weak("Jurist", FIELD.law),
  er("Schreiner", FIELD.craft),
  er("Tischler", FIELD.craft),
  er("Bäcker", FIELD.craft),
  er("Metzger", FIELD.craft),
  strong("Friseur", FIELD.craft),
  er("Schweißer", FIELD.craft),
  er("Fliesenleger", FIELD.craft),
];

// Adjectives and fields of study that name the profession as well: "pharmazeutische Hilfskraft", "Pharmazie studiert".
const OCCUPATION_WORDS: { pattern: string; replacement: string; adjective?: boolean }[] = [
  { pattern: "pharmazeutisch", replacement: "medizinisch", adjective: true },
  // The workplace names the profession too ("in einer Apotheke in Homs gearbeitet"); feminine like "Apotheke".
  { pattern: "Apotheke", replacement: "[Arbeitsstelle im Gesundheitswesen]" },
  { pattern: "Apotheken", replacement: "[Arbeitsstellen im Gesundheitswesen]" },
  { pattern: "Pharmazie", replacement: "[Fach im Gesundheitswesen]" },
  { pattern: "Zahnmedizin", replacement: "[Fach im Gesundheitswesen]" },
  { pattern: "Humanmedizin", replacement: "[Fach im Gesundheitswesen]" },
  { pattern: "Bauingenieurwesen", replacement: "[technisches Fach]" },
  { pattern: "Maschinenbau", replacement: "[technisches Fach]" },
  { pattern: "Elektrotechnik", replacement: "[technisches Fach]" },
  { pattern: "Informatik", replacement: "[technisches Fach]" },
];

// A masculine (or neuter) article before a noun that becomes the feminine "Fachkraft"/"Person"; plural and
// feminine articles fit as they are. "der" before a masculine singular is its nominative ("der Apotheker").
const TO_FEMININE: Record<string, string> = { ein: "eine", einen: "eine", einem: "einer", eines: "einer", der: "die", den: "die", dem: "der", des: "der", kein: "keine", keinen: "keine", keinem: "keiner" };
const ARTICLE_BEFORE = /(?<![\p{L}])(ein|einen|einem|eines|der|den|dem|des|kein|keinen|keinem)\s+$/iu;

/** A hit on a masculine singular noun replaced by a feminine one, with the article in front made to agree. */
function feminine(text: string, start: number, end: number, category: RedactionCategory, noun: string): Hit {
  const a = ARTICLE_BEFORE.exec(text.slice(Math.max(0, start - 12), start));
  if (!a) return hit(text, start, end, category, noun);
  const at = start - a[0].length;
  const article = TO_FEMININE[a[1]!.toLowerCase()]!;
  return hit(text, at, end, category, `${/^\p{Lu}/u.test(a[1]!) ? capitalised(article) : article} ${noun}`);
}

// Compiled once per pattern: the detectors run on every segment of every narrative and export.
const compiled = new Map<string, RegExp>();
const word = (body: string, flags = "gu") => {
  const key = `${flags}/${body}`;
  let re = compiled.get(key);
  if (!re) compiled.set(key, (re = new RegExp(`(?<![\\p{L}\\p{N}-])(?:${body})(?![\\p{L}\\p{N}])`, flags)));
  return re;
};

export function occupations(text: string): Hit[] {
  const out: Hit[] = [];
  for (const o of OCCUPATIONS) {
    for (const m of text.matchAll(word(`${o.fem}`))) out.push(hit(text, m.index, m.index + m[0].length, "occupation", o.field.singular));
    const femPlural = o.fem.split("|").filter((f) => f.endsWith("in")).map((f) => `${f}nen`);
    if (femPlural.length) for (const m of text.matchAll(word(femPlural.join("|")))) out.push(hit(text, m.index, m.index + m[0].length, "occupation", o.field.plural));
    if (o.plural?.length) for (const m of text.matchAll(word(o.plural.join("|")))) if (!o.masc.includes(m[0])) out.push(hit(text, m.index, m.index + m[0].length, "occupation", o.field.plural));
    if (o.masc.length) for (const m of text.matchAll(word(o.masc.join("|")))) {
      // "die Apotheker", "den Apothekern": a plural article before a form that is also the plural.
      const plural = /(?<![\p{L}])(?:die|diese|alle|viele|zwei|drei)\s+$/iu.test(text.slice(Math.max(0, m.index - 8), m.index));
      out.push(plural ? hit(text, m.index, m.index + m[0].length, "occupation", o.field.plural) : feminine(text, m.index, m.index + m[0].length, "occupation", o.field.singular));
    }
  }
  for (const w of OCCUPATION_WORDS) {
    for (const m of text.matchAll(word(w.adjective ? `${w.pattern}(e|en|em|er|es)?` : w.pattern))) {
      const replacement = w.adjective ? `${/^\p{Lu}/u.test(m[0]) ? capitalised(w.replacement) : w.replacement}${m[1] ?? ""}` : w.replacement;
      out.push(hit(text, m.index, m.index + m[0].length, "occupation", replacement));
    }
  }
  // One occurrence may match two entries ("Bauingenieur" is no "Ingenieur" thanks to the word boundary, but be safe).
  return out.filter((h, i) => out.findIndex((o) => o.start === h.start && o.end === h.end) === i);
}

// Nationality and country of origin, also the frequent ones (Syria, Afghanistan, Iraq, Iran, Ukraine): with a
// profession, a year and a place they single a person out. The rare ones are reduced to a region by origins.ts.
// Generalised to "[Herkunftsland]" rather than a language area ("aus einem arabischsprachigen Land"): that still
// narrows, is wrong for Kurds or Afghans, and does not fit every sentence ("In Syrien haben wir gearbeitet").
// Adjectives become "ausländisch" with their ending ("ihr syrischer Abschluss" -> "ihr ausländischer Abschluss").
// English: the names and demonyms of the same countries (German names after the Auswärtiges Amt's "Verzeichnis der
// Staatennamen", English after the UN's country names, unterm.un.org) become "[country of origin]" ("we fled
// Syria"), adjectives "foreign" ("an Afghan family" -> "a foreign family"), people "[person from the country of
// origin]". A name spelled alike in both languages ("Afghanistan", "Iran", "Ukraine") follows its sentence.
export type Gender = "n" | "m" | "f";
type Nation = {
  country: string;
  gender: Gender;
  adjective: string;
  demonym: { masc: string[]; plural: string[]; fem: string };
  en: { country: string; demonym: string; plural: string };
};
export const NATIONS: Nation[] = [
  { country: "Syrien", gender: "n", adjective: "syrisch", demonym: { masc: ["Syrer", "Syrers"], plural: ["Syrern"], fem: "Syrerin" }, en: { country: "Syria", demonym: "Syrian", plural: "Syrians" } },
  { country: "Afghanistan", gender: "n", adjective: "afghanisch", demonym: { masc: ["Afghane", "Afghanen"], plural: [], fem: "Afghanin" }, en: { country: "Afghanistan", demonym: "Afghan", plural: "Afghans" } },
  { country: "Irak", gender: "m", adjective: "irakisch", demonym: { masc: ["Iraker", "Irakers"], plural: ["Irakern"], fem: "Irakerin" }, en: { country: "Iraq", demonym: "Iraqi", plural: "Iraqis" } },
  { country: "Iran", gender: "m", adjective: "iranisch", demonym: { masc: ["Iraner", "Iraners"], plural: ["Iranern"], fem: "Iranerin" }, en: { country: "Iran", demonym: "Iranian", plural: "Iranians" } },
  { country: "Ukraine", gender: "f", adjective: "ukrainisch", demonym: { masc: ["Ukrainer", "Ukrainers"], plural: ["Ukrainern"], fem: "Ukrainerin" }, en: { country: "Ukraine", demonym: "Ukrainian", plural: "Ukrainians" } },
];
const COUNTRY = "[Herkunftsland]";
const PERSON = { singular: "[Person aus dem Herkunftsland]", plural: "[Personen aus dem Herkunftsland]" };
export const COUNTRY_EN = "[country of origin]";
const PERSON_EN = { singular: "[person from the country of origin]", plural: "[people from the country of origin]" };

/**
 * "in der Ukraine" -> "im [Herkunftsland]", "den Irak" -> "das [Herkunftsland]": the article of das Land. The same
 * for a transit country ("durch die Türkei" -> "durch das [Transitland]", transit.ts).
 */
export function fittedCountry(text: string, start: number, end: number, gender: Gender, category: RedactionCategory = "nationality", noun: string = COUNTRY): Hit {
  if (gender === "n") return hit(text, start, end, category, noun);
  const before = text.slice(Math.max(0, start - 12), start);
  const prep = /(?<![\p{L}])(in|aus|von|mit|bei|zu|nach|seit)\s+(der|dem)\s+$/iu.exec(before);
  if (prep) {
    const fitted = prep[1]!.toLowerCase() === "in" ? "im" : prep[1]!.toLowerCase() === "zu" ? "zum" : `${prep[1]} dem`;
    return hit(text, start - prep[0].length, end, category, `${/^\p{Lu}/u.test(prep[1]!) ? capitalised(fitted) : fitted} ${noun}`);
  }
  const article = /(?<![\p{L}])(die|der|den|des)\s+$/iu.exec(before);
  if (article) {
    const a = article[1]!.toLowerCase();
    // "der Ukraine" without a preposition is the genitive; "der Irak" the nominative.
    const fitted = a === "des" || (a === "der" && gender === "f") ? "des" : "das";
    return hit(text, start - article[0].length, end, category, `${/^\p{Lu}/u.test(article[1]!) ? capitalised(fitted) : fitted} ${noun}`);
  }
  return hit(text, start, end, category, noun);
}

export function nationalities(text: string): Hit[] {
  const out: Hit[] = [];
  for (const n of NATIONS) {
    const shared = n.en.country === n.country;
    for (const m of text.matchAll(word(`${n.country}s?`))) {
      // A shared name in an English sentence is proposed below, in English.
      if (shared && m[0] === n.country && englishAround(text, m.index, m.index + m[0].length)) continue;
      out.push(fittedCountry(text, m.index, m.index + m[0].length, n.gender));
    }
    for (const m of text.matchAll(word(`${n.adjective}(e|en|em|er|es)?`, "giu"))) {
      const upper = /^\p{Lu}/u.test(m[0]);
      out.push(hit(text, m.index, m.index + m[0].length, "nationality", `${upper ? "A" : "a"}usländisch${m[1] ?? ""}`));
    }
    for (const m of text.matchAll(word(`${n.demonym.fem}`))) out.push(hit(text, m.index, m.index + m[0].length, "nationality", PERSON.singular));
    for (const m of text.matchAll(word(`${n.demonym.fem}nen${n.demonym.plural.length ? `|${n.demonym.plural.join("|")}` : ""}`))) out.push(hit(text, m.index, m.index + m[0].length, "nationality", PERSON.plural));
    for (const m of text.matchAll(word(n.demonym.masc.join("|")))) {
      const plural = /(?<![\p{L}])(?:die|viele|alle|andere|zwei|drei|wir|uns)\s+$/iu.test(text.slice(Math.max(0, m.index - 8), m.index));
      out.push(plural ? hit(text, m.index, m.index + m[0].length, "nationality", PERSON.plural) : feminine(text, m.index, m.index + m[0].length, "nationality", PERSON.singular));
    }
    out.push(...englishNationality(text, n));
  }
  return out;
}

// After "a Syrian" these make it a person ("an Iraqi came", "the Afghan who"); any other word is its noun.
const PERSON_AFTER_EN = /^(?:\s*(?:[.,;:!?)]|$)|\s+(?:who|that|from|in|with|and|or|was|is|came|comes|had|has|have|lived|lives|named|called|told|said)(?![\p{L}]))/u;

/** "from Syria", "we fled Afghanistan" (an English sentence), "an Afghan family", "two Syrians", "she is a Syrian." */
function englishNationality(text: string, n: Nation): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(word(n.en.country))) {
    if (n.en.country !== n.country || englishAround(text, m.index, m.index + m[0].length)) out.push(hit(text, m.index, m.index + m[0].length, "nationality", COUNTRY_EN));
  }
  for (const m of text.matchAll(word(n.en.plural))) out.push(hit(text, m.index, m.index + m[0].length, "nationality", PERSON_EN.plural));
  for (const m of text.matchAll(word(n.en.demonym))) {
    const end = m.index + m[0].length;
    const article = /(?<![\p{L}])(?:[Aa]n?|[Tt]he)\s+$/u.test(text.slice(Math.max(0, m.index - 6), m.index));
    // A person only with an article and nothing after ("a Syrian.", "the Iraqi, who"); otherwise an adjective.
    const person = article && PERSON_AFTER_EN.test(text.slice(end, end + 12));
    const { from, replacement } = fitEnglishArticle(text, m.index, person ? PERSON_EN.singular : "foreign");
    out.push(hit(text, from, end, "nationality", from === m.index && opensSentence(text.slice(0, from)) ? capitalised(replacement) : replacement));
  }
  return out;
}

// School year of a child: with the child's age and the school it is a short list. Reduced to the stage, which is
// feminine like "Klasse", so the article stays: "in die siebte Klasse" -> "in die Mittelstufe".
const ORDINALS = ["erste", "zweite", "dritte", "vierte", "fünfte", "sechste", "siebte", "achte", "neunte", "zehnte", "elfte", "zwölfte", "dreizehnte"];
export const gradeStage = (n: number) => (n <= 4 ? "Grundschulstufe" : n <= 6 ? "Unterstufe" : n <= 10 ? "Mittelstufe" : "Oberstufe");

export function schoolGrades(text: string): Hit[] {
  const out: Hit[] = [];
  const ordinal = `(\\d{1,2})\\.|(\\d{1,2})\\s*-?te[nrs]?|(${ORDINALS.join("|")}|siebente)[nrs]?`;
  for (const m of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])(?:${ordinal})\\s+Klasse(?![\\p{L}])`, "giu"))) {
    const n = m[1] ?? m[2] ? Number(m[1] ?? m[2]) : m[3]!.toLowerCase() === "siebente" ? 7 : ORDINALS.indexOf(m[3]!.toLowerCase()) + 1;
    if (n >= 1 && n <= 13) out.push(hit(text, m.index, m.index + m[0].length, "school_grade", gradeStage(n)));
  }
  // "in Klasse 7" -> "in der Mittelstufe"
  for (const m of text.matchAll(/(?<![\p{L}])(in\s+)?Klasse\s+(\d{1,2})(?![\p{N}.])/gu)) {
    const n = Number(m[2]);
    if (n >= 1 && n <= 13) out.push(hit(text, m.index, m.index + m[0].length, "school_grade", `${m[1] ? "in der " : ""}${gradeStage(n)}`));
  }
  return out;
}

// The size of the place ("in einer sehr kleinen Gemeinde", "ein Dorf mit 300 Einwohnern"): next to a replaced
// municipality it tells which one it was (the district has eleven below 2,000 inhabitants, Böllen the smallest in
// the state). The size words go, the noun and its article stay: "in einer Gemeinde".
const SIZE = String.raw`(?<![\p{L}])(?:(?:[Ss]ehr|[Gg]anz|[Zz]iemlich|[Rr]elativ|[Ee]her|[Rr]echt|[Ww]inzig)\s+)?(?:[Kk]lein|[Kk]leinst|[Ww]inzig)(?:e|en|em|er|es)\s+`;
const PLACE_NOUN = String.raw`(Gemeinde|Dorf|Ort|Ortschaft|Stadt|Kleinstadt|Städtchen|Dörfchen|Ortsteil|Teilort|Weiler|Kaff|Nest)(?![\p{L}])`;

export function placeSizes(text: string): Hit[] {
  const out: Hit[] = [];
  // The noun is part of the hit, so the proposal shows what is left ("sehr kleinen Gemeinde" -> "Gemeinde").
  for (const m of text.matchAll(new RegExp(SIZE + PLACE_NOUN, "gu"))) out.push(hit(text, m.index, m.index + m[0].length, "place_size", m[1]!));
  // "mit (nur) 300 Einwohnern": the number of inhabitants, with the space before it.
  for (const m of text.matchAll(/\s+mit\s+(?:nur\s+|knapp\s+|etwa\s+|rund\s+|gerade\s+mal\s+|weniger\s+als\s+|unter\s+|über\s+)?[\d.]+\s+Einwohner(?:n|innen)?(?![\p{L}])/gu)) out.push(hit(text, m.index, m.index + m[0].length, "place_size", ""));
  return out;
}
