// Carrying codings over replaced identifying details, on a transcript written here: code point offsets with emoji
// before the replaced words, a selection wholly inside a replaced name, a preposition fitted to a coarsened date.
import { describe, expect, it } from "vitest";
import { EMPTY_CONTEXT } from "../narratives/redaction/detect.ts";
import { learnNames } from "../narratives/redaction/names.ts";
import { writeText } from "../transcripts/formats/text.ts";
import type { ExportSource } from "./export-data.server.ts";
import { redactSource } from "./redact.server.ts";
import { replaceIdentifying } from "../narratives/redaction/replace.ts";
import { layoutText } from "./text-layout.ts";

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

describe("speaker labels that may be names", () => {
  // Named labels as noScribe and MAXQDA users write them; the role labels stay.
  const named = [
    { speaker: "I", startMs: 0, endMs: 2000, text: "Wie geht es Ihnen?" },
    { speaker: "Filmon", startMs: 2000, endMs: 5000, text: "Gut, danke." },
    { speaker: "D1", startMs: 5000, endMs: 7000, text: "Er sagt, es geht gut." },
    { speaker: "Amanuel", startMs: 7000, endMs: 9000, text: "Ich auch." },
    { speaker: "Filmon", startMs: 9000, endMs: 12000, text: "Wir kommen aus Asmara." },
    { speaker: "B2", startMs: 12000, endMs: 13000, text: "Ja." },
  ];
  const namedText = writeText(named);
  const start = Array.from(namedText.slice(0, namedText.indexOf("Wir kommen"))).length;
  const quote = "Wir kommen aus Asmara.";
  const { source: out } = redactSource(
    { ...source([{ id: "origin", codeId: "c", start, end: start + Array.from(quote).length, quote, createdById: null, createdAt: new Date(0) }]), paragraphs: named, text: namedText },
    EMPTY_CONTEXT,
  );

  it("become P1, P2 ... in order of appearance, the text reads back with the same turns, codings stay on their words", () => {
    expect(out.paragraphs.map((p) => p.speaker)).toEqual(["I", "P1", "D1", "P2", "P1", "B2"]);
    expect(out.text).not.toMatch(/Filmon|Amanuel/);
    expect(out.text).toBe(writeText(out.paragraphs));
    // as the project import reads a plain text (app/refi/text-layout.ts)
    expect(layoutText(out.text).paragraphs.map((p) => p.speaker)).toEqual(["I", "P1", "D1", "P2", "P1", "B2"]);
    // after three shortened labels
    const c = out.codings[0]!;
    expect(c.quote).toBe(Array.from(out.text).slice(c.start, c.end).join(""));
    expect(c.quote).toMatch(/^Wir kommen aus .+\.$/);
  });
});

describe("case pseudonyms", () => {
  it("stay: they look like file numbers but are the project's own stand-ins", () => {
    expect(replaceIdentifying("Kontrastfall zu LOE-2016-0001, vgl. LOE-2019-0012.", EMPTY_CONTEXT).text).toBe("Kontrastfall zu LOE-2016-0001, vgl. LOE-2019-0012.");
    // a file number next to one is still replaced
    expect(replaceIdentifying("LOE-2016-0001 hat das Aktenzeichen 7654321-475.", EMPTY_CONTEXT).text).toBe("LOE-2016-0001 hat das Aktenzeichen [Aktenzeichen].");
  });
});
