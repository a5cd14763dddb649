// Whisper's tokens -> words with timings and probabilities ({t, s, e, p}, what the editor marks when unsure).
// A token that starts with a space starts a word; others (sub-words, punctuation) continue the previous one.
export type RawToken = { text: string; id: number; p: number; from?: number; to?: number };
export type TimedWord = { t: string; s: number; e: number; p: number };

/** Special tokens: [_BEG_], [_TT_150], <|de|>, <|endoftext|> ... */
const SPECIAL = /^(\[_.*\]|<\|.*\|>)$/;

export function wordsFromTokens(tokens: readonly RawToken[], segmentText: string): TimedWord[] {
  const words: TimedWord[] = [];
  for (const token of tokens) {
    if (SPECIAL.test(token.text) || token.text.length === 0) continue;
    const from = token.from ?? 0;
    const to = token.to ?? from;
    const prev = words.at(-1);
    if (!prev || /^\s/.test(token.text)) {
      words.push({ t: token.text.trim(), s: from, e: to, p: token.p });
    } else {
      prev.t += token.text;
      prev.e = Math.max(prev.e, to);
      prev.p = Math.min(prev.p, token.p);
    }
  }
  const cleaned = words.filter((w) => w.t.length > 0).map((w) => ({ ...w, p: Math.round(w.p * 1000) / 1000 }));
  // A multi-byte character split over two tokens arrives as U+FFFD: take the words' text from the segment text
  // (decoded whole) when it has the same number of words, otherwise give no word timings for this segment.
  if (cleaned.some((w) => w.t.includes("\uFFFD"))) {
    const texts = segmentText.split(/\s+/).filter(Boolean);
    if (texts.length !== cleaned.length) return [];
    return cleaned.map((w, i) => ({ ...w, t: texts[i]! }));
  }
  return cleaned;
}
