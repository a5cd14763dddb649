// Passage offsets (code points of writeText) -> turns, speaker and time, against the fixture interviews' links.
import fs from "node:fs";
import path from "node:path";
import { parseTranscriptFile } from "../transcripts/formats/index.server.ts";
import { writeText } from "../transcripts/formats/text.ts";
import { formatClock, locatePassage } from "./passage.ts";

const dir = process.env.LEBENSWEGE_FIXTURES_DIR ?? path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
const haveFixtures = fs.existsSync(path.join(dir, "int-02.vtt"));

describe.runIf(haveFixtures)("locating fixture passages", () => {
  it("finds the turn of every link passage of int-02", async () => {
    const paragraphs = await parseTranscriptFile("vtt", fs.readFileSync(path.join(dir, "int-02.vtt")));
    const text = Array.from(writeText(paragraphs));
    const yaml = fs.readFileSync(path.join(dir, "int-02.links.yaml"), "utf8");
    const links = [...yaml.matchAll(/start: (\d+)\n\s+end: (\d+)\n\s+turn: (\d+)\n\s+quote: "([^"]*)"/g)];
    expect(links.length).toBe(8);
    for (const [, start, end, turn, quote] of links) {
      expect(text.slice(Number(start), Number(end)).join("")).toBe(quote);
      const place = locatePassage(paragraphs, Number(start), Number(end))!;
      expect(place.firstTurn).toBe(Number(turn));
      expect(place.lastTurn).toBe(Number(turn));
      expect(place.speaker).toBe("B");
      expect(place.startMs).toBe(paragraphs[Number(turn)]!.startMs);
      expect(place.endMs).toBe(paragraphs[Number(turn)]!.endMs);
    }
  });
});

describe("locatePassage", () => {
  const turns = [
    { speaker: "I", startMs: 0, endMs: 2000, text: "Frage?" },
    { speaker: "B", startMs: 2000, endMs: 9000, text: "Antwort mit Ümläut 😀 und mehr." },
    { speaker: "I", startMs: 9000, endMs: 12000, text: "Danke." },
  ];
  const text = Array.from(writeText(turns));
  const find = (s: string) => {
    const joined = text.join("");
    const i = Array.from(joined.slice(0, joined.indexOf(s))).length;
    return [i, i + Array.from(s).length] as const;
  };
  it("counts code points (emoji count once) and spans turns", () => {
    const [a, b] = find("und mehr");
    expect(locatePassage(turns, a, b)).toMatchObject({ firstTurn: 1, lastTurn: 1, speaker: "B", startMs: 2000, endMs: 9000 });
    const [c] = find("mehr.");
    const [, d] = find("Danke");
    expect(locatePassage(turns, c, d)).toMatchObject({ firstTurn: 1, lastTurn: 2, startMs: 2000, endMs: 12000 });
    expect(locatePassage(turns, 10_000, 10_005)).toBeNull();
  });
  it("formats clock times", () => {
    expect(formatClock(65_400)).toBe("1:05");
    expect(formatClock(3_725_000)).toBe("1:02:05");
  });
});
