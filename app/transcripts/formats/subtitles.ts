// Subtitle cues for the SRT and WebVTT exports. A turn becomes as many cues as it needs to stay readable (the
// usual subtitle limits, as noScribe and broadcasters use them): at most 2 lines of at most 42 characters and
// 7 seconds per cue, cut at a sentence end where one fits, else after a comma, else between words; a word is never
// split (a single word longer than a line or 7 s gets a cue of its own), and where another cut fits, no short word
// is left alone on a cue and no name ("Gemeinschaftsschule Am Wiesenufer") is cut in two. Times come from the
// engine's word timings where the (possibly edited) text still has them, in between and without them from the
// share of characters.
// The first cue of a turn starts at the turn's start, the last ends at its end, so an import reads the turn back;
// only a cue that would last more than 7 s ends earlier (a turn that goes on long after its words comes back
// shorter: a subtitle cannot say more), and a turn of less than a second stays on screen for one, into the pause
// before the next turn.
import { alignWords, tokenize, type Token } from "../editor/timing.ts";
import { SPEAKER_LABEL, type Paragraph } from "./types.ts";

export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;
export const MAX_CUE_MS = 7_000;
/** A cue of a single word shorter than this is an orphan, cut off its sentence. */
const MIN_CUE_CHARS = 15;
/** Shorter than this, a cue is gone before it is read. */
export const MIN_CUE_MS = 1_000;
const CAPITALIZED = /^\p{Lu}/u;

export type Cue = { startMs: number; endMs: number; lines: string[] };

/**
 * Cue settings: `firstLinePrefix` is what the label ("B: ") takes of the first cue's first line; `nextStartMs` is
 * when the next turn starts, up to which a short last cue may stay on screen (without it: up to the turn's end).
 */
type Options = { firstLinePrefix?: number; nextStartMs?: number };

/** Offsets in the text mapped to times: the turn's edges and each word the engine timed, never going backwards. */
function timeline(p: Paragraph, tokens: readonly Token[]): (offset: number) => number {
  const end = Math.max(p.startMs, p.endMs);
  const clamp = (ms: number) => Math.min(end, Math.max(p.startMs, ms));
  const anchors: [number, number][] = [[0, p.startMs]];
  const aligned = alignWords(tokens, p.words);
  tokens.forEach((t, i) => {
    const word = aligned[i] === null || aligned[i] === undefined ? null : p.words![aligned[i]!]!;
    if (!word) return;
    const s = clamp(word.s);
    // A word timed before one earlier in the text (an engine slip or an edit) is left to interpolation.
    if (s < anchors.at(-1)![1] || t.from < anchors.at(-1)![0]) return;
    anchors.push([t.from, s], [t.to, Math.max(s, clamp(word.e))]);
  });
  anchors.push([p.text.length, end]);
  return (offset) => {
    const k = anchors.findIndex(([o]) => o >= offset);
    if (k <= 0) return anchors[0]![1];
    const [o0, t0] = anchors[k - 1]!;
    const [o1, t1] = anchors[k]!;
    return o1 === o0 ? t1 : Math.round(t0 + ((t1 - t0) * (offset - o0)) / (o1 - o0));
  };
}

const SENTENCE_END = /[.!?…]["'“”«»)\]]*$/;
/** "z.B.", "Dr.": a full stop that does not end a sentence. */
const ABBREVIATION = /^((\p{L}\.){2,}|(Dr|Prof|Nr|Str|bzw|ca|usw|etc|vgl|evtl|ggf|Hr|Fr|St)\.)$/iu;
/** "am 14. März", "im 3. Stock": a number with a full stop before a month or a lower-case word is an ordinal. */
const ORDINAL_NEXT = /^(\p{Ll}|(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b)/u;
const CLAUSE_END = /[,;:–—]["'“”«»)\]]*$/;

/**
 * How good a cut after `word` is: 2 at a sentence end, 1 after a comma (or ; : –), else 0. A marker such as
 * "(...)" or "(lacht)" belongs to what follows, so a cut before it (after the sentence it follows) ranks, not after.
 */
function breakRank(word: string, next: string | undefined): number {
  if (word.startsWith("(") && word.endsWith(")")) return 0;
  if (SENTENCE_END.test(word) && !ABBREVIATION.test(word) && !(/^\d+\.$/.test(word) && next && ORDINAL_NEXT.test(next))) return 2;
  return CLAUSE_END.test(word) ? 1 : 0;
}

/** The words as lines of at most MAX_LINE_CHARS (the first after `prefix`), or null when they need more than two. */
function wrap(words: readonly string[], prefix: number): string[] | null {
  const total = prefix + words.join(" ").length;
  if (total <= MAX_LINE_CHARS || words.length === 1) return [words.join(" ")];
  // Two lines: of the cuts that keep both within the limit, the most even one (a comma or full stop helps a bit).
  let best: { lines: string[]; score: number } | null = null;
  for (let k = 1; k < words.length; k++) {
    const first = words.slice(0, k).join(" ");
    const second = words.slice(k).join(" ");
    if (prefix + first.length > MAX_LINE_CHARS || second.length > MAX_LINE_CHARS) continue;
    const score = Math.abs(prefix + first.length - second.length) - 6 * breakRank(words[k - 1]!, words[k]);
    if (!best || score < best.score) best = { lines: [first, second], score };
  }
  return best?.lines ?? null;
}

/** Lines filled word by word, as many as it takes: only for a cue that had to go past the limits. */
function fill(words: readonly string[], prefix: number): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const line = lines.at(-1);
    if (line !== undefined && (lines.length === 1 ? prefix : 0) + line.length + 1 + word.length <= MAX_LINE_CHARS) lines[lines.length - 1] = `${line} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A cue must not begin with what an import reads as a speaker label ("Bescheid: Mein Diplom ..."). */
const looksLikeLabel = (word: string) => SPEAKER_LABEL.test(word);

/** A cue while it is made: its words (tokens `from` up to `to`) and times. */
type Piece = { from: number; to: number; startMs: number; endMs: number };

export function paragraphCues(p: Paragraph, options: Options = {}): Cue[] {
  const tokens = tokenize(p.text);
  const endMs = Math.max(p.startMs, p.endMs);
  if (!tokens.length) return [{ startMs: p.startMs, endMs, lines: [] }];
  const at = timeline(p, tokens);
  const words = tokens.map((t) => t.text);
  const prefixOf = (from: number) => (from === 0 ? (options.firstLinePrefix ?? 0) : 0);
  const pieces: Piece[] = [];
  let i = 0;
  while (i < tokens.length) {
    const startMs = i === 0 ? p.startMs : at(tokens[i]!.from);
    const prefix = prefixOf(i);
    // Until where the cue may reach: lines, and the time its words take (the last word without a time of its own
    // takes the rest of the turn).
    const fits = (j: number) => wrap(words.slice(i, j), prefix) !== null && at(tokens[j - 1]!.to) - startMs <= MAX_CUE_MS;
    let last = i + 1;
    while (last < tokens.length && fits(last + 1)) last++;
    let j = last;
    if (last < tokens.length) {
      const candidates = Array.from({ length: last - i }, (_, k) => i + 1 + k).filter((c) => !looksLikeLabel(words[c]!));
      const rank = (c: number) => breakRank(words[c - 1]!, words[c]);
      const pick = (among: number[]) => among.findLast((c) => rank(c) === 2) ?? among.findLast((c) => rank(c) === 1) ?? among.at(-1);
      // A lone short word flashes by unread ("Ja," before its sentence, "Wiesenufer." after it), and a name cut in
      // two ("Gemeinschaftsschule Am | Wiesenufer.") reads as two things: cut elsewhere where the limits allow.
      const alone = (from: number, to: number) => to - from < 2 && words.slice(from, to).join(" ").length < MIN_CUE_CHARS;
      // So does a cue of less than a second ("Ja, gerne." before a long sentence), also the turn's last.
      const brief = (c: number) => at(tokens[c]!.from) - startMs < MIN_CUE_MS || (wrap(words.slice(c), 0) !== null && endMs - at(tokens[c]!.from) < MIN_CUE_MS);
      const orphans = (c: number) => brief(c) || alone(i, c) || (alone(c, c + 1) && (c + 1 === tokens.length || breakRank(words[c]!, words[c + 1]) > 0));
      const splitsName = (c: number) => rank(c) === 0 && CAPITALIZED.test(words[c - 1]!) && CAPITALIZED.test(words[c]!);
      const whole = candidates.filter((c) => !splitsName(c));
      // No such cut and only a few words left ("Ja, genau." over 35 s): rather all on one cue, which ends after
      // 7 s all the same, than two lone words. Slow speech otherwise gets cues of one word each, shown long enough.
      const rest = words.slice(i).join(" ").length < 2 * MIN_CUE_CHARS ? tokens.length : undefined;
      j = pick(whole.filter((c) => !orphans(c))) ?? rest ?? pick(whole) ?? pick(candidates) ?? last;
      // Only after a word too long for a line: the label-like words ride along, past the limits, not lost.
      while (j < tokens.length && looksLikeLabel(words[j]!)) j++;
    }
    // Up to the next cue's first word (the last cue: the turn's end), but never longer than 7 s: after a long
    // pause, or at the end of a turn that lasts long after its words, the screen stays empty until the next cue.
    const next = j === tokens.length ? endMs : at(tokens[j]!.from);
    pieces.push({ from: i, to: j, startMs, endMs: Math.min(next, startMs + MAX_CUE_MS) });
    i = j;
  }
  // At least a second on screen where the times allow ("Ja." for a quarter second is gone before it is read; the
  // cuts above already avoid such cues where another fits), the turn's times kept where it can be (an import reads
  // them back): the pause after the cue in the turn; else time from its neighbours in the turn (it shows a little
  // before or after its words); only a turn too short for that reaches into the pause before the next turn.
  const missing = (q: Piece) => MIN_CUE_MS - (q.endMs - q.startMs);
  pieces.forEach((piece, k) => {
    const [prev, next] = [pieces[k - 1], pieces[k + 1]];
    if (missing(piece) <= 0) return;
    piece.endMs = Math.max(piece.endMs, Math.min(next ? next.startMs : endMs, piece.startMs + MIN_CUE_MS));
    if (next && missing(piece) > 0) piece.endMs = next.startMs += Math.max(0, Math.min(missing(piece), -missing(next)));
    // The pause before it (after a cue that stopped at 7 s) first, then the cue before.
    if (prev && missing(piece) > 0) piece.startMs = Math.max(prev.endMs, piece.endMs - MIN_CUE_MS);
    if (prev && missing(piece) > 0) piece.startMs = prev.endMs -= Math.max(0, Math.min(missing(piece), -missing(prev)));
    if (!next && missing(piece) > 0) piece.endMs = Math.min(Math.max(endMs, options.nextStartMs ?? endMs), piece.startMs + MIN_CUE_MS);
  });
  return pieces.map((q) => {
    const cueWords = words.slice(q.from, q.to);
    return { startMs: q.startMs, endMs: q.endMs, lines: wrap(cueWords, prefixOf(q.from)) ?? fill(cueWords, prefixOf(q.from)) };
  });
}

/** How fast a turn without a duration of its own is read: characters per second. */
const READING_CHARS_PER_S = 15;

/**
 * The cues of every turn, for SRT and WebVTT: each turn knows when the next one starts. A turn without a duration
 * (stamped 00:00:00 with no end, the last turn of a text import) would give a cue "00:00:00,000 --> 00:00:00,000":
 * it lasts its reading time instead, up to the next turn's start; turns stamped at the same time follow it.
 */
export function transcriptCues(paragraphs: readonly Paragraph[], firstLinePrefix: (p: Paragraph) => number = () => 0): Cue[][] {
  let taken = -Infinity;
  const timed = paragraphs.map((p, k): Paragraph => {
    const startMs = Math.max(p.startMs, taken);
    if (p.endMs > startMs) return { ...p, startMs };
    const next = paragraphs[k + 1]?.startMs ?? Infinity;
    const reading = startMs + Math.max(MIN_CUE_MS, Math.round((p.text.length * 1000) / READING_CHARS_PER_S));
    taken = next > startMs ? Math.min(next, reading) : reading;
    return { ...p, startMs, endMs: taken };
  });
  return timed.map((p, k) => paragraphCues(p, { firstLinePrefix: firstLinePrefix(p), nextStartMs: timed[k + 1]?.startMs ?? Infinity }));
}
