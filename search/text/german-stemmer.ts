// The Snowball German stemmer (snowballstem.org/algorithms/german/stemmer.html), in its variant that also
// reads "ae", "oe", "ue" as umlauts (the former "german2"), so Pruefung and Prüfung meet. Implemented from the
// published description. Input: one lower-case word; umlauts may already be folded to a/o/u (the result is
// the same: they count as vowels either way and the last step removes them).

const VOWELS = new Set(["a", "e", "i", "o", "u", "y", "ä", "ö", "ü"]);
const S_ENDING = new Set(["b", "d", "f", "g", "h", "k", "l", "m", "n", "r", "t"]);
const ST_ENDING = new Set(["b", "d", "f", "g", "h", "k", "l", "m", "n", "t"]);

const isVowel = (c: string | undefined) => c !== undefined && VOWELS.has(c);

/** ß -> ss; u and y between vowels become consonants (marked U, Y); ae/oe/ue -> umlaut except after q. */
function prelude(word: string): string[] {
  const chars = [...word.replace(/ß/g, "ss")];
  for (let i = 1; i < chars.length - 1; i++) {
    if ((chars[i] === "u" || chars[i] === "y") && isVowel(chars[i - 1]) && isVowel(chars[i + 1])) chars[i] = chars[i]!.toUpperCase();
  }
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    if (c === "q" && next === "u") {
      out.push("q", "u");
      i++;
    } else if (next === "e" && (c === "a" || c === "o" || c === "u")) {
      out.push(c === "a" ? "ä" : c === "o" ? "ö" : "ü");
      i++;
    } else {
      out.push(c);
    }
  }
  return out;
}

/** Start of the region after the first non-vowel that follows a vowel (or the end). */
function regionAfter(chars: readonly string[], from: number): number {
  for (let i = from + 1; i < chars.length; i++) {
    if (!isVowel(chars[i]) && isVowel(chars[i - 1])) return i + 1;
  }
  return chars.length;
}

export function germanStem(input: string): string {
  const chars = prelude(input);
  if (chars.length < 3) return postlude(chars);
  // R1 and R2; the part before R1 must hold at least three letters.
  // R2 is searched from where R1 really starts, before that adjustment (as the Snowball program does).
  const p1 = regionAfter(chars, 0);
  const r1 = Math.max(3, p1);
  const r2 = regionAfter(chars, p1);
  let w = chars;
  const ends = (suffix: string) => w.length >= suffix.length && w.slice(w.length - suffix.length).join("") === suffix;
  const inRegion = (suffix: string, region: number) => w.length - suffix.length >= region;
  const cut = (n: number) => (w = w.slice(0, w.length - n));

  // Step 1: the longest of (a) em ern er, (b) e en es, (c) s after a valid s-ending; deleted in R1.
  const step1 = ["ern", "em", "er", "en", "es", "e", "s"].filter(ends).sort((a, b) => b.length - a.length)[0];
  if (step1 && inRegion(step1, r1)) {
    if (step1 === "s") {
      if (S_ENDING.has(w[w.length - 2] ?? "")) cut(1);
    } else {
      cut(step1.length);
      // "bedürfnissen" -> "bedürfnis": after a (b) ending, a preceding "niss" loses its last s.
      if ((step1 === "e" || step1 === "en" || step1 === "es") && ends("niss")) cut(1);
    }
  }

  // Step 2: the longest of (a) en er est, (b) st after a valid st-ending itself after at least 3 letters.
  const step2 = ["est", "en", "er", "st"].filter(ends).sort((a, b) => b.length - a.length)[0];
  if (step2 && inRegion(step2, r1)) {
    if (step2 === "st") {
      if (ST_ENDING.has(w[w.length - 3] ?? "") && w.length - 3 >= 3) cut(2);
    } else {
      cut(step2.length);
    }
  }

  // Step 3: d-suffixes.
  const step3 = ["end", "ung", "isch", "ig", "ik", "lich", "heit", "keit"].filter(ends).sort((a, b) => b.length - a.length)[0];
  if (step3 && inRegion(step3, r2)) {
    if (step3 === "end" || step3 === "ung") {
      cut(3);
      if (ends("ig") && inRegion("ig", r2) && w[w.length - 3] !== "e") cut(2);
    } else if (step3 === "ig" || step3 === "ik" || step3 === "isch") {
      if (w[w.length - step3.length - 1] !== "e") cut(step3.length);
    } else if (step3 === "lich" || step3 === "heit") {
      cut(4);
      if ((ends("er") || ends("en")) && inRegion("er", r1)) cut(2);
    } else if (step3 === "keit") {
      cut(4);
      if (ends("lich") && inRegion("lich", r2)) cut(4);
      else if (ends("ig") && inRegion("ig", r2)) cut(2);
    }
  }
  return postlude(w);
}

/** U, Y back to lower case; umlauts lose their dots. */
function postlude(chars: readonly string[]): string {
  return chars
    .join("")
    .replace(/U/g, "u")
    .replace(/Y/g, "y")
    .replace(/ä/g, "a")
    .replace(/ö/g, "o")
    .replace(/ü/g, "u");
}
