// How a replacement fits the sentence it stands in: its language, its article, a capital at a sentence start.
// Whether the words around a find are English: for names spelled the same in both languages ("Afghanistan",
// "Iran", "Ukraine", "Eritrea") the replacement follows the sentence they stand in ("we fled Afghanistan" ->
// "[country of origin]", "aus Afghanistan" -> "[Herkunftsland]"). Only words that exist in one language count
// ("in", "so", "man" are both; "was" and "war" are English and German words, "war" one that stories tell of).
const EN = /(?<![\p{L}])(?:the|and|from|we|I|my|our|were|is|are|to|of|fled|left|leave|home|country|family|with|have|had|came|come|lived|live|born|back|he|she|they|his|their|at|for|on|this|that|there|where|when|because|after|before|until|since)(?![\p{L}])/giu;
const DE = /(?<![\p{L}])(?:der|die|das|den|dem|des|und|aus|wir|ich|mein|meine|meiner|unser|unsere|waren|ist|sind|nach|von|mit|haben|habe|hatte|hatten|bin|kam|kamen|er|sie|es|ein|eine|einem|einen|einer|im|zu|zum|zur|auf|für|dort|wo|als|nicht|auch|aber|geflohen|Heimat|Familie|seit|bis|weil|dann)(?![\p{L}])/giu;

/** The sentence around [start, end) has more English-only than German-only words (a tie stays German). */
export function englishAround(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 100), start);
  const after = text.slice(end, end + 100);
  const from = Math.max(...[".", "!", "?", "\n"].map((c) => before.lastIndexOf(c))) + 1;
  const stops = [".", "!", "?", "\n"].map((c) => after.indexOf(c)).filter((i) => i >= 0);
  const sentence = `${before.slice(from)} ${after.slice(0, stops.length ? Math.min(...stops) : after.length)}`;
  return (sentence.match(EN)?.length ?? 0) > (sentence.match(DE)?.length ?? 0);
}

/**
 * The English indefinite article before `start`, fitted to what replaces the word there: "an Afghan family" -> "a
 * foreign family", "a Somali woman" -> "an East African woman". The article is then part of the hit (`from`).
 */
export function fitEnglishArticle(text: string, start: number, replacement: string): { from: number; replacement: string } {
  const article = /(?<![\p{L}])([Aa]n?)\s+$/u.exec(text.slice(Math.max(0, start - 4), start));
  const wanted = /^[AEIOUaeiou]/u.test(replacement) ? "an" : "a";
  if (!article || article[1]!.toLowerCase() === wanted) return { from: start, replacement };
  const lead = article[1]![0] === "A" ? `A${wanted.slice(1)}` : wanted;
  return { from: start - article[0].length, replacement: `${lead} ${replacement}` };
}

/** The text before a place ends where a sentence begins (also a quoted one after a colon). */
export const opensSentence = (before: string) => /(?:^|[.!?…\n]|:\s*[„"“‚'])[\s„"“‚'(]*$/u.test(before);

/** The first letter upper-cased: a replacement at a sentence start or after a capitalised word ("foreign" -> "Foreign"). */
export const capitalised = (s: string) => s[0]!.toUpperCase() + s.slice(1);
