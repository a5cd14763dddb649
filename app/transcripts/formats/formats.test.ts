// Parsers and writers against the interview fixtures (../shared/fixtures/interviews): the fixtures' files
// parse to their segments, our writers reproduce them byte for byte, and every export reads back.
import fs from "node:fs";
import path from "node:path";
import mammoth from "mammoth";
import { detectFormat, parseTranscriptFile, writeTranscriptFile } from "./index.server.ts";
import { parseDocx, writeDocx } from "./docx.server.ts";
import { gatText, writeGat2 } from "./gat2.ts";
import { parseSrt, writeSrt } from "./srt.ts";
import { parseText, writeText } from "./text.ts";
import { formatDpTimestamp, parseClock } from "./timestamp.ts";
import { TranscriptParseError, type Paragraph } from "./types.ts";
import { parseVtt, writeVtt } from "./vtt.ts";
import { MAX_CUE_MS, MAX_LINE_CHARS, MAX_LINES, MIN_CUE_MS, paragraphCues } from "./subtitles.ts";

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "interviews");
const NAMES = ["int-01", "int-02", "int-03"] as const;

type Segment = { speaker: string; start_ms: number; end_ms: number; text: string };
const read = (file: string) => fs.readFileSync(path.join(FIXTURES, file), "utf8");
const segmentsOf = (name: string): Paragraph[] =>
  (JSON.parse(read(`${name}.segments.json`)) as Segment[]).map((s) => ({ speaker: s.speaker, startMs: s.start_ms, endMs: s.end_ms, text: s.text }));
/** What a D&P text file can hold: end times in tenths, truncated; each turn starts where the previous ended. */
const inTenths = (paragraphs: Paragraph[]): Paragraph[] =>
  paragraphs.map((p, i) => ({ ...p, startMs: i === 0 ? 0 : Math.floor(paragraphs[i - 1]!.endMs / 100) * 100, endMs: Math.floor(p.endMs / 100) * 100 }));

function parseErrorOf(fn: () => unknown): { code: string; line: number } {
  try {
    fn();
  } catch (e) {
    if (e instanceof TranscriptParseError) return { code: e.code, line: e.line };
    throw e;
  }
  throw new Error("no parse error");
}

describe.each(NAMES)("fixture %s", (name) => {
  const segments = segmentsOf(name);

  it("the .vtt parses to exactly the segments, and writeVtt starts every turn with the fixture's cue id and time", () => {
    expect(parseVtt(read(`${name}.vtt`))).toEqual(segments);
    // The fixture has one cue per turn; the export cuts long turns into subtitle cues after the first.
    const starts = (vtt: string) => [...vtt.matchAll(/^(turn-\d{3})\n(\S+) -->/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(starts(writeVtt(segments))).toEqual(starts(read(`${name}.vtt`)));
  });

  it("the .txt parses to the segments (times in tenths, as the file writes them), and writeText gives the file back", () => {
    const parsed = parseText(read(`${name}.txt`));
    expect(parsed).toEqual(inTenths(segments));
    expect(parsed.map((p) => p.text)).toEqual(segments.map((s) => s.text));
    expect(writeText(segments)).toBe(read(`${name}.txt`));
  });

  it("SRT, WebVTT, text and DOCX exports parse back to the same paragraphs", async () => {
    expect(parseSrt(writeSrt(segments))).toEqual(segments);
    expect(parseVtt(writeVtt(segments))).toEqual(segments);
    expect(parseText(writeText(segments))).toEqual(inTenths(segments));
    const docx = await writeDocx(segments, { title: `Transkript ${name}` });
    // A DOCX reader sees one document paragraph per turn, label and timestamp included.
    const raw = (await mammoth.extractRawText({ buffer: docx })).value.trim().split("\n\n");
    expect(raw).toHaveLength(segments.length);
    expect(raw[0]).toBe(`${segments[0]!.speaker}:\t${segments[0]!.text} ${formatDpTimestamp(segments[0]!.endMs)}`);
    expect(await parseDocx(docx)).toEqual(inTenths(segments));
  });

  it("round trip: import -> export -> import, for every import format", async () => {
    for (const file of [`${name}.txt`, `${name}.vtt`]) {
      const bytes = fs.readFileSync(path.join(FIXTURES, file));
      const imported = await parseTranscriptFile(detectFormat(file, bytes), bytes);
      for (const format of ["txt", "docx", "srt", "vtt"] as const) {
        const exported = await writeTranscriptFile(format, imported, { title: name });
        const again = Buffer.from(exported.body);
        const reimported = await parseTranscriptFile(detectFormat(`x.${exported.extension}`, again), again);
        const expected = format === "txt" || format === "docx" ? inTenths(imported) : imported;
        expect(reimported, `${file} -> ${format}`).toEqual(expected);
      }
    }
  });

  it("GAT 2: numbered lines, speaker labels, markers converted, no punctuation", () => {
    const gat = writeGat2(segments, { title: `Interview ${name}` });
    const lines = gat.trimEnd().split("\n");
    expect(lines.slice(0, 3)).toEqual([`Interview ${name}`, "GAT 2 Minimaltranskript", ""]);
    const body = lines.slice(3);
    body.forEach((line, i) => expect(line.startsWith(`${String(i + 1).padStart(3, "0")} `), line).toBe(true));
    const turnStarts = body.filter((l) => /^\d{3} [A-Z]\d?:/.test(l));
    expect(turnStarts).toHaveLength(segments.length);
    expect(gat).not.toMatch(/[.,;!?](\s|$)/);
    if (read(`${name}.txt`).includes("(lacht)")) expect(gat).toContain("((lacht))");
    expect(gat).not.toMatch(/#\d\d:/);
  });
});

describe("plain text", () => {
  it("shares the time up to the next timestamp among turns without one, in proportion to their length", () => {
    const parsed = parseText("I: Eins zwei\n\nB: Drei vier #00:00:10-0#\n\nI: Danach.");
    expect(parsed.map((p) => [p.speaker, p.startMs, p.endMs])).toEqual([
      ["I", 0, 5000],
      ["B", 5000, 10000],
      ["I", 10000, 10000],
    ]);
  });

  it("joins wrapped lines, accepts paragraphs without blank lines between them, and keeps an inner timestamp as text", () => {
    const parsed = parseText("I: Frage\nzweite Zeile #00:00:01-5#\nB: Antwort #00:00:02-0# weiter #00:00:04-25#\n");
    expect(parsed).toEqual([
      { speaker: "I", startMs: 0, endMs: 1500, text: "Frage zweite Zeile" },
      { speaker: "B", startMs: 1500, endMs: 4250, text: "Antwort #00:00:02-0# weiter" },
    ]);
  });

  it("keeps an unassigned speaker as ?: and reads it back", () => {
    const p: Paragraph[] = [{ speaker: "", startMs: 0, endMs: 1200, text: "ohne Sprecher" }];
    expect(writeText(p)).toBe("?: ohne Sprecher #00:00:01-2#\n");
    expect(parseText(writeText(p))).toEqual(p);
  });

  it("names the line of a problem", () => {
    expect(parseErrorOf(() => parseText("I: gut #00:00:01-0#\n\nohne Kürzel\n"))).toEqual({ code: "noSpeaker", line: 3 });
    expect(parseErrorOf(() => parseText("Titel des Interviews\nI: gut"))).toEqual({ code: "noSpeaker", line: 1 });
    expect(parseErrorOf(() => parseText("I: a #00:00:05-0#\nB: b #00:00:04-0#"))).toEqual({ code: "timeOrder", line: 2 });
    expect(parseErrorOf(() => parseText("I: a #00:61:05-0#"))).toEqual({ code: "badTimestamp", line: 1 });
    expect(parseErrorOf(() => parseText("\n\n"))).toEqual({ code: "empty", line: 1 });
  });
});

describe("WebVTT and SRT", () => {
  it("escapes markup characters and leaves out the voice of an unassigned turn", () => {
    const p: Paragraph[] = [
      { speaker: "B1", startMs: 0, endMs: 1000, text: "a < b & c > d" },
      { speaker: "", startMs: 1000, endMs: 2000, text: "niemand" },
    ];
    const vtt = writeVtt(p);
    expect(vtt).toContain("<v B1>a &lt; b &amp; c &gt; d");
    expect(vtt).toContain("\nniemand\n");
    expect(parseVtt(vtt)).toEqual(p);
    expect(parseSrt(writeSrt(p))).toEqual(p);
  });

  it("reads cues without ids, hours and voices, with settings, notes, tags and multi-line text", () => {
    const vtt = "\uFEFFWEBVTT - Interview\n\nNOTE made elsewhere\n\n00:01.000 --> 00:02.500 align:start\n<v.loud Anna Maria>Hallo</v>\n<i>Welt</i>\n\n00:03.000 --> 00:04.000\nB: <00:03.500>weiter";
    expect(parseVtt(vtt)).toEqual([
      { speaker: "Anna Maria", startMs: 1000, endMs: 2500, text: "Hallo Welt" },
      { speaker: "B", startMs: 3000, endMs: 4000, text: "weiter" },
    ]);
  });

  it("merges neighbouring cues of the same speaker when asked (speech-engine subtitles)", () => {
    const srt = "1\n00:00:00,000 --> 00:00:01,000\nI: eins\n\n2\n00:00:01,000 --> 00:00:02,000\nI: zwei\n\n3\n00:00:02,000 --> 00:00:03,000\nB: drei\n";
    expect(parseSrt(srt)).toHaveLength(3);
    expect(parseSrt(srt, { mergeSameSpeaker: true })).toEqual([
      { speaker: "I", startMs: 0, endMs: 2000, text: "eins zwei" },
      { speaker: "B", startMs: 2000, endMs: 3000, text: "drei" },
    ]);
  });

  it("names the line of a problem", () => {
    expect(parseErrorOf(() => parseVtt("00:00.000 --> 00:01.000\nHallo"))).toEqual({ code: "vttHeader", line: 1 });
    expect(parseErrorOf(() => parseVtt("WEBVTT\n\n1\n00:00.000 -> 00:01.000\nHallo"))).toEqual({ code: "cueTiming", line: 4 });
    expect(parseErrorOf(() => parseVtt("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nHallo"))).toEqual({ code: "timeOrder", line: 3 });
    expect(parseErrorOf(() => parseSrt("1\n00:00:00,000 --> 00:00:01,000\nA\n\nzwei\n00:00:01,000 --> 00:00:02,000\nB"))).toEqual({ code: "srtIndex", line: 5 });
    expect(parseErrorOf(() => parseSrt("1\n00:00:00,000 --> 00:00:01,000\nA\n\n2\n00:00:01 --> 00:00:02,000\nB"))).toEqual({ code: "cueTiming", line: 6 });
  });

  it("parses clock values with and without hours", () => {
    expect(parseClock("01:02:03.004")).toBe(3_723_004);
    expect(parseClock("02:03,004")).toBe(123_004);
    expect(parseClock("00:60:00.000")).toBeNull();
  });
});

describe("DOCX", () => {
  it("a file that is not a DOCX is refused with a clear code", async () => {
    await expect(parseDocx(Buffer.from("PK\u0003\u0004 not really a zip"))).rejects.toMatchObject({ code: "docxUnreadable", line: 1 });
  });

  it("error lines are paragraph numbers of the document", async () => {
    const docx = await writeDocx([{ speaker: "I", startMs: 0, endMs: 1000, text: "eins" }]);
    const text = (await mammoth.extractRawText({ buffer: docx })).value;
    expect(text).toContain("I:\teins #00:00:01-0#");
    await expect(parseTranscriptFile("docx", docx)).resolves.toHaveLength(1);
  });
});

describe("format detection", () => {
  it("decides by content first, then by file name", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(detectFormat("a.txt", bytes("WEBVTT\n\n"))).toBe("vtt");
    expect(detectFormat("a.txt", bytes("1\n00:00:00,000 --> 00:00:01,000\nx"))).toBe("srt");
    expect(detectFormat("a.bin", new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe("docx");
    expect(detectFormat("a.srt", bytes("x"))).toBe("srt");
    expect(detectFormat("interview.txt", bytes("I: Hallo"))).toBe("txt");
  });

  it("reads Windows-1252 text", async () => {
    const latin = new Uint8Array([...new TextEncoder().encode("B: Gr"), 0xfc, ...new TextEncoder().encode("n #00:00:01-0#")]);
    await expect(parseTranscriptFile("txt", latin)).resolves.toEqual([{ speaker: "B", startMs: 0, endMs: 1000, text: "Grün" }]);
  });

  it("reads UTF-16 text (Notepad's and Word's \"Unicode\"), with or without byte order mark, in either byte order", async () => {
    const text = "I: Wie war die Prüfung? #00:00:02-0#\nB: Bestanden, B1. #00:00:05-5#\n";
    const expected = [
      { speaker: "I", startMs: 0, endMs: 2000, text: "Wie war die Prüfung?" },
      { speaker: "B", startMs: 2000, endMs: 5500, text: "Bestanden, B1." },
    ];
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    for (const [name, bytes] of [
      ["little endian with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ["big endian with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ["little endian without BOM", le],
      ["big endian without BOM", be],
    ] as const) {
      const format = detectFormat("interview.txt", bytes);
      expect(format, name).toBe("txt");
      expect(await parseTranscriptFile(format, bytes), name).toEqual(expected);
    }
    // A WebVTT file in UTF-16 is still recognised by its header.
    expect(detectFormat("a.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("WEBVTT\n\n", "utf16le")]))).toBe("vtt");
  });

  it("refuses a binary file (PDF, old .doc) as not a text file instead of complaining about its first line", async () => {
    const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<< /Length 5 >>\nstream\n\u0000\u0001\u0002x\u0000\nendstream", "latin1");
    const doc = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0, 0x3e, 0, 3, 0, 0xfe, 0xff, 9, 0]);
    for (const [name, bytes] of [["interview.pdf", pdf], ["interview.doc", doc]] as const) {
      await expect(parseTranscriptFile(detectFormat(name, bytes), bytes), name).rejects.toMatchObject({ code: "notText" });
    }
    for (const format of ["srt", "vtt"] as const) await expect(parseTranscriptFile(format, pdf), format).rejects.toMatchObject({ code: "notText" });
  });
});

describe("GAT 2 markers", () => {
  it("maps Dresing & Pehl markers to GAT 2", () => {
    expect(gatText("Ja, ich (...) weiß NICHT. (lacht) Das war in [Ort] (unv.), glaube (Homs?) end/ #00:00:01-0#")).toBe(
      "ja ich (--) weiß nicht ((lacht)) das war in ((ort)) ( ) glaube (homs) end",
    );
    expect(gatText("Pause (3) und (2,5 Sek.)")).toBe("pause (3.0) und (2.5)");
  });

  it("puts a measured pause between turns that leave a gap", () => {
    const gat = writeGat2([
      { speaker: "I", startMs: 0, endMs: 1000, text: "Frage?" },
      { speaker: "B", startMs: 3400, endMs: 4000, text: "Antwort." },
    ]);
    expect(gat).toBe("001 I:  frage\n002     (2.4)\n003 B:  antwort\n");
  });
});

/** The cues of an SRT or WebVTT file as a viewer sees them: times and text lines (voice tags left out). */
function cuesOf(file: string): { startMs: number; endMs: number; lines: string[] }[] {
  return file
    .split(/\n\n+/)
    .map((block) => block.split("\n").filter(Boolean))
    .filter((lines) => lines.some((l) => l.includes("-->")))
    .map((lines) => {
      const at = lines.findIndex((l) => l.includes("-->"));
      const [start, end] = lines[at]!.split(" --> ");
      return { startMs: parseClock(start!)!, endMs: parseClock(end!)!, lines: lines.slice(at + 1).map((l) => l.replace(/<[^>]*>/g, "")) };
    });
}

/** What a subtitle viewer can rely on, checked cue by cue against the turns written. */
function expectReadableCues(file: string, paragraphs: readonly Paragraph[], label: (p: Paragraph) => string) {
  const cues = cuesOf(file);
  expect(cues.length).toBeGreaterThan(paragraphs.length);
  let c = 0;
  for (const p of paragraphs) {
    const words: string[] = [];
    const first = c;
    do {
      const cue = cues[c]!;
      expect(cue.lines.length, cue.lines.join("|")).toBeLessThanOrEqual(MAX_LINES);
      for (const line of cue.lines) expect(line.length, line).toBeLessThanOrEqual(MAX_LINE_CHARS);
      expect(cue.endMs).toBeGreaterThanOrEqual(cue.startMs);
      expect(cue.endMs - cue.startMs, cue.lines.join("|")).toBeLessThanOrEqual(MAX_CUE_MS);
      if (c > 0) expect(cue.startMs).toBeGreaterThanOrEqual(cues[c - 1]!.endMs);
      words.push(...cue.lines.join(" ").split(" "));
      c++;
    } while (words.length - (label(p) ? 1 : 0) < p.text.split(" ").length);
    expect(cues[first]!.startMs).toBe(p.startMs);
    expect(cues[c - 1]!.endMs).toBe(p.endMs);
    // Every word whole and in order; the label only before the first cue of the turn.
    expect(words.join(" ")).toBe(`${label(p)}${p.text}`);
  }
  expect(c).toBe(cues.length);
}

describe("subtitle cues", () => {
  const long = segmentsOf("int-01");

  it("cut the long answers of an interview into cues of at most 2 lines of 42 characters and 7 seconds, no word split", () => {
    expect(Math.max(...long.map((p) => p.text.length))).toBeGreaterThan(600);
    expectReadableCues(writeSrt(long), long, (p) => `${p.speaker}: `);
    expectReadableCues(writeVtt(long), long, () => "");
  });

  it("cut at a sentence end before a comma, and at a comma before any other word", () => {
    const p: Paragraph = {
      speaker: "B",
      startMs: 0,
      endMs: 12_000,
      text: "Am 8. Februar kam der Bescheid. Mein Diplom ist nur teilweise anerkannt, steht da, und ich muss noch eine Prüfung machen.",
    };
    expect(paragraphCues(p).map((c) => c.lines.join(" "))).toEqual([
      "Am 8. Februar kam der Bescheid.",
      "Mein Diplom ist nur teilweise anerkannt, steht da,",
      "und ich muss noch eine Prüfung machen.",
    ]);
    // Without punctuation: as many words as two lines hold (the lines about even), then the next cue.
    const plain = paragraphCues({ ...p, endMs: 8_000, text: "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn" });
    expect(plain.map((c) => c.lines)).toEqual([["eins zwei drei vier fünf sechs sieben", "acht neun zehn elf zwölf dreizehn vierzehn"], ["fünfzehn sechzehn"]]);
    // Fast speech fills lines; slow speech reaches 7 seconds first.
    const slow = paragraphCues({ ...p, endMs: 60_000 });
    for (const cue of slow) expect(cue.endMs - cue.startMs).toBeLessThanOrEqual(MAX_CUE_MS);
    expect(slow.length).toBeGreaterThan(8);
  });

  it("keep at least two words (or 15 characters) on a cue and a name of capitalized words on one cue, where the limits allow", () => {
    const cuesText = (p: Paragraph) => paragraphCues(p).map((c) => c.lines.join(" "));
    const p: Paragraph = { speaker: "B", startMs: 0, endMs: 8_000, text: "Unser Sohn Karim geht jetzt schon in die siebte Klasse der Gemeinschaftsschule Am Wiesenufer." };
    // Not "… Gemeinschaftsschule Am" and then "Wiesenufer." alone for a second.
    expect(cuesText(p)).toEqual(["Unser Sohn Karim geht jetzt schon in die siebte Klasse der", "Gemeinschaftsschule Am Wiesenufer."]);
    const doctor = "Danach hat mich dann eine Sozialarbeiterin zur Beratung bei Frau Doktor Annemarie Wehrle begleitet und dort blieb ich lange.";
    expect(cuesText({ ...p, text: doctor })).toEqual([
      "Danach hat mich dann eine Sozialarbeiterin zur Beratung bei",
      "Frau Doktor Annemarie Wehrle begleitet und dort blieb ich lange.",
    ]);
    // Two words over 35 seconds stay together rather than two lone words; the cue still ends after 7 seconds.
    expect(paragraphCues({ ...p, endMs: 35_000, text: "Ja, genau." })).toEqual([{ startMs: 0, endMs: 7_000, lines: ["Ja, genau."] }]);
    // The interviews' turns: no "Ja," cut off before its sentence, no lone word after it.
    for (const name of NAMES) {
      for (const turn of segmentsOf(name)) {
        for (const text of cuesText(turn)) expect(text.includes(" ") || text.length >= 15, `${name}: ${text}`).toBe(true);
      }
    }
  });

  it("show a cue for a second at least: cut elsewhere, else into the pause after it (never over the next turn), else with time from its neighbours", () => {
    // The interviews' answers begin with "Ja." or "Ja, gerne." for a quarter of a second.
    for (const name of NAMES) {
      for (const cue of writeSrt(segmentsOf(name)).split("\n\n").map((block) => cuesOf(block)[0]!)) {
        expect(cue.endMs - cue.startMs, `${name}: ${cue.lines.join(" ")}`).toBeGreaterThanOrEqual(MIN_CUE_MS);
      }
    }
    // A short answer keeps the screen for a second of the silence after it, up to the next turn where that is sooner.
    const turns: Paragraph[] = [
      { speaker: "I", startMs: 0, endMs: 2_000, text: "Haben Sie Geschwister?" },
      { speaker: "B", startMs: 2_000, endMs: 2_260, text: "Ja." },
      { speaker: "I", startMs: 5_000, endMs: 6_000, text: "Wie viele?" },
      { speaker: "B", startMs: 6_000, endMs: 6_300, text: "Drei." },
      { speaker: "I", startMs: 6_600, endMs: 8_000, text: "Und wo leben sie?" },
    ];
    expect(cuesOf(writeSrt(turns)).map((c) => [c.startMs, c.endMs])).toEqual([
      [0, 2_000],
      [2_000, 3_000],
      [5_000, 6_000],
      [6_000, 6_600],
      [6_600, 8_000],
    ]);
    expect(cuesOf(writeVtt(turns)).map((c) => c.endMs)).toEqual([2_000, 3_000, 6_000, 6_600, 8_000]);
    // Fast speech: the last two words would be on screen for half a second; the cut moves so that they get a second.
    const fast = paragraphCues({ speaker: "B", startMs: 0, endMs: 3_000, text: "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn" });
    expect(fast.length).toBe(2);
    for (const cue of fast) expect(cue.endMs - cue.startMs, cue.lines.join(" ")).toBeGreaterThanOrEqual(MIN_CUE_MS);
    // Where no cut gives a cue a second, its neighbours give up some of theirs: "Ja." before a word that took long.
    const slowWords = [
      { t: "Ja.", s: 0, e: 200 },
      { t: "Bundesamtsangelegenheiten", s: 300, e: 8_000 },
      { t: "waren", s: 8_000, e: 8_400 },
      { t: "schwierig.", s: 8_400, e: 8_800 },
    ];
    const slow: Paragraph = { speaker: "B", startMs: 0, endMs: 8_800, text: "Ja. Bundesamtsangelegenheiten waren schwierig.", words: slowWords };
    expect(paragraphCues(slow)).toEqual([
      { startMs: 0, endMs: 1_000, lines: ["Ja."] },
      { startMs: 1_000, endMs: 7_300, lines: ["Bundesamtsangelegenheiten"] },
      { startMs: 7_800, endMs: 8_800, lines: ["waren schwierig."] },
    ]);
    // The turn keeps its times, so an import reads it back.
    const word = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung";
    const long: Paragraph = { speaker: "B", startMs: 0, endMs: 3_000, text: `Ja. ${word}`, words: [slowWords[0]!, { t: word, s: 300, e: 3_000 }] };
    expect(paragraphCues(long)).toEqual([
      { startMs: 0, endMs: 1_000, lines: ["Ja."] },
      { startMs: 1_000, endMs: 3_000, lines: [word] },
    ]);
    expect(parseSrt(writeSrt([long]))).toEqual([{ speaker: "B", startMs: 0, endMs: 3_000, text: long.text }]);
  });

  it("give a turn without a duration its reading time (15 characters a second), up to the next turn, never zero", () => {
    // A text import's last turn has no timestamp after it: it starts and ends at the last one.
    const imported = parseText("I: Eins zwei\n\nB: Drei vier #00:00:10-0#\n\nI: Danach.");
    expect(imported[2]).toMatchObject({ startMs: 10_000, endMs: 10_000 });
    expect(writeSrt(imported)).toContain("3\n00:00:10,000 --> 00:00:11,000\nI: Danach.\n");
    // Turns all stamped 00:00:00 without an end follow each other instead of overlapping at zero.
    const unstamped: Paragraph[] = [
      { speaker: "I", startMs: 0, endMs: 0, text: "Wie heißen Sie?" },
      { speaker: "B", startMs: 0, endMs: 0, text: "Ich heiße Rosa und komme aus Aleppo." },
      { speaker: "I", startMs: 5_000, endMs: 5_000, text: "Seit wann sind Sie in Lörrach, und wie sind Sie hierher gekommen?" },
      { speaker: "B", startMs: 5_000, endMs: 9_000, text: "Seit 2016." },
    ];
    for (const format of ["srt", "vtt"] as const) {
      const file = format === "srt" ? writeSrt(unstamped) : writeVtt(unstamped);
      expect(cuesOf(file).map((c) => [c.startMs, c.endMs]), format).toEqual([
        [0, 1_000],
        [1_000, 3_400],
        // 65 characters: 4.3 s; the turn stamped at the same time follows, its own end then lies before its start.
        [5_000, 9_333],
        [9_333, 10_333],
      ]);
    }
  });

  it("take the times from the words the engine timed, also after an edit, and leave a long pause uncovered", () => {
    const words = [
      { t: "Ich", s: 1_000, e: 1_300 },
      { t: "bin", s: 1_300, e: 1_500 },
      { t: "2015", s: 1_500, e: 2_400 },
      { t: "gekommen.", s: 2_400, e: 3_000 },
      // Nine seconds of silence, then the second sentence.
      { t: "Dann", s: 12_000, e: 12_300 },
      { t: "kam", s: 12_300, e: 12_600 },
      { t: "Fröhnd.", s: 12_600, e: 13_500 },
    ];
    const p: Paragraph = { speaker: "B", startMs: 500, endMs: 14_000, text: "Ich bin 2015 gekommen. Dann kam Fröhnd.", words };
    expect(paragraphCues(p)).toEqual([
      { startMs: 500, endMs: 7_500, lines: ["Ich bin 2015 gekommen."] },
      { startMs: 12_000, endMs: 14_000, lines: ["Dann kam Fröhnd."] },
    ]);
    // A word corrected in the editor has no timing of its own: it lies between its timed neighbours.
    const edited = paragraphCues({ ...p, text: "Ich bin 2015 gekommen. Danach kam Fröhnd." });
    expect(edited.map((c) => [c.startMs, c.endMs])).toEqual([
      [500, 7_500],
      [12_000, 14_000],
    ]);
  });

  it("end a turn's last cue 7 seconds after it starts at the latest, leaving the rest of a long turn without a cue", () => {
    // An imported "Rosa: Danke." that lasts until the next timestamp, 35 seconds later.
    const thanks: Paragraph = { speaker: "Rosa", startMs: 60_000, endMs: 95_000, text: "Danke." };
    expect(paragraphCues(thanks)).toEqual([{ startMs: 60_000, endMs: 67_000, lines: ["Danke."] }]);
    expect(writeSrt([thanks])).toBe("1\n00:01:00,000 --> 00:01:07,000\nRosa: Danke.\n");
    // With word times the last cue starts at its first word and ends 7 seconds later, long before the turn ends.
    const words = [
      { t: "Ich", s: 1_000, e: 1_300 },
      { t: "bin", s: 1_300, e: 1_500 },
      { t: "gekommen.", s: 1_500, e: 2_400 },
      { t: "Dann", s: 12_000, e: 12_300 },
      { t: "Fröhnd.", s: 12_300, e: 13_000 },
    ];
    expect(paragraphCues({ speaker: "B", startMs: 500, endMs: 40_000, text: "Ich bin gekommen. Dann Fröhnd.", words })).toEqual([
      { startMs: 500, endMs: 7_500, lines: ["Ich bin gekommen."] },
      { startMs: 12_000, endMs: 19_000, lines: ["Dann Fröhnd."] },
    ]);
  });

  it("share the turn's time by characters where no word has a time, ending the last cue at the turn's end", () => {
    const p: Paragraph = { speaker: "I", startMs: 10_000, endMs: 20_000, text: "Erste Frage, bitte kurz beantworten. Zweite Frage, die etwas länger ist als die erste." };
    const cues = paragraphCues(p);
    expect(cues.map((c) => c.lines.join(" "))).toEqual(["Erste Frage, bitte kurz beantworten.", "Zweite Frage, die etwas länger ist als die erste."]);
    const cut = 10_000 + Math.round((10_000 * p.text.indexOf("Zweite")) / p.text.length);
    expect(cues.map((c) => [c.startMs, c.endMs])).toEqual([
      [10_000, cut],
      [cut, 20_000],
    ]);
  });

  it("keep a word longer than a line whole, and let no cue begin with what an import reads as a speaker", () => {
    const word = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung";
    const cues = paragraphCues({ speaker: "B", startMs: 0, endMs: 9_000, text: `Das war die ${word}, sagt man.` });
    expect(cues.flatMap((c) => c.lines)).toEqual(["Das war die", `${word},`, "sagt man."]);
    const tricky: Paragraph = { speaker: "B", startMs: 0, endMs: 6_000, text: "Das habe ich dann dem Amt geschickt und gewartet. Bescheid: Mein Diplom ist nur teilweise anerkannt." };
    for (const cue of paragraphCues(tricky).slice(1)) expect(cue.lines[0]).not.toMatch(/^[A-ZÄÖÜ]\S{0,15}:/);
    expect(parseSrt(writeSrt([tricky]))).toEqual([{ ...tricky }]);
    // Right after a word too long for a line there is no other place to cut: the label-like word stays on its cue.
    const odd: Paragraph = { speaker: "B", startMs: 0, endMs: 6_000, text: `${word} Wichtig: das Wort.` };
    expect(paragraphCues(odd).map((c) => c.lines)).toEqual([[word, "Wichtig:"], ["das Wort."]]);
    expect(parseSrt(writeSrt([odd]))).toEqual([odd]);
  });
});

describe("importing our own subtitles", () => {
  const turns: Paragraph[] = [
    { speaker: "I", startMs: 0, endMs: 9_000, text: "Wie ging es weiter, nachdem Sie in Karlsruhe angekommen waren und die Erstaufnahme hinter sich hatten?" },
    { speaker: "B", startMs: 9_000, endMs: 30_000, text: segmentsOf("int-01")[5]!.text.slice(0, 300) },
    // The same speaker again, and a turn nobody has been assigned to yet: both stay turns of their own.
    { speaker: "B", startMs: 30_000, endMs: 40_000, text: "Und dann, (...) nach einem Jahr und noch einem halben, kam endlich der Bescheid vom Regierungspräsidium." },
    { speaker: "", startMs: 40_000, endMs: 52_000, text: "Ein Absatz ohne Sprecher, wie ihn whisper liefert, der länger ist als ein einziger Untertitel sein darf." },
  ];

  it("gives back every turn with its speaker, times and text, from SRT and WebVTT", async () => {
    for (const format of ["srt", "vtt"] as const) {
      const file = await writeTranscriptFile(format, turns);
      expect(cuesOf(String(file.body)).length, format).toBeGreaterThan(turns.length + 3);
      const bytes = Buffer.from(String(file.body));
      expect(await parseTranscriptFile(detectFormat(`x.${file.extension}`, bytes), bytes), format).toEqual(turns);
      // "Join consecutive subtitles of the same speaker" still joins the two turns of B.
      const merged = await parseTranscriptFile(format, bytes, { mergeSameSpeaker: true });
      expect(merged.map((p) => p.speaker), format).toEqual(["I", "B", ""]);
      expect(merged[1]!.text, format).toBe(`${turns[1]!.text} ${turns[2]!.text}`);
    }
  });

  it("joins cues without a label to the labelled turn before them, but keeps the cues of a file without labels apart", () => {
    const labelled = "1\n00:00:00,000 --> 00:00:02,000\nI: Wie war das?\n\n2\n00:00:02,000 --> 00:00:04,000\nB: Schwer, am Anfang.\n\n3\n00:00:04,000 --> 00:00:06,000\nDann wurde es besser.\n";
    expect(parseSrt(labelled)).toEqual([
      { speaker: "I", startMs: 0, endMs: 2000, text: "Wie war das?" },
      { speaker: "B", startMs: 2000, endMs: 6000, text: "Schwer, am Anfang. Dann wurde es besser." },
    ]);
    const engine = "WEBVTT\n\n00:00.000 --> 00:02.000\nWie war das?\n\n00:02.000 --> 00:04.000\nSchwer, am Anfang.\n";
    expect(parseVtt(engine).map((p) => p.text)).toEqual(["Wie war das?", "Schwer, am Anfang."]);
  });
});
