// A coded passage as retrieval shows it: over two turns with a line break and the next speaker (not the transcript's
// timestamp marks), both speakers named, and no space put between the words and a following full stop.
import { describe, expect, it } from "vitest";
import { blockText, passageOf, type PlacedParagraph } from "./passage.ts";

const cpLength = (s: string) => Array.from(s).length;
const question: PlacedParagraph = { position: 0, speaker: "I", startMs: 110_000, endMs: 120_500, text: "Und wie war der Anfang mit der deutschen Sprache?", words: null, blockStart: 0 };
const answer: PlacedParagraph = { position: 1, speaker: "B", startMs: 120_500, endMs: 131_000, text: "Am Anfang war es sehr schwer. Heute geht es.", words: null, blockStart: cpLength(blockText(question)) + 2 };
const textStart = (p: PlacedParagraph) => p.blockStart + cpLength(`${p.speaker}: `);
const at = (p: PlacedParagraph, words: string) => textStart(p) + cpLength(p.text.slice(0, p.text.indexOf(words)));

describe("passageOf", () => {
  it("shows a passage over two turns with a line break and the next speaker, and names both speakers", () => {
    const passage = passageOf([question, answer], at(question, "deutschen"), at(answer, "schwer") + cpLength("schwer"))!;
    expect(passage.text).toBe("deutschen Sprache?\nB: Am Anfang war es sehr schwer");
    expect(passage.text).not.toMatch(/#\d/);
    expect(passage.speaker).toBe("I, B");
    expect(passage.before).toBe("Und wie war der Anfang mit der");
    expect(passage.gapBefore).toBe(true);
    // the full stop follows the coded word directly
    expect(passage.after).toBe(". Heute geht es.");
    expect(passage.gapAfter).toBe(false);
  });

  it("keeps the space where the text has one", () => {
    const passage = passageOf([answer], at(answer, "sehr"), at(answer, "sehr") + cpLength("sehr schwer."))!;
    expect([passage.before, passage.gapBefore, passage.text, passage.gapAfter, passage.after]).toEqual(["Am Anfang war es", true, "sehr schwer.", true, "Heute geht es."]);
    expect(passage.speaker).toBe("B");
  });
});
