// Text as the index sees it. The same function runs over the indexed text and over each query word, so
// "Prüfung", "Pruefung" and "PRÜFUNGEN" meet on one token. Words are found with Unicode classes (any script);
// Latin words lose their diacritics (ß -> ss, umlaut and ae/oe/ue folded) and are stemmed with the Snowball
// German stemmer (Greek and Cyrillic words lose their accents too); Arabic and Persian words lose their vowel marks and tatweel and get one form of alef, yeh
// and kaf, and Arabic words lose a leading article or "and" (stripArabicPrefix). Every engine (FTS5, PostgreSQL, Meilisearch) receives these tokens, so all answer alike.
import { germanStem } from "./german-stemmer.ts";

/** A word of the original text: its normalized token and where it stands (UTF-16 offsets, for highlighting). */
export type Token = { token: string; start: number; end: number };

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const LATIN_MARKS = /[\u0300-\u036f]/g;
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g;
const HAS_LATIN = /\p{Script=Latin}/u;
const HAS_GREEK_OR_CYRILLIC = /[\p{Script=Greek}\p{Script=Cyrillic}]/u;
const HAS_ARABIC = /\p{Script=Arabic}/u;
/** Longest token kept: longer runs (base64, hashes) are cut so no engine rejects them. */
const MAX_TOKEN = 60;

function foldArabic(word: string): string {
  return word
    .replace(ARABIC_MARKS, "")
    .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627") // alef with madda/hamza/wasla -> alef
    .replace(/[\u0649\u06cc]/g, "\u064a") // alef maksura, Farsi yeh -> yeh
    .replace(/\u06a9/g, "\u0643") // keheh (Persian kaf) -> kaf
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)) // Arabic-Indic digits
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0)); // Persian digits
}

/** Letters Persian has and Arabic lacks (peh, tcheh, jeh, gaf, keheh, Farsi yeh): a word with one is Persian. */
const PERSIAN_LETTERS = /[\u067e\u0686\u0698\u06af\u06a9\u06cc]/;
const ONLY_ARABIC_LETTERS = /^[\u0621-\u064a]+$/;
/** The definite article alone and behind "and", "with", "like", "so", and "for the" (li + al), longest first. */
const ARABIC_ARTICLES = ["\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644", "\u0641\u0627\u0644", "\u0627\u0644", "\u0644\u0644"];
/**
 * Common Persian (and Dari) words, folded, that are often written without a Persian-only letter and that the
 * Arabic prefix rules would cut, several into another word (ورود "entry" -> رود "river", الان "now" -> ان = آن
 * "that"). Persian writes its "and" apart and has no article, so these stay whole.
 */
const PERSIAN_WORDS = new Set([
  "الان", "البته", "الهام", "الماس", "الاغ", "البرز", "بالاتر", "بالاخره", "فالوده", "والد", "والدين",
  "ورود", "وارد", "وجود", "واقعا", "واقعي", "وزارت", "ولايت", "وحشت", "واحد", "وابسته", "ورزش", "وضعيت",
  "وظيفه", "وكيل", "وزير", "وسيله", "ويزا", "ولي",
]);

/**
 * Light prefix stripping as in Larkey, Ballesteros and Connell's light10 (2007; Lucene's ArabicStemmer is alike):
 * a leading و ("and") if at least 3 letters remain, then an article (ال, وال, بال, كال, فال, لل) if at least 2
 * remain, so المدرسة, والمدرسة, بالمدرسة, للمدرسة and مدرسة meet on one token. Suffixes stay (a light stem, not
 * a root). Persian words are left alone: those with a Persian-only letter and the common ones above.
 * `folded` is the word after foldArabic, `original` before (keheh and Farsi yeh are gone after folding).
 */
function stripArabicPrefix(folded: string, original: string): string {
  if (!ONLY_ARABIC_LETTERS.test(folded) || PERSIAN_LETTERS.test(original) || PERSIAN_WORDS.has(folded)) return folded;
  let out = folded;
  if (out.startsWith("\u0648") && out.length - 1 >= 3) out = out.slice(1);
  const article = ARABIC_ARTICLES.find((a) => out.startsWith(a) && out.length - a.length >= 2);
  return article ? out.slice(article.length) : out;
}

/** Lower case, no Latin diacritics, ß -> ss (umlauts become their base letter: ä -> a). */
function foldLatin(word: string): string {
  return word.normalize("NFD").replace(LATIN_MARKS, "").replace(/ß/g, "ss").normalize("NFC");
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

/** Empties the per-word cache (benchmarks compare indexing paths from the same cold start). */
export function clearWordCache(): void {
  cache.clear();
}

/** The index token of one word (already matched by WORD). */
export function normalizeWord(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  let out = word.normalize("NFKC").toLowerCase();
  if (HAS_ARABIC.test(out)) out = stripArabicPrefix(foldArabic(out), out);
  if (HAS_LATIN.test(out)) out = germanStem(foldLatin(out));
  else if (HAS_GREEK_OR_CYRILLIC.test(out)) out = foldLatin(out);
  out = out.slice(0, MAX_TOKEN);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}

const VOWEL = /[aeiouy]/;
/** Letters after which Snowball's German stemmer drops a final s. */
const S_ENDING = /[bdfghklmnrt]s$/;

/** Where the stemmer's region R1 begins in a (folded, lower-case) stem: after the first non-vowel that follows a
 *  vowel, but not before the fourth letter. */
function r1Start(stem: string): number {
  for (let i = 1; i < stem.length; i++) if (!VOWEL.test(stem[i]!) && VOWEL.test(stem[i - 1]!)) return Math.max(3, i + 1);
  return stem.length;
}

/**
 * The other stem of a noun in s whose singular and plural Snowball stems apart: it drops a final s after these
 * letters in the word itself ("Kurs" -> kur) but not once an ending went ("Kurse", "Kursen" -> kurs). A query word
 * of either form also asks for the other (query time only: the index keeps plain Snowball stems, so nothing needs
 * rebuilding). Null for every other word.
 */
export function sEndingVariant(word: string): string | null {
  const lower = word.normalize("NFKC").toLowerCase();
  if (!HAS_LATIN.test(lower) || HAS_ARABIC.test(lower)) return null;
  const token = normalizeWord(word);
  if (S_ENDING.test(token) && token.length - 1 >= r1Start(token)) return token.slice(0, -1);
  if (S_ENDING.test(foldLatin(lower)) && foldLatin(lower) === `${token}s`) return `${token}s`;
  return null;
}

/**
 * A query prefix (Ausbild*): folded like a word but not stemmed, since the user's prefix is no whole word.
 * ae/oe/ue become a/o/u, as the stemmer reads them. An Arabic prefix loses its article as the word does
 * (المدر* finds المدرسة, indexed as مدرسة).
 */
export function normalizePrefix(word: string): string {
  let out = word.normalize("NFKC").toLowerCase();
  if (HAS_ARABIC.test(out)) out = stripArabicPrefix(foldArabic(out), out);
  if (HAS_LATIN.test(out)) out = foldLatin(out).replace(/(?<!q)([aou])e/g, "$1");
  else if (HAS_GREEK_OR_CYRILLIC.test(out)) out = foldLatin(out);
  return out.slice(0, MAX_TOKEN);
}

/** Letters before a word part that put the whole part in the stemmer's region R2 (a consonant last: no umlaut
 *  or consonant-u/y rule reaches into the part). */
const COMPOUND_HEAD = "babab";

/** A word part as the index holds it (see partForms). */
export type PartForms = { own: string; inCompound: string | null };

/**
 * The index forms of a word part (*prüfung, *prüf*): the index holds stems, and the stemmer strips more from the
 * end of a long word than of a short one ("Prüfung" -> "prufung", "Kenntnisprüfung" -> "kenntnispruf"). So a part
 * has its own form (stemmed at the end, only folded anywhere), and, where that differs, its form at the end of a
 * compound, stemmed behind a dummy head (matched only at the end of a longer word, so *prüfung does not find
 * "prüfen", whose stem is "pruf"). Other scripts: the own form only.
 */
export function partForms(word: string, at: "end" | "any"): PartForms {
  const own = at === "end" ? normalizeWord(word) : normalizePrefix(word);
  const folded = word.normalize("NFKC").toLowerCase();
  if (!HAS_LATIN.test(folded) || HAS_ARABIC.test(folded)) return { own, inCompound: null };
  const inCompound = germanStem(COMPOUND_HEAD + foldLatin(folded)).slice(COMPOUND_HEAD.length);
  return { own, inCompound: inCompound && inCompound !== own ? inCompound : null };
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const token = normalizeWord(m[0]);
    if (token) out.push({ token, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The index text: the normalized tokens of the text, one space apart, in order (phrases keep working). */
export function indexText(text: string): string {
  let out = "";
  for (const m of text.matchAll(WORD)) {
    const token = normalizeWord(m[0]);
    if (!token) continue;
    out = out ? `${out} ${token}` : token;
  }
  return out;
}

/** The words of a text as typed (a fragment like "E-Mail" gives two). */
export function wordsOf(text: string): string[] {
  return [...text.matchAll(WORD)].map((m) => m[0]);
}

/** Words of a query fragment, each normalized (a fragment like "E-Mail" gives two). */
export function queryTokens(fragment: string): string[] {
  return [...fragment.matchAll(WORD)].map((m) => normalizeWord(m[0])).filter(Boolean);
}
