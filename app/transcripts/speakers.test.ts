// Speaker labels: which a person may add (and what the page says otherwise), which the picker offers, and which
// role search gives each. Every label the editor accepts must come back from the text formats it is exported to.
import { DEFAULT_SPEAKERS, parseSpeakerRoles, speakerChoices, speakerCounts, speakerLabelError, speakerRole, storedSpeakerRoles } from "./speakers.ts";
import { parseText, writeText } from "./formats/text.ts";
import { parseSrt, writeSrt } from "./formats/srt.ts";
import { parseVtt, writeVtt } from "./formats/vtt.ts";
import { layoutText } from "../refi/text-layout.ts";

describe("a new speaker label", () => {
  it("takes short labels of letters and digits, as f4, noScribe and MAXQDA users write them", () => {
    for (const label of ["I2", "B3", "D2", "Rosa", "Ümit", "B12", "Interviewerin2", " I2 "]) expect(speakerLabelError(label)).toBeNull();
  });

  it("takes names in letters beyond German, as people here are called (a capital first, 16 letters at most)", () => {
    for (const label of ["Zoë", "Ayşe", "Şirin", "Łukasz", "Ólafur", "Ирина", "Σοφία", "Zoe\u0308", "Łukaszewiczówna1"]) expect(speakerLabelError(label)).toBeNull();
    for (const label of ["şirin", "ирина", "Łukaszewiczówna12"]) expect(speakerLabelError(label)).not.toBeNull();
  });

  it("says what is wrong with anything else", () => {
    expect(speakerLabelError("")).toBe("speakers.errors.empty");
    expect(speakerLabelError("   ")).toBe("speakers.errors.empty");
    expect(speakerLabelError("Interviewerin123")).toBeNull();
    expect(speakerLabelError("Interviewerin1234")).toBe("speakers.errors.tooLong");
    for (const label of ["B:", "B 3", "rosa", "3B", "?", "I-2", "<v>", "B#1"]) expect(speakerLabelError(label)).toBe("speakers.errors.format");
  });

  it("comes back from plain text, SRT, WebVTT and the QDPX text layout", () => {
    const paragraphs = ["I1", "I2", "B3", "D2", "Rosa", "Ümit", "Zoë", "Şirin", "Łukasz"].map((speaker, i) => ({ speaker, startMs: i * 1000, endMs: i * 1000 + 900, text: `Satz ${i}.` }));
    for (const p of paragraphs) expect(speakerLabelError(p.speaker)).toBeNull();
    expect(parseText(writeText(paragraphs)).map((p) => p.speaker)).toEqual(paragraphs.map((p) => p.speaker));
    expect(parseSrt(writeSrt(paragraphs)).map((p) => p.speaker)).toEqual(paragraphs.map((p) => p.speaker));
    expect(parseVtt(writeVtt(paragraphs)).map((p) => p.speaker)).toEqual(paragraphs.map((p) => p.speaker));
    expect(layoutText(writeText(paragraphs)).paragraphs.map((p) => p.speaker)).toEqual(paragraphs.map((p) => p.speaker));
  });
});

describe("an import of plain text", () => {
  it("reads names in other alphabets as speakers; a line that starts in lower case or with a quote mark continues the turn", () => {
    const file = ["I: Wie heißen Sie?", "Zoë: Zoë.", "ähm: das weiß ich nicht", "Şirin: Und ich Şirin.", "„Also“: so sagt man", "Łukasz: Ja. #00:00:09-0#"].join("\n");
    expect(parseText(file).map((p) => [p.speaker, p.text])).toEqual([
      ["I", "Wie heißen Sie?"],
      ["Zoë", "Zoë. ähm: das weiß ich nicht"],
      ["Şirin", "Und ich Şirin. „Also“: so sagt man"],
      ["Łukasz", "Ja."],
    ]);
  });
});

describe("the speaker picker", () => {
  it("offers the default set first, then every other label of the transcript in order of first use", () => {
    const paragraphs = [{ speaker: "I1" }, { speaker: "B" }, { speaker: "" }, { speaker: "Rosa" }, { speaker: "I2" }, { speaker: "Rosa" }, { speaker: "D" }];
    expect(speakerChoices(paragraphs)).toEqual([...DEFAULT_SPEAKERS, "I1", "Rosa", "I2"]);
    expect(speakerChoices(paragraphs, ["B3", "I2"])).toEqual([...DEFAULT_SPEAKERS, "I1", "Rosa", "I2", "B3"]);
    expect([...speakerCounts(paragraphs)]).toEqual([["I1", 1], ["B", 1], ["", 1], ["Rosa", 2], ["I2", 1], ["D", 1]]);
  });
});

describe("speaker roles (search's speaker filter)", () => {
  it("I, I1, I2 interview; D, D2 interpret; every other label is someone interviewed; unassigned is other", () => {
    for (const label of ["I", "I1", "I2", "I12"]) expect(speakerRole(label)).toBe("interviewer");
    for (const label of ["D", "D1", "D2"]) expect(speakerRole(label)).toBe("interpreter");
    for (const label of ["B", "B1", "B3", "Rosa", "Ina", "Dana", "P1"]) expect(speakerRole(label)).toBe("interviewee");
    expect(speakerRole("")).toBe("other");
  });

  it("a role the editor gave a label wins over its first letter; only labels in use that need one are stored", () => {
    const roles = { Rosa: "interviewer", I2: "interpreter", "": "interviewee" } as const;
    expect(["Rosa", "I2", "I", "Dana", ""].map((label) => speakerRole(label, roles))).toEqual(["interviewer", "interpreter", "interviewer", "interviewee", "interviewee"]);
    const paragraphs = [{ speaker: "Rosa" }, { speaker: "B" }, { speaker: "I2" }];
    expect(storedSpeakerRoles({ ...roles, B: "interviewee", Gone: "interviewer" }, paragraphs)).toEqual({ Rosa: "interviewer", I2: "interpreter" });
    expect(storedSpeakerRoles({ Rosa: "chief", toString: "interviewer" }, paragraphs)).toEqual({});
    expect(parseSpeakerRoles('{"Rosa":"interviewer","B":"boss"}')).toEqual({ Rosa: "interviewer" });
    for (const broken of ["", "[1]", "null", "{", null]) expect(parseSpeakerRoles(broken)).toEqual({});
  });
});
