// The per-process cache of a transcript's plain text (follow.server.ts, currentTextMap) against the real test
// database: a code applied after a save (or a restore) quotes the words of the new text, never the cached old one,
// and a withdrawal empties the cache.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ensureReference, grantFor, insertCase, municipalityId, signedInUser } from "../cases/test-support.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { applyCodes, updateCoding } from "./codings.server.ts";
import { codePointLength } from "./anchoring.ts";
import { currentTextMap } from "./follow.server.ts";
import { codingsEraser } from "./eraser.server.ts";
import { importTranscript, loadTranscript, restoreVersion, saveTranscript } from "../transcripts/transcripts.server.ts";
import { parseText, writeText } from "../transcripts/formats/text.ts";

const INT01 = fs.readFileSync(path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews", "int-01.txt"), "utf8");

let coder: Grant;
let writer: Grant;
let caseId: string;
let codeId: string;

beforeAll(async () => {
  await ensureReference();
  codeId = (await db.code.findFirstOrThrow({ where: { key: "STR.BIL" }, select: { id: true } })).id;
  const researcher = await signedInUser("forschung.textcache", ["researcher"]);
  coder = grantFor(researcher.user, "write", "coding");
  writer = grantFor(researcher.user, "write", "transcript");
  caseId = (await insertCase("LOE-2015-0077", await municipalityId("08336050"))).id;
});

async function newInterview(code: string) {
  const interview = await db.interview.create({ data: { code, caseId, date: new Date("2025-03-11T00:00:00Z"), placeType: "office", languages: '["de"]', status: "recorded" }, select: { id: true } });
  await db.consentRecord.create({
    data: { interviewId: interview.id, version: 1, givenBy: "person", givenAt: new Date("2025-03-11T00:00:00Z"), form: "written", language: "de", infoSheetVersion: "1.0", scopeRecording: true, scopeTranscription: true, scopeAnalysis: true },
  });
  expect((await importTranscript(null, writer, interview.id, parseText(INT01), { format: "txt", replace: false })).ok).toBe(true);
  return interview.id;
}

async function state(interviewId: string) {
  const t = (await loadTranscript(writer, interviewId))!;
  const text = writeText(t.paragraphs);
  const spanOf = (part: string) => {
    const at = text.indexOf(part);
    if (at < 0) throw new Error(`"${part}" not in the text`);
    return { start: codePointLength(text.slice(0, at)), end: codePointLength(text.slice(0, at + part.length)) };
  };
  return { id: t.id, version: t.version, paragraphs: t.paragraphs, spanOf };
}

async function apply(interviewId: string, version: number, span: { start: number; end: number }) {
  const result = await applyCodes(null, coder, interviewId, { transcriptVersion: version, ...span, codeIds: [codeId] });
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.codings[0]!;
}

describe("the text cache of coding", () => {
  it("quotes the new words after a save and after a restore, though the old text was cached", async () => {
    const interviewId = await newInterview("INT-TC-0001");
    const part = "Ich habe in Damaskus Pharmazie studiert";
    const v1 = await state(interviewId);
    expect((await apply(interviewId, v1.version, v1.spanOf(part))).quote).toBe(part); // v1 text now cached

    const changed = v1.paragraphs.map((p) => ({ ...p, text: p.text.replace("Pharmazie studiert", "Pharmazie und Chemie studiert").replace("Ja, gerne.", "Ja, sehr gerne. 😀") }));
    expect(await saveTranscript(null, writer, interviewId, v1.version, changed)).toEqual({ ok: true, version: v1.version + 1 });
    const v2 = await state(interviewId);
    const longer = "Ich habe in Damaskus Pharmazie und Chemie studiert";
    const second = await apply(interviewId, v2.version, v2.spanOf(longer));
    expect(second.quote).toBe(longer);
    // resizing reads the same cache
    const resized = await updateCoding(null, coder, second.id, { transcriptVersion: v2.version, ...v2.spanOf("Pharmazie und Chemie") });
    expect(resized.ok && resized.coding.quote).toBe("Pharmazie und Chemie");

    expect(await restoreVersion(null, writer, interviewId, v1.version)).toEqual({ ok: true, version: v2.version + 1 });
    const v3 = await state(interviewId);
    expect((await apply(interviewId, v3.version, v3.spanOf(part))).quote).toBe(part);
  });

  it("keeps nothing once a withdrawal erases the codings and transcript", async () => {
    const interviewId = await newInterview("INT-TC-0002");
    const v1 = await state(interviewId);
    await apply(interviewId, v1.version, v1.spanOf("Pharmazie"));
    const cached = await db.$transaction((tx) => currentTextMap(tx, v1.id, v1.version));
    expect(cached.text).toContain("Pharmazie");
    // Cached: a second look returns the very same object.
    expect(await db.$transaction((tx) => currentTextMap(tx, v1.id, v1.version))).toBe(cached);
    await codingsEraser.erase({ interviewId, caseId, parts: new Set(["transcript"] as const) });
    expect(await db.$transaction((tx) => currentTextMap(tx, v1.id, v1.version))).not.toBe(cached);
  });
});
