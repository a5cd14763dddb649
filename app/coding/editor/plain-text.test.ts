// The editor's positions and the stored code point offsets must name the same characters, and codings in the
// editor must follow their words through edits (the browser test covers the page; this covers the rules).
import fs from "node:fs";
import path from "node:path";
import { getSchema } from "@tiptap/core";
import Text from "@tiptap/extension-text";
import { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, TextSelection } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import { TranscriptDocument, Turn, toDocument } from "../../transcripts/editor/extensions.ts";
import { parseText, writeText } from "../../transcripts/formats/text.ts";
import type { Paragraph } from "../../transcripts/formats/types.ts";
import { OffsetMap } from "../anchoring.ts";
import { codingsKey, codingsPlugin, selectedPassage, type EditorCoding } from "./codings-plugin.ts";
import { PlainTextIndex, cleanTurnText, textSpans } from "./plain-text.ts";

const schema = getSchema([TranscriptDocument, Turn, Text]);
const FIXTURE = path.resolve(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "interviews", "int-01.txt");
const fixture = fs.existsSync(FIXTURE) ? fs.readFileSync(FIXTURE, "utf8") : null;

const paragraphsOf = (doc: PMNode): Paragraph[] => {
  const out: Paragraph[] = [];
  doc.forEach((node) => out.push({ speaker: node.attrs.speaker as string, startMs: node.attrs.startMs ?? 0, endMs: node.attrs.endMs ?? 0, text: cleanTurnText(node.textContent) }));
  return out;
};
const sample: Paragraph[] = [
  { speaker: "I", startMs: 0, endMs: 4_100, text: "Wie ging es weiter?" },
  { speaker: "B", startMs: 4_100, endMs: 9_900, text: "Die Prüfung 😀 habe ich beim zweiten Mal bestanden." },
  { speaker: "", startMs: 9_900, endMs: 9_900, text: "" },
  { speaker: "D", startMs: 9_900, endMs: 12_000, text: "Übersetzt: Ärger mit dem Amt." },
];

describe("plain text layout", () => {
  it("finds each paragraph's text where writeText puts it", () => {
    const text = new OffsetMap(writeText(sample));
    const { spans, length } = textSpans(sample);
    expect(length).toBe(text.length);
    sample.forEach((p, i) => {
      if (!p.text) expect(spans[i]).toBeNull();
      else expect(text.slice(spans[i]!.start, spans[i]!.end)).toBe(p.text);
    });
  });

  it.skipIf(!fixture)("matches the fixture file's layout (int-01.txt)", () => {
    const paragraphs = parseText(fixture!);
    expect(writeText(paragraphs)).toBe(fixture);
    const { spans } = textSpans(paragraphs);
    const text = new OffsetMap(fixture!);
    paragraphs.forEach((p, i) => expect(text.slice(spans[i]!.start, spans[i]!.end)).toBe(p.text));
  });
});

describe("positions <-> code points", () => {
  it("round-trips every character position of a document, astral characters included", () => {
    const doc = PMNode.fromJSON(schema, toDocument(sample));
    const index = new PlainTextIndex(doc, paragraphsOf(doc));
    const text = new OffsetMap(writeText(sample));
    // the word "Prüfung" in turn 2
    let from = -1;
    doc.descendants((node, pos) => {
      if (node.isText && node.text!.includes("Prüfung")) from = pos + node.text!.indexOf("Prüfung");
    });
    const start = index.toCodePoint(from, "start");
    const end = index.toCodePoint(from + "Prüfung 😀 habe".length, "end");
    expect(text.slice(start, end)).toBe("Prüfung 😀 habe");
    expect(index.toPosition(start, "start")).toBe(from);
    expect(index.toPosition(end, "end")).toBe(from + "Prüfung 😀 habe".length);
    // a passage across turns ends before the layout of the next turn, starts after it
    const last = doc.child(0).nodeSize + doc.child(1).nodeSize + doc.child(2).nodeSize + 1; // start of turn 4's text
    expect(text.slice(index.toCodePoint(from, "start"), index.toCodePoint(last + "Übersetzt".length, "end"))).toMatch(/^Prüfung.*bestanden\. #00:00:09-9#\n\n\?: #00:00:09-9#\n\nD: Übersetzt$/s);
    // the end of a turn starts nothing: a start there moves to the next text
    const endOfTurn1 = doc.child(0).nodeSize - 1;
    expect(text.slice(index.toCodePoint(endOfTurn1, "start"), index.toCodePoint(endOfTurn1, "start") + 3)).toBe("Die");
  });

  it("counts in the text as it will be saved (spaces collapsed, ends trimmed)", () => {
    const doc = PMNode.fromJSON(schema, toDocument([{ speaker: "B", startMs: 0, endMs: 1000, text: "  Erst   dann " }]));
    const paragraphs = paragraphsOf(doc);
    expect(paragraphs[0]!.text).toBe("Erst dann");
    const index = new PlainTextIndex(doc, paragraphs);
    const text = new OffsetMap(writeText(paragraphs));
    const dann = 1 + "  Erst   ".length;
    expect(text.slice(index.toCodePoint(dann, "start"), index.toCodePoint(dann + 4, "end"))).toBe("dann");
    expect(index.toPosition(index.toCodePoint(dann, "start"), "start")).toBe(dann);
  });
});

describe("codings in the editor follow their words", () => {
  const text = "Ich habe die Anerkennung beantragt und lange gewartet.";
  const make = () => {
    const doc = PMNode.fromJSON(schema, toDocument([{ speaker: "B", startMs: 0, endMs: 5000, text }]));
    let state = EditorState.create({ doc, plugins: [codingsPlugin({ stripeLabel: (c) => c.name, onStripe: () => {} })] });
    const at = (word: string) => 1 + text.indexOf(word);
    const coding: EditorCoding = { id: "c1", codeId: "k1", from: at("Anerkennung"), to: at("und") - 1, orphaned: false };
    state = state.apply(state.tr.setMeta(codingsKey, { kind: "reset", codings: [coding], codes: [{ id: "k1", key: "STR.ANE", name: "Anerkennung", colour: "#336699", parentId: null, specialCategory: false }] }));
    return { state, at };
  };
  const covered = (state: EditorState) => {
    const c = codingsKey.getState(state)!.codings[0]!;
    return c.orphaned ? null : state.doc.textBetween(c.from, c.to);
  };

  it("stays on its words when text is typed before it and inside it", () => {
    let { state, at } = make();
    expect(covered(state)).toBe("Anerkennung beantragt");
    state = state.apply(state.tr.insertText("erst ", at("die")));
    expect(covered(state)).toBe("Anerkennung beantragt");
    const inside = state.doc.textContent.indexOf("beantragt") + 1;
    state = state.apply(state.tr.insertText("heute ", inside));
    expect(covered(state)).toBe("Anerkennung heute beantragt");
  });

  it("keeps a retyped last word whole (typing letter by letter at its end)", () => {
    let { state } = make();
    const word = 1 + state.doc.textContent.indexOf("beantragt");
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, word, word + "beantragt".length)));
    for (const [i, ch] of [..."eingereicht"].entries()) state = state.apply(i === 0 ? state.tr.insertText(ch) : state.tr.insertText(ch));
    expect(covered(state)).toBe("Anerkennung eingereicht");
  });

  it("is orphaned when all its words are deleted, and comes back with undo's document", () => {
    let { state, at } = make();
    const original = state.doc;
    const from = at("Anerkennung");
    state = state.apply(state.tr.delete(from - 1, at("und") - 1));
    expect(covered(state)).toBeNull();
    expect(codingsKey.getState(state)!.codings[0]!.orphaned).toBe(true);
    state = state.apply(state.tr.replaceWith(0, state.doc.content.size, original.content));
    expect(covered(state)).toBe("Anerkennung beantragt");
  });

  it("keeps a coding handed back with positions of a longer text inside the document (a refused removal or resize taken back)", () => {
    let { state, at } = make();
    const before = codingsKey.getState(state)!.codings[0]!;
    const late = { ...before, id: "c2", from: at("lange"), to: at("gewartet") + "gewartet".length };
    // the text after "Anerkennung" deleted meanwhile: "late" now lies past its end
    state = state.apply(state.tr.delete(at("beantragt") - 1, state.doc.content.size - 1));
    expect(state.doc.textContent).toBe("Ich habe die Anerkennung");
    state = state.apply(state.tr.setMeta(codingsKey, { kind: "add", codings: [late] }));
    const added = codingsKey.getState(state)!.codings.find((c) => c.id === "c2")!;
    expect(added).toMatchObject({ orphaned: true });
    expect(added.from).toBeLessThanOrEqual(state.doc.content.size);
    // a move to a range partly past the end keeps what is in the document
    state = state.apply(state.tr.setMeta(codingsKey, { kind: "move", id: "c1", from: at("Anerkennung"), to: at("gewartet") }));
    expect(covered(state)).toBe("Anerkennung");
  });

  it("trims the spaces at the edges of a selected passage", () => {
    const { state, at } = make();
    const selected = state.apply(state.tr.setSelection(TextSelection.create(state.doc, at("die") - 1, at("beantragt") - 1)));
    const passage = selectedPassage(selected)!;
    expect(selected.doc.textBetween(passage.from, passage.to)).toBe("die Anerkennung");
  });
});
