// Personal names in German interview text. German capitalises every noun, so a capitalised word is no name by
// itself; names are found where the text announces them: a title (Frau Gerspacher, Herr Dr. Albiez), an
// introduction (Mein Name ist ..., Ich heiße ...), a kinship or role word (mein Sohn Karim, ein Kollege, Jonas),
// an enumeration after plural kin (zwei Kinder, Mariam ist zwölf und Omid ist acht), and the list of common
// given names. Names learned anywhere in the source interviews are then proposed wherever they occur.
import { GIVEN_NAMES } from "./given-names.ts";
import type { NameParts } from "./types.ts";
import { fold, foldTerm, originalSpan, spellingPattern, wordPattern } from "./fold.ts";

export const NAME = String.raw`\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)*`;
// Dresing & Pehl transcripts write stressed words in capitals ("bei Frau GERSPACHER"): a name may be all caps.
const CAPS = String.raw`\p{Lu}{2,}(?:-\p{Lu}{2,})*`;
const NAME_OR_CAPS = `(?:${NAME}|${CAPS})`;
const TITLE = String.raw`(?:Frau|Herrn?|Familie)\s+(?:(?:Dr|Prof)\.\s+)*|(?:Dr|Prof)\.\s+`;

/** Capitalised words that follow titles or kin words without being names. */
const NOT_NAMES = new Set(
  (
    "sie ihr ihnen ich er es wir du der die das den dem des ein eine einen einem einer und aber oder mit von bei im in am an auf zu zum zur nach " +
    "für als wenn dann da so ja nein danke heute hier dort jetzt immer auch noch schon nicht kein keine doktor deutsch deutschland englisch " +
    "arabisch französisch persisch türkisch kurdisch ukrainisch russisch schule arbeit zeit geld angst gott hause kinder kind familie mama papa " +
    "baby sohn tochter mann frau herr herrn bruder schwester mutter vater onkel tante kollege kollegin chef chefin nachbar nachbarin pate patin " +
    "freund freundin lehrer lehrerin trainer meister ausbildung sprache kurs integrationskurs jobcenter ausländerbehörde amt bamf polizei " +
    "wohnung bus zug auto heimat land stadt dorf krieg flucht hilfe termin bescheid brief papiere pass ausweis visum doch also bitte genau " +
    "gut ok okay was wie wo wer warum wann weil dass damit aber sonntags samstags montags morgens abends ihre ihren ihrem ihrer"
  ).split(/\s+/),
);

export function isNameToken(token: string): boolean {
  return token.length >= 2 && !NOT_NAMES.has(foldTerm(token));
}

// Everyday nouns that can follow a name in a sentence ("weil Omid Fieber hatte", "dann hat Karim Angst
// bekommen") and must not be taken for its surname.
const COMMON_NOUNS = new Set(
  (
    "angst hunger durst fieber glück pech spaß spass lust mut ruhe hoffnung sorgen sorge problem probleme hilfe post besuch fußball fussball " +
    "hausaufgaben essen wasser zimmer haus heim termin termine kontakt unterricht praktikum job stelle platz arbeit recht respekt heimweh " +
    "tag tage woche wochen monat monate jahr jahre jahren stunde stunden minute minuten uhr euro prozent mal " +
    "montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli august september oktober november " +
    "dezember frühjahr frühling sommer herbst winter caritas diakonie elektro gemeinde rathaus landratsamt firma praxis klinik krankenhaus " +
    "bescheid vertrag unterkunft heim asyl duldung aufenthalt note noten klasse miete nummer zahl ergebnis freunde leute menschen " +
    "sport musik klavier gitarre fahrrad buch bücher brief briefe tee kaffee brot reis kuchen fleisch obst gemüse medikamente"
  ).split(/\s+/),
);
// Heads of compounds ("Deutschkurs", "Berufsschule", "Hausaufgaben"), and endings of nouns that are rare in
// family names. Plurals in -en are nouns, but -sen is a family name ending (Hansen, Petersen).
const COMPOUND_HEAD = /.{3}(?:kurs|kurse|kursen|schule|schulen|arbeit|aufgaben|unterricht|termin|termine|amt|behörde|zentrum|praktikum|wohnung|zimmer|geld|zeit|stunde|stunden|woche|wochen|jahr|jahre|jahren|stelle|papiere|bescheid|vertrag)$/u;
const NOUN_ENDING = /(?:ung|heit|keit|schaft|ion|ität|ismus|nis|tum|chen|lein|[^s]en|ssen)$/u;

/** Whether a capitalised word is an ordinary German word rather than a family name. */
export function isCommonWord(token: string): boolean {
  const f = foldTerm(token);
  const lower = token.toLowerCase();
  return !isNameToken(token) || COMMON_NOUNS.has(f) || COMMON_NOUNS.has(lower) || COMPOUND_HEAD.test(lower) || NOUN_ENDING.test(lower);
}

// Family name particles: al-Khatib, el-Sayed, bin Laden, ibn Rushd, von Weizsäcker, van der Berg, de Souza.
// Not "von der"/"von den": in German those are mostly "von der Schule", "von den Nachbarn".
const PARTICLE = String.raw`(?:(?:al|el|as|ad|ar|ul)-|van\s+(?:der|den|de)\s+|de\s+(?:la|los)\s+|(?:bin|ibn|bint|abu|von|van|de|di|del|della|dos|ter|ten)\s+)`;

/**
 * The family name right after a given name that ends at `end` ("Ahmad| Rahimi", "Rasha| al-Khatib"): one
 * capitalised word (in capitals after a name in capitals), maybe with particles, that is no ordinary word.
 * Returns its end and the surname as written, or null.
 */
export function followingSurname(text: string, end: number, givenInCaps = false): { end: number; surname: string } | null {
  const word = givenInCaps ? NAME_OR_CAPS : NAME;
  const m = new RegExp(String.raw`^[ \u00a0](${PARTICLE})?(${word})(?![\p{L}\p{N}])`, "u").exec(text.slice(end, end + 80));
  if (!m) return null;
  // "für Rasha von Karim" names two people (after bin/ibn a given name is the father's, part of the name).
  if (isCommonWord(m[2]!) || (m[1]?.startsWith("von") && listedGivenName(m[2]!))) return null;
  return { end: end + m[0].length, surname: m[0].trim() };
}

export const KIN_SINGULAR =
  "Mann|Ehemann|Frau|Ehefrau|Sohn|Tochter|Bruder|Schwester|Mutter|Vater|Onkel|Tante|Cousin|Cousine|Neffe|Nichte|Oma|Opa|Großmutter|Großvater|Enkel|Enkelin|Schwager|Schwägerin|Schwiegermutter|Schwiegervater|Freund|Freundin|Kollege|Kollegin|Pate|Patin|Nachbar|Nachbarin|Chef|Chefin|Lehrer|Lehrerin|Betreuer|Betreuerin|Mitbewohner|Mitbewohnerin|Verlobte|Verlobter|Cousine|Kleine|Kleinen|Älteste|Jüngste";
const KIN_PLURAL = "Kinder|Söhne|Töchter|Geschwister|Brüder|Schwestern|Enkel|Enkelkinder|Eltern";
const DETERMINER = String.raw`(?:[Mm]ein|[Uu]nser|[Ii]hr|[Ss]ein|[Dd]ein|[Ee]in|[Dd]er|[Dd]ie|[Dd]em|[Dd]en)(?:e|em|en|er|es)?`;

export type FoundName = { start: number; end: number; parts: NameParts; rule: "title" | "intro" | "kin" | "list" | "lexicon" };

function push(out: FoundName[], _text: string, start: number, end: number, parts: NameParts, rule: FoundName["rule"]) {
  out.push({ start, end, parts, rule });
}

/** A given name (group 1) and maybe a surname (group 2) of a match made with the "d" flag. */
function addPair(out: FoundName[], m: RegExpMatchArray, rule: FoundName["rule"], strictSecond: boolean) {
  const first = m[1]!;
  const second = m[2];
  if (!isNameToken(first)) return;
  // A capitalised noun after a kin word's name ("Karim Schule") is no surname: only name-like endings count.
  const two = !!second && isNameToken(second) && !(strictSecond && /(?:en|ung|heit|keit|schaft|ion|ität)$/u.test(second));
  const [start] = m.indices![1]!;
  const end = two ? m.indices![2]![1] : m.indices![1]![1];
  out.push({ start, end, parts: two ? { given: first, surname: second } : { given: first }, rule });
}

/** Names announced by the text itself (titles, introductions, kin words). */
export function announcedNames(text: string): FoundName[] {
  const out: FoundName[] = [];
  // Frau Gerspacher, Herr Albiez, Frau Dr. Wehrle, Dr. Meier, Frau Fereshta Noori
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}])(${TITLE})(${NAME_OR_CAPS})(?:\s+(${NAME}))?(?![\p{L}\p{N}])`, "gu"))) {
    const [all, title, first, second] = m as unknown as [string, string, string, string | undefined];
    if (!isNameToken(first)) continue;
    const two = second && isNameToken(second);
    const end = m.index + (two ? all.length : title.length + first.length);
    push(out, text, m.index, end, two ? { title: title.trim(), given: first, surname: second } : { title: title.trim(), surname: first }, "title");
  }
  // Mein Name ist Rasha Al-Khatib / Ich heiße Filmon Kidane / sie heißt Leila (not "das heißt")
  for (const m of text.matchAll(new RegExp(String.raw`(?:[Mm]ein Name ist|[Ii]ch heiße|[Ii]ch heisse|(?<![Dd]as )hei(?:ß|ss)t|[Mm]an nennt (?:mich|ihn|sie))\s+(${NAME})(?:\s+(${NAME}))?`, "dgu"))) {
    addPair(out, m, "intro", false);
  }
  // mein Mann Samer, unserem Sohn Karim, Ihr Mann Jawad Noori, Ein Kollege, Jonas,
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}])${DETERMINER}\s+(?:[\p{Ll}]+\s+)?(?:${KIN_SINGULAR}),?\s+(${NAME})(?:\s+(${NAME}))?`, "dgu"))) {
    addPair(out, m, "kin", true);
  }
  // zwei Kinder, Mariam ist zwölf und Omid ist acht
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}])(?:${KIN_PLURAL})\b[^.!?#]{0,80}`, "gu"))) {
    const window = m[0];
    for (const n of window.matchAll(new RegExp(String.raw`(?:,\s*|\bund\s+|:\s*)(${NAME})(?=\s+(?:ist|war|heißt|hat|und)\b|,)`, "gu"))) {
      const token = n[1]!;
      if (!isNameToken(token)) continue;
      const start = m.index + n.index + n[0].length - token.length;
      push(out, text, start, start + token.length, { given: token }, "kin");
    }
  }
  return out;
}

const LISTED = new Map(GIVEN_NAMES.map((g) => [foldTerm(g.name), g]));

export function listedGivenName(token: string) {
  return LISTED.get(foldTerm(token));
}

/** Occurrences of listed given names (whole words, also in capitals, genitive -s allowed). */
export function listedNames(text: string): FoundName[] {
  const out: FoundName[] = [];
  // Not in lower case: a listed name is no announced one, and "frank" or "said" are words.
  for (const m of text.matchAll(new RegExp(String.raw`(?<![\p{L}\p{N}])(${NAME_OR_CAPS})(?![\p{L}\p{N}])`, "gu"))) {
    const token = m[1]!;
    const bare = LISTED.has(foldTerm(token)) ? token : /s$/iu.test(token) && LISTED.has(foldTerm(token.slice(0, -1))) ? token.slice(0, -1) : null;
    if (!bare) continue;
    push(out, text, m.index, m.index + token.length, { given: bare }, "list");
  }
  return out;
}

/** A learned name token and whether it was used as a given name or a surname. */
export type LexiconEntry = { token: string; role: "given" | "surname" };
export type NameLexicon = Map<string, LexiconEntry>;

/** Learns the names announced anywhere in the corpus (whole source transcripts, the narrative's own text). */
export function learnNames(corpus: readonly string[], lexicon: NameLexicon = new Map()): NameLexicon {
  for (const text of corpus) {
    for (const found of announcedNames(text)) {
      if (found.parts.given && !lexicon.has(foldTerm(found.parts.given))) lexicon.set(foldTerm(found.parts.given), { token: found.parts.given, role: "given" });
      if (found.parts.surname) {
        for (const part of found.parts.surname.split("-").filter((p) => p.length >= 3).concat(found.parts.surname)) {
          if (isNameToken(part) && !lexicon.has(foldTerm(part))) lexicon.set(foldTerm(part), { token: part, role: "surname" });
        }
      }
    }
  }
  return lexicon;
}

/**
 * Every occurrence of a learned name: whole word, in any letter case ("NOORI", "rasha"), with or without
 * umlauts, genitive -s allowed ("Nooris"). The name was announced somewhere, so its lower-case form is the name.
 */
export function lexiconNames(text: string, lexicon: NameLexicon): FoundName[] {
  if (lexicon.size === 0) return [];
  const f = fold(text);
  const out: FoundName[] = [];
  for (const entry of lexicon.values()) {
    for (const m of f.text.matchAll(wordPattern(`${spellingPattern(entry.token)}(?:s|['’]s)?`))) {
      const [start, end] = originalSpan(f, m.index, m.index + m[0].length);
      push(out, text, start, end, entry.role === "given" ? { given: entry.token } : { surname: entry.token }, "lexicon");
    }
  }
  return out;
}
