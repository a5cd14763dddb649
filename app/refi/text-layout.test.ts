// Property tests of the offset mapping: our own plain text maps one to one, and in a messy rendering of the same
// turns (CRLF, runs of spaces and tabs, turns broken over lines, emoji) every word still maps onto itself.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeText } from "../transcripts/formats/text.ts";
import { formatDpTimestamp } from "../transcripts/formats/timestamp.ts";
import type { Paragraph } from "../transcripts/formats/types.ts";
import { layoutText } from "./text-layout.ts";

const word = fc.stringMatching(/^[a-zäöüß0-9.,!?😀é]{1,8}$/u);
const turn = fc.record({ speaker: fc.constantFrom("I", "B", "D", "B1", ""), words: fc.array(word, { minLength: 1, maxLength: 12 }), durationMs: fc.integer({ min: 100, max: 60_000 }) });
const turns = fc.array(turn, { minLength: 1, maxLength: 8 });

function paragraphs(ts: { speaker: string; words: string[]; durationMs: number }[]): Paragraph[] {
  let at = 0;
  return ts.map((t) => {
    const p = { speaker: t.speaker, startMs: at, endMs: at + t.durationMs, text: t.words.join(" ") };
    at = p.endMs;
    return p;
  });
}

const cp = (s: string) => Array.from(s).length;

describe("layoutText", () => {
  it("maps writeText output one to one and keeps it unchanged", () => {
    fc.assert(
      fc.property(turns, (ts) => {
        const text = writeText(paragraphs(ts));
        const layout = layoutText(text);
        expect(layout.text).toBe(text);
        expect(layout.mapRange(3, 9)).toEqual({ start: 3, end: 9 });
      }),
    );
  });

  it("maps every word of a messy rendering onto the same word of the stored text", () => {
    const gap = fc.constantFrom(" ", "  ", "\t", " \r\n", "\n", "\u00a0");
    fc.assert(
      fc.property(turns, fc.array(gap, { minLength: 100, maxLength: 100 }), (ts, gaps) => {
        const ps = paragraphs(ts);
        let source = "";
        let n = 0;
        const words: { start: number; end: number; word: string }[] = [];
        ps.forEach((p, i) => {
          if (i) source += "\r\n\r\n";
          source += `${p.speaker || "?"}:  `;
          ts[i]!.words.forEach((w, k) => {
            if (k) source += gaps[n++ % gaps.length];
            words.push({ start: cp(source), end: cp(source) + cp(w), word: w });
            source += w;
          });
          source += `  ${formatDpTimestamp(p.endMs)}`;
        });
        const layout = layoutText(source);
        expect(layout.text).toBe(writeText(ps));
        const out = Array.from(layout.text);
        for (const w of words) {
          const range = layout.mapRange(w.start, w.end);
          expect(range).not.toBeNull();
          expect(out.slice(range!.start, range!.end).join("")).toBe(w.word);
        }
        // A range over a whole turn's words maps onto exactly that turn's text.
        const first = words[0]!;
        const lastOfTurn = words[ts[0]!.words.length - 1]!;
        const whole = layout.mapRange(first.start, lastOfTurn.end)!;
        expect(out.slice(whole.start, whole.end).join("")).toBe(ps[0]!.text);
      }),
    );
  });

  it("makes each line of an unlabelled text a paragraph and collapses white space", () => {
    const layout = layoutText("Erste  Zeile\r\nzweite\tZeile\n\n\ndritte");
    expect(layout.paragraphs.map((p) => [p.speaker, p.text])).toEqual([
      ["", "Erste Zeile"],
      ["", "zweite Zeile"],
      ["", "dritte"],
    ]);
    expect(layout.text).toBe("?: Erste Zeile #00:00:00-0#\n\n?: zweite Zeile #00:00:00-0#\n\n?: dritte #00:00:00-0#\n");
    const range = layout.mapRange(7, 20)!; // "Zeile\r\nzweite"
    expect(Array.from(layout.text).slice(range.start, range.end).join("")).toBe("Zeile #00:00:00-0#\n\n?: zweite");
  });
});
