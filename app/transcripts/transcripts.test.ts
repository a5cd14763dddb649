// Transcripts through their routes against the real test database: import (with confirmation before replacing),
// autosave with optimistic concurrency (a stale version gets 409 and writes nothing), versions and restore,
// "checked", exports that read back, the consent gates (transcription; external transcription for a transcript an
// external service produced) and who may do what.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { db } from "../db/client.server.ts";
import { BASE, ctx, ensureReference, insertCase, jsonOf, municipalityId, postRequest, signedInUser, statusOf, getRequest, type TestUser } from "../cases/test-support.ts";
import * as editorPage from "../routes/interviews.$interviewId.transcript._index.tsx";
import * as importPage from "../routes/interviews.$interviewId.transcript.import.tsx";
import * as versionsPage from "../routes/interviews.$interviewId.transcript.versions.tsx";
import * as exportRoute from "../routes/interviews.$interviewId.transcript.export.tsx";
import { parseText, writeText } from "./formats/text.ts";
import { parseVtt } from "./formats/vtt.ts";
import { parseSrt } from "./formats/srt.ts";
import { parseTranscriptFile } from "./formats/index.server.ts";
import type { Paragraph } from "./formats/types.ts";
import { planted } from "../../tests/support/redaction.ts";
import { docxLanguages } from "../../tests/support/docx-language.ts";

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

let researcher: TestUser;
let im: TestUser;
let caseId: string;

async function newInterview(code: string, scopes: { transcription?: boolean; recording?: boolean; externalTranscription?: boolean } = { transcription: true, recording: true }) {
  const interview = await db.interview.create({ data: { code, caseId, date: new Date("2025-03-11T00:00:00Z"), placeType: "office", languages: '["de"]', status: "recorded" }, select: { id: true } });
  await db.consentRecord.create({
    data: {
      interviewId: interview.id,
      version: 1,
      givenBy: "person",
      givenAt: new Date("2025-03-11T00:00:00Z"),
      form: "written",
      language: "de",
      infoSheetVersion: "1.0",
      scopeRecording: scopes.recording ?? false,
      scopeTranscription: scopes.transcription ?? false,
      scopeExternalTranscription: scopes.externalTranscription ?? false,
    },
  });
  return interview.id;
}

function importRequest(interviewId: string, who: TestUser, file: { name: string; bytes: Buffer | string }, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append("_csrf", who.user.csrfToken);
  form.append("file", new File([typeof file.bytes === "string" ? file.bytes : new Uint8Array(file.bytes)], file.name));
  // Made by the project unless a test says otherwise (the form asks every time).
  for (const [k, v] of Object.entries({ origin: "own", ...extra })) form.append(k, v);
  return new Request(`${BASE}/interviews/${interviewId}/transcript/import`, { method: "POST", headers: { cookie: who.cookie }, body: form });
}

const runImport = (interviewId: string, who: TestUser, file: { name: string; bytes: Buffer | string }, extra: Record<string, string> = {}) =>
  importPage.action({ request: importRequest(interviewId, who, file, extra), params: { interviewId }, ...ctx }) as Promise<Response>;

async function editorData(interviewId: string, who = researcher) {
  const res = (await editorPage.loader({ request: getRequest(`/interviews/${interviewId}/transcript`, who), params: { interviewId }, ...ctx })) as Response;
  return (await res.json()) as { transcript: { version: number; paragraphs: Paragraph[]; speakerRoles: Record<string, string>; checkedAt: string | null } | null; canEdit: boolean };
}

const save = (interviewId: string, version: number, paragraphs: Paragraph[], who = researcher, extra: Record<string, string> = {}) =>
  editorPage.action({
    request: postRequest(`/interviews/${interviewId}/transcript?index`, who, { intent: "save", version: String(version), paragraphs: JSON.stringify(paragraphs), ...extra }),
    params: { interviewId },
    ...ctx,
  }) as Promise<Response>;

/** redact=0 unless said otherwise: the text as stored (the default replaces identifying details, see below). */
async function exportFile(interviewId: string, format: string, redact = "0") {
  const query = redact === "" ? "" : `&redact=${redact}`;
  return (await exportRoute.loader({ request: getRequest(`/interviews/${interviewId}/transcript/export?format=${format}${query}`, researcher), params: { interviewId }, ...ctx })) as Response;
}

const auditActions = async (action: string) => db.auditLog.count({ where: { action } });

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  researcher = await signedInUser("forschung.transcripts", ["researcher"]);
  im = await signedInUser("im.transcripts", ["integration_manager"], [loerrach]);
  caseId = (await insertCase("LOE-2016-0001", loerrach)).id;
});

describe("import", () => {
  it("attaches the fixture's text to an interview without a recording, as version 1, and moves the status on", async () => {
    const id = await newInterview("INT-2025-0101");
    const res = await runImport(id, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/interviews/${id}/transcript?imported=1`);
    const data = await editorData(id);
    expect(data.transcript!.version).toBe(1);
    expect(data.transcript!.paragraphs).toEqual(parseText(fixture("int-01.txt").toString("utf8")).map((p) => ({ ...p, words: null })));
    expect((await db.interview.findUniqueOrThrow({ where: { id }, select: { status: true } })).status).toBe("transcribed");
    const log = await db.auditLog.findFirstOrThrow({ where: { action: "transcript.import" }, orderBy: { at: "desc" }, select: { detail: true } });
    expect(JSON.parse(log.detail!)).toMatchObject({ interviewId: id, format: "txt", paragraphs: 25, version: 1, replaced: false });
  });

  it("reads WebVTT, SRT and DOCX by content, and says which line of a broken file is wrong", async () => {
    const vtt = await newInterview("INT-2025-0102");
    expect((await runImport(vtt, researcher, { name: "upload.bin", bytes: fixture("int-02.vtt") })).status).toBe(302);
    const exact = parseVtt(fixture("int-02.vtt").toString("utf8"));
    expect((await editorData(vtt)).transcript!.paragraphs.map((p) => [p.speaker, p.startMs, p.endMs, p.text])).toEqual(exact.map((p) => [p.speaker, p.startMs, p.endMs, p.text]));

    const broken = await newInterview("INT-2025-0103");
    const res = await runImport(broken, researcher, { name: "kaputt.txt", bytes: "I: Frage #00:00:02-0#\n\nAntwort ohne Kürzel\n" });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { result: { error: Record<string, string[]> } };
    expect(body.result.error.file).toEqual(['transcripts:import.where.line|{"line":3}', 'transcripts:import.errors.noSpeaker|{"format":"TXT"}']);
    expect(await db.transcript.count({ where: { interviewId: broken } })).toBe(0);

    const srt = await runImport(broken, researcher, { name: "x.srt", bytes: "1\n00:00:00,000 --> 00:00:01,000\nI: a\n\nzwei\n00:00:01,000 --> 00:00:02,000\nB: b\n" });
    expect(srt.status).toBe(422);
    expect(((await srt.json()) as { result: { error: Record<string, string[]> } }).result.error.file![0]).toBe('transcripts:import.where.line|{"line":5}');

    // A PDF given as the transcript: said to be no text file, no line named.
    const pdf = await runImport(broken, researcher, { name: "transkript.pdf", bytes: Buffer.from("%PDF-1.7\n1 0 obj\nstream\n\u0000\u0001\u0002\u0000\nendstream", "latin1") });
    expect(pdf.status).toBe(422);
    expect(((await pdf.json()) as { result: { error: Record<string, string[]> } }).result.error.file).toEqual(['transcripts:import.errors.notText|{"format":"TXT"}']);

    // An empty file is said to be empty (not "choose a file"); a Word document read as SRT names the choice.
    const empty = await runImport(broken, researcher, { name: "leer.txt", bytes: "" });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { result: { error: Record<string, string[]> } }).result.error.file).toEqual(['transcripts:import.errors.emptyFile|{"name":"leer.txt"}']);
    const word = await runImport(broken, researcher, { name: "transkript.docx", bytes: Buffer.from("PK\u0003\u0004 kein echtes Word-Dokument \u0000\u0000\u0000", "latin1") }, { format: "srt" });
    expect(word.status).toBe(422);
    expect(((await word.json()) as { result: { error: Record<string, string[]> } }).result.error.format).toEqual(['transcripts:import.errors.formatMismatch|{"chosen":"SRT","detected":"DOCX"}']);
    expect(await db.transcript.count({ where: { interviewId: broken } })).toBe(0);
  });

  it("replaces an existing transcript only after confirmation, and keeps the old one as a version", async () => {
    const id = await newInterview("INT-2025-0104");
    await runImport(id, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") });
    const refused = await runImport(id, researcher, { name: "int-03.vtt", bytes: fixture("int-03.vtt") });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { result: { error: Record<string, string[]> } }).result.error.replace).toEqual(["transcripts:import.confirmRequired"]);
    expect((await editorData(id)).transcript!.paragraphs).toHaveLength(25);

    expect((await runImport(id, researcher, { name: "int-03.vtt", bytes: fixture("int-03.vtt") }, { replace: "on" })).status).toBe(302);
    const data = await editorData(id);
    expect(data.transcript!.version).toBe(2);
    expect(data.transcript!.paragraphs).toHaveLength(30);
    const old = await db.transcriptVersion.findFirstOrThrow({ where: { transcript: { interviewId: id }, version: 1 }, select: { paragraphs: true } });
    expect(JSON.parse(old.paragraphs)).toHaveLength(25);
  });

  it("is refused without the transcription scope, and for roles without write:transcript", async () => {
    const id = await newInterview("INT-2025-0105", { recording: true, transcription: false });
    const res = await runImport(id, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { result: { error: Record<string, string[]> } }).result.error[""]).toEqual(["transcripts:gate.scope-missing"]);
    expect(await db.transcript.count({ where: { interviewId: id } })).toBe(0);
    expect(await statusOf(() => runImport(id, im, { name: "int-01.txt", bytes: fixture("int-01.txt") }))).toBe(403);
  });

  it("asks who produced the transcript; one from an external service needs consent to external transcription", async () => {
    const id = await newInterview("INT-2025-0106");
    const errorsOf = async (res: Response) => ((await res.json()) as { result: { error: Record<string, string[]> } }).result.error;
    const page = await jsonOf(() => importPage.loader({ request: getRequest(`/interviews/${id}/transcript/import`, researcher), params: { interviewId: id }, ...ctx }));
    expect(page.externalAllowed).toBe(false);

    const unasked = await runImport(id, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") }, { origin: "" });
    expect(unasked.status).toBe(400);
    expect((await errorsOf(unasked)).origin).toEqual(["transcripts:import.errors.origin"]);
    // A tampered value (no such radio) gets the same translated message, not zod's English.
    const tampered = await runImport(id, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") }, { origin: "bogus", format: "bogus" });
    expect(tampered.status).toBe(400);
    expect(await errorsOf(tampered)).toMatchObject({ origin: ["transcripts:import.errors.origin"], format: ["transcripts:import.errors.format"] });

    const external = await runImport(id, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") }, { origin: "external" });
    expect(external.status).toBe(403);
    expect((await errorsOf(external)).origin).toEqual(["transcripts:import.originExternalMissing"]);
    expect(await db.transcript.count({ where: { interviewId: id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "transcript.import", detail: { contains: id } } })).toBe(0);

    // Made by the project (by hand or with whisper here): the transcription scope is enough.
    expect((await runImport(id, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") }, { origin: "own" })).status).toBe(302);

    const allowed = await newInterview("INT-2025-0107", { transcription: true, recording: true, externalTranscription: true });
    expect((await jsonOf(() => importPage.loader({ request: getRequest(`/interviews/${allowed}/transcript/import`, researcher), params: { interviewId: allowed }, ...ctx }))).externalAllowed).toBe(true);
    expect((await runImport(allowed, researcher, { name: "int-01.txt", bytes: fixture("int-01.txt") }, { origin: "external" })).status).toBe(302);
    const log = await db.auditLog.findFirstOrThrow({ where: { action: "transcript.import", detail: { contains: allowed } }, select: { detail: true } });
    expect(JSON.parse(log.detail!)).toMatchObject({ interviewId: allowed, origin: "external" });
  });
});

describe("saving", () => {
  let id: string;
  let original: Paragraph[];

  beforeAll(async () => {
    id = await newInterview("INT-2025-0201");
    await runImport(id, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    original = (await editorData(id)).transcript!.paragraphs;
  });

  it("stores an edit as the next version and keeps the timing of every paragraph", async () => {
    const edited = original.map((p, i) => (i === 2 ? { ...p, text: p.text.replace("Erstaufnahme", "Erstaufnahme (lacht)") } : p));
    const res = await save(id, 1, edited);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: 2 });
    const data = await editorData(id);
    expect(data.transcript!.version).toBe(2);
    expect(data.transcript!.paragraphs[2]!.text).toBe("Und wie ging es nach der Erstaufnahme (lacht) weiter?");
    expect(data.transcript!.paragraphs.map((p) => [p.startMs, p.endMs])).toEqual(original.map((p) => [p.startMs, p.endMs]));
    expect(await db.transcriptVersion.count({ where: { transcript: { interviewId: id } } })).toBe(2);
    expect(await auditActions("transcript.save")).toBeGreaterThanOrEqual(1);
  });

  it("answers 409 to a save based on an older version and writes nothing, with the stored version to merge with", async () => {
    const stale = original.map((p, i) => (i === 0 ? { ...p, text: "Überschrieben?" } : p));
    const res = await save(id, 1, stale);
    expect(res.status).toBe(409);
    const data = await editorData(id);
    // the editor lists what it changed beside this (docs/decisions/0013)
    expect(await res.json()).toEqual({ ok: false, conflict: true, version: 2, current: { version: 2, paragraphs: data.transcript!.paragraphs, speakerRoles: data.transcript!.speakerRoles } });
    expect(data.transcript!.version).toBe(2);
    expect(data.transcript!.paragraphs[0]!.text).toBe(original[0]!.text);
    expect(data.transcript!.paragraphs[2]!.text).toBe("Und wie ging es nach der Erstaufnahme (lacht) weiter?");
  });

  it("lets exactly one of two simultaneous saves of the same version through", async () => {
    const a = original.map((p, i) => (i === 1 ? { ...p, text: "Fassung A" } : p));
    const b = original.map((p, i) => (i === 1 ? { ...p, text: "Fassung B" } : p));
    const results = await Promise.all([save(id, 2, a), save(id, 2, b)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const data = await editorData(id);
    expect(data.transcript!.version).toBe(3);
    expect(["Fassung A", "Fassung B"]).toContain(data.transcript!.paragraphs[1]!.text);
  });

  it("accepts an unassigned speaker and an empty new turn", async () => {
    const current = (await editorData(id)).transcript!;
    const paragraphs = [{ ...current.paragraphs[0]!, speaker: "" }, { speaker: "", startMs: current.paragraphs[0]!.endMs, endMs: current.paragraphs[0]!.endMs, text: "" }, ...current.paragraphs.slice(1)];
    const res = await save(id, current.version, paragraphs);
    expect(res.status).toBe(200);
    const saved = (await editorData(id)).transcript!;
    expect(saved.paragraphs.slice(0, 2).map((p) => [p.speaker, p.text])).toEqual([["", current.paragraphs[0]!.text], ["", ""]]);
    expect((await save(id, saved.version, current.paragraphs)).status).toBe(200);
  });

  it("refuses malformed paragraphs with 400", async () => {
    const { version } = (await editorData(id)).transcript!;
    const res = await save(id, version, [{ speaker: "I", startMs: 500, endMs: 100, text: "rückwärts" }]);
    expect(res.status).toBe(400);
    expect((await editorData(id)).transcript!.version).toBe(version);
  });

  it("refuses a turn over 200,000 characters naming it (speaker, start, length) so it can be split, and stores it once split", async () => {
    const current = (await editorData(id)).transcript!;
    const at = current.paragraphs.findIndex((p) => p.speaker === "B" && p.startMs > 0);
    const long = `${current.paragraphs[at]!.text} ${"Weiter erzählt. ".repeat(12_500)}`.trim();
    expect(long.length).toBeGreaterThan(200_000);
    const res = await save(id, current.version, current.paragraphs.map((p, i) => (i === at ? { ...p, text: long } : p)));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, error: "save.turnTooLong", turn: { index: at, speaker: "B", startMs: current.paragraphs[at]!.startMs, length: long.length }, max: 200_000 });
    expect((await editorData(id)).transcript!.version).toBe(current.version);
    // split in two turns, the same text is stored
    const half = long.indexOf(" ", 100_000);
    const split = current.paragraphs.flatMap((p, i) => (i === at ? [{ ...p, text: long.slice(0, half) }, { ...p, startMs: p.endMs, text: long.slice(half + 1) }] : [p]));
    expect((await save(id, current.version, split)).status).toBe(200);
    const stored = (await editorData(id)).transcript!;
    expect(stored.paragraphs.slice(at, at + 2).map((p) => p.text).join(" ")).toBe(long);
    expect((await save(id, stored.version, current.paragraphs)).status).toBe(200);
  });

  it("refuses a save without the transcription scope, with a reason the page can show", async () => {
    const other = await newInterview("INT-2025-0202");
    await runImport(other, researcher, { name: "int-02.txt", bytes: fixture("int-02.txt") });
    await db.consentRecord.updateMany({ where: { interviewId: other }, data: { scopeTranscription: false } });
    const paragraphs = (await editorData(other)).transcript!.paragraphs;
    const res = await save(other, 1, paragraphs.map((p) => ({ ...p, text: "x" })));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ ok: false, error: "gate.scope-missing" });
    expect((await editorData(other)).canEdit).toBe(false);
    expect((await editorData(other)).transcript!.paragraphs[0]!.text).toBe(paragraphs[0]!.text);
  });

  it("keeps a transcript written by the worker (no version row) restorable: its state becomes a version at the first save", async () => {
    const other = await newInterview("INT-2025-0203");
    const words = [{ t: "Hallo", s: 0, e: 400, p: 0.9 }, { t: "Welt", s: 400, e: 900, p: 0.3 }];
    await db.transcript.create({
      data: { interviewId: other, source: "whisper", version: 1, paragraphs: { create: [{ position: 0, speaker: "", startMs: 0, endMs: 900, text: "Hallo Welt", words: JSON.stringify(words) }] } },
    });
    const loaded = (await editorData(other)).transcript!.paragraphs;
    expect(loaded[0]!.words).toEqual(words);
    expect((await save(other, 1, [{ ...loaded[0]!, speaker: "B" }])).status).toBe(200);
    const versions = await db.transcriptVersion.findMany({ where: { transcript: { interviewId: other } }, orderBy: { version: "asc" }, select: { version: true, createdById: true, kind: true, paragraphs: true } });
    expect(versions.map((v) => [v.version, v.createdById === null, v.kind])).toEqual([
      [1, true, "kept"],
      [2, false, "save"],
    ]);
    expect(JSON.parse(versions[0]!.paragraphs)[0]).toMatchObject({ speaker: "", text: "Hallo Welt", words });
  });
});

describe("a merged save", () => {
  it("answers a save without anchors that asks for them with the codings as they now stand", async () => {
    const id = await newInterview("INT-2025-0209");
    await runImport(id, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    const { version, paragraphs } = (await editorData(id)).transcript!;
    // a coding on "Fröhnd" (offsets in code points of the plain text, docs/decisions/0008)
    const text = writeText(paragraphs);
    const start = [...text.slice(0, text.indexOf("Fröhnd"))].length;
    const code = await db.code.findFirstOrThrow({ select: { id: true } });
    const transcript = await db.transcript.findUniqueOrThrow({ where: { interviewId: id }, select: { id: true } });
    const coding = await db.coding.create({ data: { transcriptId: transcript.id, interviewId: id, codeId: code.id, start, end: start + 6, quote: "Fröhnd" }, select: { id: true } });
    // the merge put "Zusammengeführt." at the end of turn 2, before the coded word: the coding moves with its word
    const merged = paragraphs.map((p, i) => (i === 1 ? { ...p, text: `${p.text} Zusammengeführt.` } : p));
    const res = await save(id, version, merged, researcher, { withCodings: "1" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; version: number; codings: { id: string; start: number; end: number; orphaned: boolean }[] };
    expect([body.ok, body.version]).toEqual([true, version + 1]);
    expect(body.codings.map((c) => [c.id, c.start, c.end, c.orphaned])).toEqual([[coding.id, start + 17, start + 23, false]]);
  });
});

describe("versions, restore and check", () => {
  it("restores an earlier version as a new version, and marks the current version as checked", async () => {
    const id = await newInterview("INT-2025-0301");
    await runImport(id, researcher, { name: "int-03.txt", bytes: fixture("int-03.txt") });
    const v1 = (await editorData(id)).transcript!.paragraphs;
    await save(id, 1, v1.slice(0, 3));
    const listed = await versionsPage.loader({ request: getRequest(`/interviews/${id}/transcript/versions`, researcher), params: { interviewId: id }, ...ctx });
    const list = (await (listed as Response).json()) as { current: number; versions: { version: number; paragraphs: number; createdBy: string | null }[] };
    expect(list.current).toBe(2);
    expect(list.versions.map((v) => [v.version, v.paragraphs, v.createdBy])).toEqual([
      [2, 3, "forschung.transcripts"],
      [1, 30, "forschung.transcripts"],
    ]);

    const restore = await versionsPage.action({ request: postRequest(`/interviews/${id}/transcript/versions`, researcher, { intent: "restore", version: "1" }), params: { interviewId: id }, ...ctx });
    expect((restore as Response).status).toBe(302);
    const data = await editorData(id);
    expect(data.transcript!.version).toBe(3);
    expect(data.transcript!.paragraphs).toEqual(v1);
    expect(await auditActions("transcript.restore")).toBe(1);

    const check = (version: number) =>
      editorPage.action({ request: postRequest(`/interviews/${id}/transcript?index`, researcher, { intent: "check", version: String(version) }), params: { interviewId: id }, ...ctx }) as Promise<Response>;
    expect((await check(2)).status).toBe(409);
    expect((await check(3)).status).toBe(200);
    const stored = await db.transcript.findUniqueOrThrow({ where: { interviewId: id }, select: { checkedAt: true, checkedById: true, interview: { select: { status: true } } } });
    expect(stored.checkedById).toBe(researcher.user.id);
    expect(stored.checkedAt).not.toBeNull();
    expect(stored.interview.status).toBe("checked");
    expect(await auditActions("transcript.check")).toBe(1);

    // Times moved alone keep the mark; changed words take it away (it must not vouch for unchecked text).
    const shifted = v1.map((p, i) => (i === 0 ? { ...p, endMs: p.endMs + 100 } : p));
    await save(id, 3, shifted);
    expect((await db.transcript.findUniqueOrThrow({ where: { interviewId: id }, select: { checkedAt: true } })).checkedAt).not.toBeNull();
    await save(id, 4, shifted.map((p, i) => (i === 1 ? { ...p, text: `${p.text} (ergänzt)` } : p)));
    const after = await db.transcript.findUniqueOrThrow({ where: { interviewId: id }, select: { checkedAt: true, checkedById: true, interview: { select: { status: true } } } });
    expect(after).toEqual({ checkedAt: null, checkedById: null, interview: { status: "transcribed" } });
  });
});

describe("the player's recording", () => {
  it("starts with the recording whisper heard for a transcript it made, not with the oldest upload", async () => {
    const id = await newInterview("INT-2025-0309");
    const recording = (name: string, at: string) =>
      db.recording.create({ data: { interviewId: id, storageKey: `k-${name}-${id}`, displayName: name, mediaType: "audio", contentType: "audio/mpeg", sizeBytes: 10n, sha256: name, durationMs: 1000, createdAt: new Date(at) }, select: { id: true } });
    const first = await recording("erste.mp3", "2025-03-11T10:00:00Z");
    const second = await recording("zweite.wav", "2025-03-11T11:00:00Z");
    await db.transcript.create({ data: { interviewId: id, source: "whisper", paragraphs: { create: [{ position: 0, speaker: "?", startMs: 0, endMs: 900, text: "Hallo." }] } } });
    await db.transcriptionJob.create({ data: { interviewId: id, recordingId: second.id, status: "done", finishedAt: new Date("2025-03-11T12:00:00Z") } });
    const shown = async (query = "") => {
      const res = (await editorPage.loader({ request: getRequest(`/interviews/${id}/transcript${query}`, researcher), params: { interviewId: id }, ...ctx })) as Response;
      return ((await res.json()) as { recording: { id: string } | null }).recording?.id;
    };
    expect(await shown()).toBe(second.id);
    expect(await shown(`?recording=${first.id}`)).toBe(first.id); // the choice still wins
  });
});

describe("the version list", () => {
  it("shows paragraph and word counts stored with each version, and counts an older version without them once", async () => {
    const id = await newInterview("INT-2025-0302");
    await runImport(id, researcher, { name: "int-03.txt", bytes: fixture("int-03.txt") });
    const v1 = (await editorData(id)).transcript!.paragraphs;
    await save(id, 1, [...v1.slice(0, 2), { ...v1[2]!, text: `${v1[2]!.text} noch drei Wörter` }]);
    const rows = await db.transcriptVersion.findMany({ where: { transcript: { interviewId: id } }, orderBy: { version: "asc" }, select: { id: true, paragraphCount: true, wordCount: true } });
    const words = (ps: { text: string }[]) => ps.reduce((n, p) => n + p.text.split(/\s+/).filter(Boolean).length, 0);
    expect(rows.map((r) => [r.paragraphCount, r.wordCount])).toEqual([
      [30, words(v1)],
      [3, words(v1.slice(0, 3)) + 3],
    ]);
    // A version stored before the counts existed: counted from its paragraphs on the first listing, then kept.
    await db.transcriptVersion.update({ where: { id: rows[0]!.id }, data: { paragraphCount: null, wordCount: null } });
    const list = async () => {
      const listed = await versionsPage.loader({ request: getRequest(`/interviews/${id}/transcript/versions`, researcher), params: { interviewId: id }, ...ctx });
      return ((await (listed as Response).json()) as { versions: { version: number; paragraphs: number; words: number }[] }).versions;
    };
    expect((await list()).map((v) => [v.version, v.paragraphs, v.words])).toEqual([
      [2, 3, words(v1.slice(0, 3)) + 3],
      [1, 30, words(v1)],
    ]);
    expect(await db.transcriptVersion.findUniqueOrThrow({ where: { id: rows[0]!.id }, select: { paragraphCount: true, wordCount: true } })).toEqual({ paragraphCount: 30, wordCount: words(v1) });
  });
});

describe("thinning autosaved versions", () => {
  it("keeps one version per editing burst once it is an hour old, says what wrote each, and refuses to restore a dropped one", async () => {
    const id = await newInterview("INT-2025-0303");
    await runImport(id, researcher, { name: "int-03.txt", bytes: fixture("int-03.txt") });
    const v1 = (await editorData(id)).transcript!.paragraphs;
    const edited = (n: number) => [{ ...v1[0]!, text: `${v1[0]!.text} (Korrektur ${n})` }, ...v1.slice(1)];
    for (let n = 1; n <= 4; n++) expect((await save(id, n, edited(n))).status).toBe(200);
    // Make versions 2-5 a burst of yesterday's session, two minutes apart (as autosave writes them).
    const transcript = await db.transcript.findUniqueOrThrow({ where: { interviewId: id }, select: { id: true } });
    const yesterday = Date.now() - 24 * 3600_000;
    for (let version = 1; version <= 5; version++) {
      await db.transcriptVersion.update({ where: { transcriptId_version: { transcriptId: transcript.id, version } }, data: { createdAt: new Date(yesterday + version * 120_000) } });
    }
    const thinnedBefore = await db.auditLog.count({ where: { action: "transcript.save", entityId: transcript.id, detail: { contains: "versionsThinned" } } });
    expect(thinnedBefore).toBe(0);
    expect((await save(id, 5, edited(5))).status).toBe(200);

    const listed = await versionsPage.loader({ request: getRequest(`/interviews/${id}/transcript/versions`, researcher), params: { interviewId: id }, ...ctx });
    const list = ((await (listed as Response).json()) as { versions: { version: number; kind: string | null }[] }).versions;
    // the import stays, of yesterday's burst only its last state (5), today's save (6)
    expect(list.map((v) => [v.version, v.kind])).toEqual([
      [6, "save"],
      [5, "save"],
      [1, "import"],
    ]);
    const five = await db.transcriptVersion.findUniqueOrThrow({ where: { transcriptId_version: { transcriptId: transcript.id, version: 5 } }, select: { paragraphs: true } });
    expect((JSON.parse(five.paragraphs) as Paragraph[])[0]!.text).toBe(edited(4)[0]!.text);
    const audited = await db.auditLog.findFirstOrThrow({ where: { action: "transcript.save", entityId: transcript.id }, orderBy: { id: "desc" }, select: { detail: true } });
    expect(JSON.parse(audited.detail!)).toMatchObject({ version: 6, versionsThinned: 3 });

    const restore = (version: number) => versionsPage.action({ request: postRequest(`/interviews/${id}/transcript/versions`, researcher, { intent: "restore", version: String(version) }), params: { interviewId: id }, ...ctx }) as Promise<Response>;
    const refused = await restore(3);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ error: "versions.notFound" });
    expect((await restore(5)).status).toBe(302);
    expect((await editorData(id)).transcript!.paragraphs[0]!.text).toBe(edited(4)[0]!.text);
  });
});

describe("export", () => {
  let id: string;
  let paragraphs: Paragraph[];

  beforeAll(async () => {
    id = await newInterview("INT-2025-0401");
    await runImport(id, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    paragraphs = (await editorData(id)).transcript!.paragraphs.map(({ words: _w, ...p }) => p);
  });

  it("sends each format as an attachment named after the interview code, and every one reads back", async () => {
    const txt = await exportFile(id, "txt");
    expect(txt.headers.get("content-disposition")).toBe('attachment; filename="INT-2025-0401.txt"');
    const text = await txt.text();
    expect(text.startsWith("I: Gut, das Aufnahmegerät läuft.")).toBe(true);
    expect(text).toContain("#00:00:18-5#\n\nB: Ja, gerne.");

    expect(parseVtt(await (await exportFile(id, "vtt")).text())).toEqual(paragraphs);
    expect(parseSrt(await (await exportFile(id, "srt")).text())).toEqual(paragraphs);

    const docx = await exportFile(id, "docx");
    expect(docx.headers.get("content-disposition")).toBe('attachment; filename="INT-2025-0401.docx"');
    const raw = await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) });
    expect(parseText(raw.value.replace(/\n\n/g, "\n")).map((p) => p.text)).toEqual(paragraphs.map((p) => p.text));
    // a German transcript: Word spell-checks it in German
    expect((await docxLanguages(Buffer.from(await (await exportFile(id, "docx")).arrayBuffer()))).default).toBe("de-DE");

    const gat = await (await exportFile(id, "gat2")).text();
    expect(gat.split("\n")[0]).toBe("Transkript INT-2025-0401");
    expect(gat).toContain("001 I:");
    expect(await auditActions("transcript.export")).toBe(6);
  });

  it("writes the GAT 2 header wholly in the reader's language", async () => {
    const gatFor = async (lang: string) => {
      const request = getRequest(`/interviews/${id}/transcript/export?format=gat2&redact=0`, researcher);
      request.headers.set("cookie", `${request.headers.get("cookie")}; lw_lang=${lang}`);
      return (await ((await exportRoute.loader({ request, params: { interviewId: id }, ...ctx })) as Response).text()).split("\n").slice(0, 3);
    };
    expect(await gatFor("de")).toEqual(["Transkript INT-2025-0401", "GAT 2 Minimaltranskript", ""]);
    expect(await gatFor("en")).toEqual(["Transcript INT-2025-0401", "GAT 2 minimal transcript", ""]);
  });

  it("writes long turns as subtitle cues of at most 42 characters a line, which an import puts back together turn by turn", async () => {
    for (const [format, code] of [
      ["srt", "INT-2025-0403"],
      ["vtt", "INT-2025-0404"],
    ] as const) {
      const body = await (await exportFile(id, format)).text();
      const cues = body.split(/\n\n+/).map((block) => block.split("\n")).filter((lines) => lines.some((l) => l.includes("-->")));
      expect(cues.length, format).toBeGreaterThan(2 * paragraphs.length);
      const lines = cues.flatMap((cue) => cue.slice(cue.findIndex((l) => l.includes("-->")) + 1).map((l) => l.replace(/<[^>]*>/g, "")));
      expect(Math.max(...lines.map((l) => l.length)), format).toBeLessThanOrEqual(42);
      const again = await newInterview(code);
      expect((await runImport(again, researcher, { name: `export.${format}`, bytes: body })).status).toBe(302);
      expect((await editorData(again)).transcript!.paragraphs.map(({ words: _w, ...p }) => p), format).toEqual(paragraphs);
    }
  });

  it("times the cues by the words whisper timed where the transcript has them", async () => {
    const timed = await newInterview("INT-2025-0405");
    await runImport(timed, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    const [first, ...rest] = (await editorData(timed)).transcript!.paragraphs;
    // The first sentence is spoken at once, the second only after a pause: 9 s in, not where its characters fall.
    const words = first!.text.split(" ").map((t, k) => (k < 4 ? { t, s: 300 * k, e: 300 * k + 300 } : { t, s: 9_000 + 200 * (k - 4), e: 9_200 + 200 * (k - 4) }));
    expect((await save(timed, 1, [{ ...first!, words }, ...rest])).status).toBe(200);
    const vtt = await (await exportFile(timed, "vtt")).text();
    expect(vtt).toContain("turn-001\n00:00:00.000 --> 00:00:07.000\n<v I>Gut, das Aufnahmegerät läuft.\n\nturn-001-2\n00:00:09.000 --> ");
    expect((await parseTranscriptFile("vtt", Buffer.from(vtt)))[0]).toEqual({ speaker: "I", startMs: first!.startMs, endMs: first!.endMs, text: first!.text });
  });

  it("refuses an unknown format, and sends an interview without a transcript to the transcript page", async () => {
    expect(await statusOf(() => exportFile(id, "pdf"))).toBe(400);
    const empty = await newInterview("INT-2025-0402");
    const res = await exportFile(empty, "txt");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/interviews/${empty}/transcript`);
  });

  it("replaces identifying details and named speaker labels in every format by default; redact=0 keeps them", async () => {
    const named = await newInterview("INT-2025-0406");
    await runImport(named, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    const stored = (await editorData(named)).transcript!;
    // the interviewee labelled by name, as noScribe and MAXQDA users label turns
    expect((await save(named, stored.version, stored.paragraphs.map((p) => (p.speaker === "B" ? { ...p, speaker: "Rosa" } : p)))).status).toBe(200);
    // Compared as GAT 2 writes running text (lower case, no punctuation); subtitles and GAT 2 also break lines.
    const plain = (s: string) => s.toLowerCase().replace(/[.,;:!?"„“”‚‘’«»/]+/g, " ").replace(/\s+/g, " ").trim();
    const secrets = [...planted("int-01").map((p) => plain(p.text)), "rosa"];
    const bodyOf = async (format: string, redact: string) => {
      const res = await exportFile(named, format, redact);
      expect(res.status, `${format} redact=${redact}`).toBe(200);
      const body = format === "docx" ? (await mammoth.extractRawText({ buffer: Buffer.from(await res.arrayBuffer()) })).value : await res.text();
      return plain(body);
    };
    for (const format of ["txt", "docx", "srt", "vtt", "gat2"]) {
      for (const redact of ["", "1", "0&redact=1"]) {
        const body = await bodyOf(format, redact);
        expect(secrets.filter((s) => body.includes(s)), `${format} redact=${redact}`).toEqual([]);
        expect(body, format).toContain(format === "gat2" ? "((name))" : "[name]"); // GAT 2 writes placeholders as comments
      }
      const kept = await bodyOf(format, "0");
      expect(secrets.filter((s) => kept.includes(s)).length, format).toBeGreaterThan(secrets.length / 2);
    }
    // the text keeps its turns: P1 where Rosa spoke, the role labels as they were
    const text = await (await exportFile(named, "txt", "")).text();
    expect(parseText(text).map((p) => p.speaker)).toEqual(stored.paragraphs.map((p) => (p.speaker === "B" ? "P1" : p.speaker)));
    for (const format of ["txt", "docx"]) {
      const kept = await bodyOf(format, "0");
      expect(secrets.filter((s) => !kept.includes(s)), format).toEqual([]);
    }
    const entry = await db.auditLog.findFirst({ where: { action: "transcript.export" }, orderBy: { id: "desc" } });
    expect(JSON.parse(entry!.detail!)).toMatchObject({ format: "docx", identifying: "kept" });
    expect(await statusOf(() => exportFile(named, "txt", "ja"))).toBe(400);
  });

  it("is not open to integration managers", async () => {
    expect(await statusOf(() => exportRoute.loader({ request: getRequest(`/interviews/${id}/transcript/export`, im), params: { interviewId: id }, ...ctx }))).toBe(403);
    expect(await statusOf(() => editorPage.loader({ request: getRequest(`/interviews/${id}/transcript`, im), params: { interviewId: id }, ...ctx }))).toBe(403);
    expect(await statusOf(() => editorPage.loader({ request: getRequest(`/interviews/nope/transcript`, researcher), params: { interviewId: "nope" }, ...ctx }))).toBe(404);
  });
});

// After "export": that test counts every export audited so far.
describe("speakers beyond I, B, B1, B2, D", () => {
  it("stores a renaming across the transcript and new labels as one version; exports and search's speaker filter carry them", async () => {
    const id = await newInterview("INT-2025-0205");
    await runImport(id, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    const original = (await editorData(id)).transcript!.paragraphs.map(({ words: _w, ...p }) => p);
    // What the editor sends after "rename B to B1" and three turns given new labels: a second interviewer, a
    // person by name, a second interpreter.
    const relabel: Record<number, string> = { 2: "I2", 3: "Rosa", 5: "D2" };
    const edited = original.map((p, i) => ({ ...p, speaker: relabel[i] ?? (p.speaker === "B" ? "B1" : p.speaker) }));
    const res = await save(id, 1, edited);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: 2 });
    expect(await db.transcriptVersion.count({ where: { transcript: { interviewId: id } } })).toBe(2);
    const labels = edited.map((p) => p.speaker);
    expect(labels).not.toContain("B");
    expect((await editorData(id)).transcript!.paragraphs.map((p) => p.speaker)).toEqual(labels);

    // Every export names them and reads back with them.
    const text = await (await exportFile(id, "txt")).text();
    expect(text).toContain(`\n\nI2: ${original[2]!.text}`);
    expect(text).toContain(`\n\nRosa: ${original[3]!.text}`);
    expect(parseText(text).map((p) => p.speaker)).toEqual(labels);
    expect(parseVtt(await (await exportFile(id, "vtt")).text())).toEqual(edited);
    expect(parseSrt(await (await exportFile(id, "srt")).text())).toEqual(edited);
    const raw = await mammoth.extractRawText({ buffer: Buffer.from(await (await exportFile(id, "docx")).arrayBuffer()) });
    expect(parseText(raw.value.replace(/\n\n/g, "\n")).map((p) => p.speaker)).toEqual(labels);

    // Search's speaker filter: I2 interviews, D2 interprets, B1 and Rosa are interviewees.
    const entries = await db.searchEntry.findMany({ where: { kind: "paragraph", interviewId: id }, select: { sourceId: true, speaker: true } });
    const role = (i: number) => entries.find((e) => e.sourceId.endsWith(`:${i}`))?.speaker;
    expect([2, 3, 5].map(role)).toEqual(["interviewer", "interviewee", "interpreter"]);
    expect(role(1)).toBe("interviewee");
    expect(new Set(entries.map((e) => e.speaker))).toEqual(new Set(["interviewer", "interviewee", "interpreter"]));
  });

  it("refuses a label with a colon (it would end the label early in every export) with 400 and keeps the stored text", async () => {
    const id = await newInterview("INT-2025-0206");
    await runImport(id, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    const original = (await editorData(id)).transcript!.paragraphs;
    const res = await save(id, 1, original.map((p, i) => (i === 0 ? { ...p, speaker: "I:2" } : p)));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: "save.invalid" });
    const stored = (await editorData(id)).transcript!;
    expect(stored.version).toBe(1);
    expect(stored.paragraphs[0]!.speaker).toBe("I");
  });

  it("keeps the role the editor gave a label: I renamed to Rosa still interviews in search, after reload and later saves", async () => {
    const id = await newInterview("INT-2025-0207");
    await runImport(id, researcher, { name: "int-01.vtt", bytes: fixture("int-01.vtt") });
    const original = (await editorData(id)).transcript!.paragraphs.map(({ words: _w, ...p }) => p);
    expect(original[0]!.speaker).toBe("I");
    const roleOf = async (i: number) => (await db.searchEntry.findFirst({ where: { kind: "paragraph", interviewId: id, sourceId: { endsWith: `:${i}` } }, select: { speaker: true } }))?.speaker;
    // What the editor sends after renaming I to Rosa (keeping the role) and B to Zoë, made an interpreter.
    const renamed = original.map((p) => ({ ...p, speaker: p.speaker === "I" ? "Rosa" : p.speaker === "B" ? "Zoë" : p.speaker }));
    const roles = { Rosa: "interviewer", Zoë: "interpreter", Gone: "interviewer", I: "interviewer" };
    expect((await save(id, 1, renamed, researcher, { speakerRoles: JSON.stringify(roles) })).status).toBe(200);
    expect([await roleOf(0), await roleOf(1)]).toEqual(["interviewer", "interpreter"]);
    // Stored with the transcript: only labels in use whose role their first letter would not give.
    expect((await editorData(id)).transcript!.speakerRoles).toEqual({ Rosa: "interviewer", Zoë: "interpreter" });

    // A save that does not send roles (another client, an older page) keeps them.
    const edited = renamed.map((p, i) => (i === 2 ? { ...p, text: `${p.text} (lacht)` } : p));
    expect((await save(id, 2, edited)).status).toBe(200);
    expect(await roleOf(0)).toBe("interviewer");

    // Wrong roles are refused as a whole and change nothing.
    const bad = await save(id, 3, edited.map((p) => ({ ...p, text: `${p.text}!` })), researcher, { speakerRoles: JSON.stringify({ Rosa: "chief" }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: "save.invalid" });
    expect((await editorData(id)).transcript!.version).toBe(3);

    // Renamed back to I: the label's own role again, nothing left behind for Rosa.
    expect((await save(id, 3, original, researcher, { speakerRoles: JSON.stringify({}) })).status).toBe(200);
    expect([await roleOf(0), await roleOf(1)]).toEqual(["interviewer", "interviewee"]);
    expect((await editorData(id)).transcript!.speakerRoles).toEqual({});
  });
});
