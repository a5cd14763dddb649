// Carrying codings over replaced identifying details, on a transcript written here: code point offsets with emoji
// before the replaced words, a selection wholly inside a replaced name, a preposition fitted to a coarsened date.
import { describe, expect, it } from "vitest";
import { EMPTY_CONTEXT } from "../narratives/redaction/detect.ts";
import { learnNames } from "../narratives/redaction/names.ts";
import { writeText } from "../transcripts/formats/text.ts";
import type { ExportSource } from "./export-data.server.ts";
import { redactSource } from "./redact.server.ts";

const paragraphs = [
  { speaker: "I", startMs: 0, endMs: 4000, text: "Wie heißen Sie? 😀" },
  { speaker: "B", startMs: 4000, endMs: 9000, text: "Ich heiße Rasha Al-Khatib 😀 und bin am 14. März 1986 geboren. Meine Nummer ist 0157 3921 4408, ruf an." },
];
const text = writeText(paragraphs);
const cps = Array.from(text);
const at = (quote: string) => {
  const start = Array.from(text.slice(0, text.indexOf(quote))).length;
  return { start, end: start + Array.from(quote).length };
};
const coding = (id: string, quote: string) => ({ id, codeId: "c", ...at(quote), quote, createdById: null, createdAt: new Date(0) });

function source(codings: ExportSource["codings"]): ExportSource {
  return { interviewId: "i", code: "INT", caseId: "k", createdAt: new Date(0), updatedAt: new Date(0), paragraphs, text, codings, recording: null };
}

describe("redactSource", () => {
  const ctx = { ...EMPTY_CONTEXT, lexicon: learnNames([text]) };
  const { source: out, replaced } = redactSource(
    source([coding("around", "heiße Rasha Al-Khatib 😀 und"), coding("inside", "Khatib"), coding("date", "bin am 14. März 1986 geboren"), coding("after", "ruf an.")]),
    ctx,
  );
  const selected = (id: string) => {
    const c = out.codings.find((x) => x.id === id)!;
    return Array.from(out.text).slice(c.start, c.end).join("");
  };

  it("replaces the details in the text and the paragraphs alike", () => {
    expect(cps.length).toBeGreaterThan(0);
    expect(replaced).toBe(3);
    expect(out.text).toBe(writeText(out.paragraphs));
    expect(out.text).not.toMatch(/Rasha|Khatib|14\. März|0157/);
    expect(out.text).toContain("[Name] 😀 und bin 1986 geboren. Meine Nummer ist [Telefonnummer], ruf an.");
  });

  it("keeps each selection on its words, in code points, with the quote as the new text", () => {
    expect(selected("around")).toBe("heiße [Name] 😀 und");
    expect(selected("inside")).toBe("[Name]");
    expect(selected("date")).toBe("bin 1986 geboren");
    expect(selected("after")).toBe("ruf an.");
    for (const c of out.codings) expect(c.quote).toBe(Array.from(out.text).slice(c.start, c.end).join(""));
  });
});
