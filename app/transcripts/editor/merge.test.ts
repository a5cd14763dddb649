// After a refused save: the words that differ, which turns this page changed, and the three-way merge with the
// version saved meanwhile (turns only one side changed merge, turns both changed wait for a choice).
import type { Paragraph } from "../formats/types.ts";
import { applyChoices, diffWords, lcsPairs, mergeRoles, mergeTurns, unsavedChunks, type Chunk } from "./merge.ts";

const turn = (speaker: string, startMs: number, text: string): Paragraph => ({ speaker, startMs, endMs: startMs + 900, text });
const base = [
  turn("I", 0, "Wie sind Sie nach Löwenstadt gekommen?"),
  turn("B", 1000, "Über Österreich, mit dem Zug, im Frühjahr zweitausendfünfzehn."),
  turn("I", 2000, "Und dann?"),
  turn("B", 3000, "Dann kam die Prüfung für den Führerschein, ähm, später."),
  turn("I", 4000, "Wer hat Ihnen geholfen?"),
  turn("B", 5000, "Die Nachbarin, Frau Müller, übrigens sehr freundlich."),
];
const edit = (ps: Paragraph[], index: number, change: Partial<Paragraph>) => ps.map((p, i) => (i === index ? { ...p, ...change } : p));
const texts = (ps: Paragraph[]) => ps.map((p) => p.text);

describe("the word difference", () => {
  it("marks exactly the words that differ, umlauts and ß included", () => {
    expect(diffWords("Dann kam die Prüfung für den Führerschein", "Dann kam die Prüfung für die Fahrerlaubnis")).toEqual([
      { kind: "same", text: "Dann kam die Prüfung für" },
      { kind: "removed", text: "den Führerschein" },
      { kind: "added", text: "die Fahrerlaubnis" },
    ]);
    expect(diffWords("Grüße aus Gießen", "Grüße aus Gießen")).toEqual([{ kind: "same", text: "Grüße aus Gießen" }]);
    expect(diffWords("Straße", "Strasse")).toEqual([
      { kind: "removed", text: "Straße" },
      { kind: "added", text: "Strasse" },
    ]);
    expect(diffWords("", "Übermorgen")).toEqual([{ kind: "added", text: "Übermorgen" }]);
    expect(diffWords("äh ja ähm nein", "ja nein")).toEqual([
      { kind: "removed", text: "äh" },
      { kind: "same", text: "ja" },
      { kind: "removed", text: "ähm" },
      { kind: "same", text: "nein" },
    ]);
  });

  it("finds a longest common subsequence, not only the common ends", () => {
    const a = "a b c d e f".split(" ");
    const b = "x b c y e z".split(" ");
    expect(lcsPairs(a, b)).toEqual([
      [1, 1],
      [2, 2],
      [4, 4],
    ]);
  });
});

describe("the three-way merge of turns", () => {
  it("merges different turns changed on both sides, also next to each other, without asking", () => {
    const mine = edit(base, 3, { text: "Dann kam die Prüfung für den Führerschein, später." });
    const theirs = edit(edit(base, 4, { speaker: "D" }), 5, { text: "Die Nachbarin, Frau Müller, sehr freundlich." });
    const segments = mergeTurns(base, mine, theirs);
    const listed = unsavedChunks(segments);
    expect(listed.map((c) => [c.kind, texts(c.mine), texts(c.theirs)])).toEqual([["mine", [mine[3]!.text], [base[3]!.text]]]);
    const merged = applyChoices(segments, new Map([[listed[0]!.id, "mine"]]));
    expect(texts(merged)).toEqual([base[0]!.text, base[1]!.text, base[2]!.text, mine[3]!.text, base[4]!.text, theirs[5]!.text]);
    expect(merged[4]!.speaker).toBe("D");
    // "Gespeicherte behalten": the stored version as it is
    expect(applyChoices(segments, new Map([[listed[0]!.id, "saved"]]))).toEqual(theirs);
  });

  it("merges adjacent turns, each changed on one side", () => {
    const mine = edit(base, 1, { text: "Über Österreich und Ungarn." });
    const theirs = edit(base, 2, { text: "Und dann, äh, später?" });
    const listed = unsavedChunks(mergeTurns(base, mine, theirs));
    expect(listed.map((c) => c.kind)).toEqual(["mine"]);
    expect(texts(applyChoices(mergeTurns(base, mine, theirs), new Map([[listed[0]!.id, "mine"]])))).toEqual([base[0]!.text, mine[1]!.text, theirs[2]!.text, ...texts(base.slice(3))]);
  });

  it("asks for a turn both sides changed, and takes either side's words as chosen", () => {
    const mine = edit(base, 5, { text: "Die Nachbarin, Frau Müller, übrigens sehr hilfsbereit." });
    const theirs = edit(base, 5, { text: "Die Nachbarin Frau Müller war übrigens sehr freundlich." });
    const segments = mergeTurns(base, mine, theirs);
    const [chunk, ...rest] = unsavedChunks(segments);
    expect(rest).toEqual([]);
    expect(chunk!.kind).toBe("both");
    expect(texts(chunk!.base)).toEqual([base[5]!.text]);
    expect(texts(applyChoices(segments, new Map([[chunk!.id, "mine"]]))).at(-1)).toBe(mine[5]!.text);
    expect(texts(applyChoices(segments, new Map([[chunk!.id, "saved"]]))).at(-1)).toBe(theirs[5]!.text);
    expect(diffWords(theirs[5]!.text, mine[5]!.text).filter((p) => p.kind !== "same")).toEqual([
      { kind: "removed", text: "Nachbarin" },
      { kind: "added", text: "Nachbarin," },
      { kind: "removed", text: "Müller war" },
      { kind: "added", text: "Müller," },
      { kind: "removed", text: "freundlich." },
      { kind: "added", text: "hilfsbereit." },
    ]);
  });

  it("compares speaker and times too, and treats a turn deleted meanwhile as a conflict", () => {
    const mine = edit(edit(base, 0, { speaker: "D" }), 2, { startMs: 2100 });
    const theirs = base.filter((_, i) => i !== 2);
    const listed = unsavedChunks(mergeTurns(base, mine, theirs));
    expect(listed.map((c: Chunk) => [c.kind, c.mine.map((p) => p.speaker), c.theirs.length])).toEqual([
      ["mine", ["D"], 1],
      ["both", ["I"], 0],
    ]);
  });

  it("lists only what differs from the stored version: the stored version's own changes and the same change on both sides are taken", () => {
    const mine = edit(base, 1, { text: "Über Österreich." });
    const theirs = edit(edit(base, 1, { text: "Über Österreich." }), 3, { text: "Die Prüfung." });
    const segments = mergeTurns(base, mine, theirs);
    expect(unsavedChunks(segments)).toEqual([]);
    expect(applyChoices(segments, new Map())).toEqual(theirs);
  });

  it("keeps a split turn and turns inserted here against an edit elsewhere", () => {
    const mine = [...base.slice(0, 3), turn("B", 3000, "Dann kam die Prüfung"), turn("B", 3500, "für den Führerschein, ähm, später."), ...base.slice(4), turn("I", 6000, "Vielen Dank für das Gespräch!")];
    const theirs = edit(base, 0, { text: "Wie sind Sie nach Löwenstadt gekommen, Frau Öztürk?" });
    const segments = mergeTurns(base, mine, theirs);
    const listed = unsavedChunks(segments);
    expect(listed.map((c) => [c.kind, c.base.length, c.mine.length, c.theirs.length])).toEqual([
      ["mine", 1, 2, 1],
      ["mine", 0, 1, 0],
    ]);
    const merged = applyChoices(segments, new Map(listed.map((c) => [c.id, "mine"])));
    expect(texts(merged)).toEqual([theirs[0]!.text, ...texts(mine.slice(1))]);
  });

  it("merges speaker roles the same way", () => {
    expect(mergeRoles({ Rosa: "interviewer" }, { Rosa: "interviewer", Zoë: "interviewee" }, { Rosa: "other" })).toEqual({ Rosa: "other", Zoë: "interviewee" });
    expect(mergeRoles({ Rosa: "interviewer" }, {}, { Rosa: "interviewer", Ümit: "other" })).toEqual({ Ümit: "other" });
  });
});
