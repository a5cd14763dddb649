// Codings against the real test database: consent gates, author and quote, codings following the text through
// saves (with and without the editor's anchors), orphans, restore and import, offsets from an older version.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { ctx, ensureReference, getRequest, grantFor, insertCase, jsonOf, municipalityId, signedInUser, statusOf, type TestUser } from "../../app/cases/test-support.ts";
import * as importPage from "../../app/routes/interviews.$interviewId.transcript.import.tsx";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import { applyCodes, listCodings, removeCoding, updateCoding } from "../../app/coding/codings.server.ts";
import { OffsetMap, codePointLength } from "../../app/coding/anchoring.ts";
import { importTranscript, loadTranscript, restoreVersion, saveTranscript } from "../../app/transcripts/transcripts.server.ts";
import { keptShare } from "../../app/coding/follow.server.ts";
import { parseText, writeText } from "../../app/transcripts/formats/text.ts";
import type { Paragraph } from "../../app/transcripts/formats/types.ts";

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
const INT01 = fs.readFileSync(path.join(FIXTURES, "int-01.txt"), "utf8");

let researcher: TestUser;
let coder: Grant;
let writer: Grant;
let caseId: string;
const codeIds = new Map<string, string>();

async function newInterview(code: string, scopes: { analysis?: boolean; specialCategories?: boolean }) {
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
      scopeRecording: true,
      scopeTranscription: true,
      scopeAnalysis: scopes.analysis ?? false,
      scopeSpecialCategories: scopes.specialCategories ?? false,
    },
  });
  const imported = await importTranscript(null, writer, interview.id, parseText(INT01), { format: "txt", replace: false });
  expect(imported.ok).toBe(true);
  return interview.id;
}

/** [start, end) in code points of the first occurrence of `part` in the transcript's plain text. */
async function spanOf(interviewId: string, part: string) {
  const text = await plainTextOf(interviewId);
  const at = text.indexOf(part);
  if (at < 0) throw new Error(`"${part}" not in the transcript`);
  return { start: codePointLength(text.slice(0, at)), end: codePointLength(text.slice(0, at + part.length)) };
}

async function plainTextOf(interviewId: string) {
  const transcript = await loadTranscript(writer, interviewId);
  return writeText(transcript!.paragraphs);
}

async function current(interviewId: string) {
  const t = await loadTranscript(writer, interviewId);
  return { version: t!.version, paragraphs: t!.paragraphs };
}

/** The paragraphs with `from` replaced by `to` (first occurrence), as an editor would save them. */
function edited(paragraphs: Paragraph[], from: string, to: string): Paragraph[] {
  let done = false;
  const out = paragraphs.map((p) => {
    if (done || !p.text.includes(from)) return p;
    done = true;
    return { ...p, text: p.text.replace(from, to) };
  });
  if (!done) throw new Error(`"${from}" not found`);
  return out;
}

async function codeOnPassage(interviewId: string, key: string, part: string) {
  const { version } = await current(interviewId);
  const result = await applyCodes(null, coder, interviewId, { transcriptVersion: version, ...(await spanOf(interviewId, part)), codeIds: [codeIds.get(key)!] });
  if (!result.ok) throw new Error(`apply refused: ${result.reason}`);
  return result.codings[0]!;
}

const codingRow = (id: string) => db.coding.findUniqueOrThrow({ where: { id }, select: { start: true, end: true, quote: true, orphaned: true, comment: true, codeId: true } });

beforeAll(async () => {
  await ensureReference();
  for (const c of await db.code.findMany({ where: { key: { not: null } }, select: { id: true, key: true } })) codeIds.set(c.key!, c.id);
  const loerrach = await municipalityId("08336050");
  researcher = await signedInUser("forschung.codings", ["researcher"]);
  coder = grantFor(researcher.user, "write", "coding");
  writer = grantFor(researcher.user, "write", "transcript");
  caseId = (await insertCase("LOE-2015-0042", loerrach)).id;
});

describe("consent gates", () => {
  it("refuses any coding without the analysis scope, and writes nothing", async () => {
    const interviewId = await newInterview("INT-C-0001", { analysis: false });
    const span = await spanOf(interviewId, "Ich habe in Damaskus Pharmazie studiert");
    const result = await applyCodes(null, coder, interviewId, { transcriptVersion: 1, ...span, codeIds: [codeIds.get("STR.BIL")!] });
    expect(result).toEqual({ ok: false, reason: "consent-analysis" });
    expect(await db.coding.count({ where: { interviewId } })).toBe(0);
  });

  it("refuses X.GES without the special-categories scope and allows it with that scope", async () => {
    const without = await newInterview("INT-C-0002", { analysis: true });
    const part = "mein Mann Samer wurde zweimal an einem Checkpoint festgehalten";
    const refused = await applyCodes(null, coder, without, { transcriptVersion: 1, ...(await spanOf(without, part)), codeIds: [codeIds.get("X.FAM")!, codeIds.get("X.GES")!] });
    expect(refused).toEqual({ ok: false, reason: "consent-special" });
    expect(await db.coding.count({ where: { interviewId: without } })).toBe(0);
    // an ordinary code on the same interview is fine
    const ordinary = await applyCodes(null, coder, without, { transcriptVersion: 1, ...(await spanOf(without, part)), codeIds: [codeIds.get("X.FAM")!] });
    expect(ordinary.ok).toBe(true);

    const withScope = await newInterview("INT-C-0003", { analysis: true, specialCategories: true });
    const allowed = await applyCodes(null, coder, withScope, { transcriptVersion: 1, ...(await spanOf(withScope, part)), codeIds: [codeIds.get("X.GES")!] });
    expect(allowed.ok).toBe(true);
    expect(await db.coding.count({ where: { interviewId: withScope, codeId: codeIds.get("X.GES")! } })).toBe(1);
  });

  it("refuses resizing a coding once the consent no longer includes analysis", async () => {
    const interviewId = await newInterview("INT-C-0004", { analysis: true });
    const coding = await codeOnPassage(interviewId, "KUL.WIS", "welcher Müll in welche Tonne gehört");
    await db.consentRecord.updateMany({ where: { interviewId }, data: { scopeAnalysis: false } });
    const result = await updateCoding(null, coder, coding.id, { transcriptVersion: 1, start: coding.start + 8 });
    expect(result).toEqual({ ok: false, reason: "consent-analysis" });
    expect((await codingRow(coding.id)).start).toBe(coding.start);
    // removing is always possible: it takes data out of the analysis
    expect(await removeCoding(null, coder, coding.id)).toEqual({ ok: true });
  });
});

describe("applying, changing and removing codings", () => {
  let interviewId: string;
  beforeAll(async () => {
    interviewId = await newInterview("INT-C-0010", { analysis: true });
  });

  it("records author, time and quote, lists them, and does not add the same code twice on one passage", async () => {
    const part = "Wir sind über den Libanon in die Türkei";
    const span = await spanOf(interviewId, part);
    const first = await applyCodes(null, coder, interviewId, { transcriptVersion: 1, ...span, codeIds: [codeIds.get("X.FLU")!, codeIds.get("X.FAM")!] });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.codings).toHaveLength(2);
    for (const c of first.codings) {
      expect(c).toMatchObject({ start: span.start, end: span.end, quote: part, orphaned: false, comment: null, createdBy: "forschung.codings" });
      expect(c.createdAt).toBeInstanceOf(Date);
    }
    const again = await applyCodes(null, coder, interviewId, { transcriptVersion: 1, ...span, codeIds: [codeIds.get("X.FLU")!] });
    expect(again.ok && again.codings.map((c) => c.id)).toEqual([first.codings.find((c) => c.codeId === codeIds.get("X.FLU"))!.id]);
    const listed = await listCodings(coder, interviewId);
    expect(listed.transcriptVersion).toBe(1);
    expect(listed.codings.filter((c) => c.quote === part)).toHaveLength(2);
    expect(await db.auditLog.count({ where: { action: "coding.apply", detail: { contains: interviewId } } })).toBe(1);
  });

  it("answers range, unknown-code and stale instead of storing nonsense", async () => {
    const length = codePointLength(await plainTextOf(interviewId));
    const code = [codeIds.get("STR.ARB")!];
    expect(await applyCodes(null, coder, interviewId, { transcriptVersion: 1, start: 10, end: 10, codeIds: code })).toEqual({ ok: false, reason: "range" });
    expect(await applyCodes(null, coder, interviewId, { transcriptVersion: 1, start: length - 2, end: length + 1, codeIds: code })).toEqual({ ok: false, reason: "range" });
    expect(await applyCodes(null, coder, interviewId, { transcriptVersion: 1, start: 0, end: 5, codeIds: ["no-such-code"] })).toEqual({ ok: false, reason: "unknown-code" });
    expect(await applyCodes(null, coder, interviewId, { transcriptVersion: 7, start: 0, end: 5, codeIds: code })).toEqual({ ok: false, reason: "stale" });
  });

  it("resizes, comments, and removes a coding (audited)", async () => {
    const coding = await codeOnPassage(interviewId, "SOZ.KON", "Die Nachbarin, Frau Gerspacher, hat uns am Anfang sehr geholfen.");
    const narrower = await spanOf(interviewId, "Frau Gerspacher, hat uns am Anfang sehr geholfen");
    const resized = await updateCoding(null, coder, coding.id, { transcriptVersion: 1, ...narrower, comment: "  Nachbarschaftshilfe  " });
    expect(resized.ok && resized.coding).toMatchObject({ ...narrower, quote: "Frau Gerspacher, hat uns am Anfang sehr geholfen", comment: "Nachbarschaftshilfe" });
    const cleared = await updateCoding(null, coder, coding.id, { transcriptVersion: 1, comment: "" });
    expect(cleared.ok && cleared.coding.comment).toBeNull();
    await removeCoding(null, coder, coding.id);
    expect(await db.coding.count({ where: { id: coding.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { entityId: coding.id, action: { in: ["coding.update", "coding.remove"] } } })).toBe(3);
    expect(await statusOf(() => removeCoding(null, coder, coding.id))).toBe(404);
  });

  it("needs write:coding and an interview in scope", async () => {
    const loerrach = await municipalityId("08336050");
    const im = await signedInUser("im.codings", ["integration_manager"], [loerrach]);
    const imGrant: Grant = { user: im.user, access: "own" };
    expect(await statusOf(() => applyCodes(null, imGrant, interviewId, { transcriptVersion: 1, start: 0, end: 5, codeIds: [codeIds.get("STR.ARB")!] }))).toBe(403);
    expect(await statusOf(() => listCodings(coder, "no-such-interview"))).toBe(404);
    expect(await statusOf(() => updateCoding(null, coder, "no-such-coding", { transcriptVersion: 1, comment: "x" }))).toBe(404);
  });
});

describe("codings follow the text", () => {
  it("keeps a coding on the same words when words before and inside it are edited (save without anchors)", async () => {
    const interviewId = await newInterview("INT-C-0020", { analysis: true });
    const coding = await codeOnPassage(interviewId, "STR.BIL", "Ich habe in Damaskus Pharmazie studiert, fünf Jahre");
    let { version, paragraphs } = await current(interviewId);
    paragraphs = edited(paragraphs, "Ja, gerne. Mein Name", "Ja, sehr gerne. 😀 Mein Name"); // before it, with an astral character
    paragraphs = edited(paragraphs, "Pharmazie studiert", "Pharmazie und Chemie studiert"); // inside it
    paragraphs = edited(paragraphs, "fünf Jahre", "fünf Jahren"); // a typo fix in its last word
    const saved = await saveTranscript(null, writer, interviewId, version, paragraphs);
    expect(saved).toEqual({ ok: true, version: version + 1 });
    const row = await codingRow(coding.id);
    expect(row).toMatchObject({ quote: "Ich habe in Damaskus Pharmazie und Chemie studiert, fünf Jahren", orphaned: false });
    const text = new OffsetMap(await plainTextOf(interviewId));
    expect(text.slice(row.start, row.end)).toBe(row.quote);
    const listed = await listCodings(coder, interviewId);
    expect(listed.transcriptVersion).toBe(version + 1);
  });

  it("marks a coding orphaned when all its words are deleted, keeps its quote, and restore brings it back", async () => {
    const interviewId = await newInterview("INT-C-0021", { analysis: true });
    const part = "Wir haben für sie gekocht, Kibbeh und Fattoush";
    const coding = await codeOnPassage(interviewId, "SOZ.KON", part);
    const { version, paragraphs } = await current(interviewId);
    await saveTranscript(null, writer, interviewId, version, edited(paragraphs, `${part}, und`, "Und"));
    expect(await codingRow(coding.id)).toMatchObject({ orphaned: true, quote: part });
    const orphan = await codingRow(coding.id);
    expect(orphan.start).toBe(orphan.end);
    expect((await listCodings(coder, interviewId)).codings.find((c) => c.id === coding.id)).toMatchObject({ orphaned: true, quote: part });

    // the orphan stays one until someone re-anchors it; restoring the old text gives a diff-mapped coding back only
    // for codings that still have words, so re-anchor it by hand after the restore
    const restored = await restoreVersion(null, writer, interviewId, version);
    expect(restored.ok).toBe(true);
    const reanchored = await updateCoding(null, coder, coding.id, { transcriptVersion: version + 2, ...(await spanOf(interviewId, part)) });
    expect(reanchored.ok && reanchored.coding).toMatchObject({ orphaned: false, quote: part });
  });

  it("maps codings through a restore and an import that replaces the transcript", async () => {
    const interviewId = await newInterview("INT-C-0022", { analysis: true });
    const part = "Sie hat mit uns die Briefe gelesen";
    const coding = await codeOnPassage(interviewId, "KUL.WIS", part);
    const { version, paragraphs } = await current(interviewId);
    await saveTranscript(null, writer, interviewId, version, edited(edited(paragraphs, "(lacht) Das ist", "Das war"), "die Briefe gelesen", "die vielen Briefe gelesen"));
    expect((await codingRow(coding.id)).quote).toBe("Sie hat mit uns die vielen Briefe gelesen");

    const restored = await restoreVersion(null, writer, interviewId, version);
    expect(restored.ok).toBe(true);
    const afterRestore = await codingRow(coding.id);
    expect(afterRestore.quote).toBe(part);
    expect(afterRestore).toMatchObject(await spanOf(interviewId, part));

    // The import page says how many codings the replacement concerns.
    const page = await jsonOf(() => importPage.loader({ request: getRequest(`/interviews/${interviewId}/transcript/import`, researcher), params: { interviewId }, ...ctx }));
    expect(page.existing).toMatchObject({ codings: 1 });

    const replacement = INT01.replace("Gut, das Aufnahmegerät läuft.", "Das Aufnahmegerät läuft jetzt.").replace("Sie hat mit uns", "Sie hat dann mit uns");
    const imported = await importTranscript(null, writer, interviewId, parseText(replacement), { format: "txt", replace: true });
    expect(imported.ok).toBe(true);
    const afterImport = await codingRow(coding.id);
    expect(afterImport.quote).toBe("Sie hat dann mit uns die Briefe gelesen");
    expect(await db.auditLog.count({ where: { action: "transcript.import", detail: { contains: '"codingsMoved":1' } } })).toBe(1);

    // A replacement that keeps only a few of its words ("Sie hat ... gelesen" around other content): orphaned for
    // review with its quote, not shrunk onto the leftovers.
    const other = replacement.replace("Sie hat dann mit uns die Briefe gelesen", "Sie hat oft gelesen");
    expect((await importTranscript(null, writer, interviewId, parseText(other), { format: "txt", replace: true })).ok).toBe(true);
    expect(await codingRow(coding.id)).toMatchObject({ orphaned: true, quote: "Sie hat dann mit uns die Briefe gelesen" });
  });

  it("counts the words a coding keeps when a whole text is replaced", () => {
    expect(keptShare("Ich habe in Damaskus Pharmazie studiert", "Ich habe")).toBeCloseTo(2 / 6);
    expect(keptShare("Sie hat mit uns die Briefe gelesen", "Sie hat dann mit uns die Briefe gelesen")).toBe(1);
    expect(keptShare("die die die", "die")).toBeCloseTo(1 / 3);
    expect(keptShare("", "irgendwas")).toBe(1);
  });

  it("takes the editor's anchors as given, orphans codings it saw deleted, and maps codings it did not know", async () => {
    const interviewId = await newInterview("INT-C-0023", { analysis: true });
    const kept = await codeOnPassage(interviewId, "X.WOH", "in eine kleine Unterkunft über dem alten Gasthaus");
    const gone = await codeOnPassage(interviewId, "X.WOH", "Das ist ein sehr schönes Dorf");
    const meanwhile = await codeOnPassage(interviewId, "X.WOH", "der Bus fährt selten");
    const { version, paragraphs } = await current(interviewId);
    // the user deleted "Das ist ein sehr schönes Dorf, aber" and the editor mapped "kept" itself
    const next = edited(paragraphs, "(lacht) Das ist ein sehr schönes Dorf, aber der Bus", "(lacht) Der Bus");
    const newText = writeText(next);
    const at = newText.indexOf("in eine kleine Unterkunft");
    const keptStart = codePointLength(newText.slice(0, at));
    const keptEnd = keptStart + codePointLength("in eine kleine Unterkunft");
    const saved = await saveTranscript(null, writer, interviewId, version, next, {
      known: [kept.id, gone.id],
      positions: [{ id: kept.id, start: keptStart, end: keptEnd }],
    });
    expect(saved.ok).toBe(true);
    // the editor's position wins even where a diff would say otherwise (the user narrowed it in the browser)
    expect(await codingRow(kept.id)).toMatchObject({ start: keptStart, end: keptEnd, quote: "in eine kleine Unterkunft", orphaned: false });
    expect(await codingRow(gone.id)).toMatchObject({ orphaned: true, quote: "Das ist ein sehr schönes Dorf" });
    // "der" became "Der" (its "er" survived): the coding keeps the whole word
    expect(await codingRow(meanwhile.id)).toMatchObject({ orphaned: false, quote: "Der Bus fährt selten" });
  });

  it("maps offsets a client sends for an older version onto the current text", async () => {
    const interviewId = await newInterview("INT-C-0024", { analysis: true });
    const part = "Am 22. Oktober 2015 sind wir in Karlsruhe angekommen";
    const oldSpan = await spanOf(interviewId, part);
    const { version, paragraphs } = await current(interviewId);
    await saveTranscript(null, writer, interviewId, version, edited(paragraphs, "Gut, das Aufnahmegerät läuft.", "Gut, das Aufnahmegerät läuft jetzt, wir können anfangen."));
    const result = await applyCodes(null, coder, interviewId, { transcriptVersion: version, ...oldSpan, codeIds: [codeIds.get("X.FLU")!] });
    expect(result.ok && result.codings[0]).toMatchObject({ quote: part, ...(await spanOf(interviewId, part)) });
  });
});

describe("withdrawal", () => {
  it("the codings eraser deletes an interview's codings (and memos on them) for the part codings, and only those", async () => {
    const { codingsEraser } = await import("../../app/coding/eraser.server.ts");
    const interviewId = await newInterview("INT-C-0030", { analysis: true });
    const other = await newInterview("INT-C-0031", { analysis: true });
    const coding = await codeOnPassage(interviewId, "X.FLU", "mit dem Schlauchboot nach Lesbos");
    await codeOnPassage(other, "X.FLU", "mit dem Schlauchboot nach Lesbos");
    await db.memo.create({ data: { type: "other", title: "zur Stelle", contentJson: "{}", contentHtml: "", contentText: "", codingId: coding.id } });
    const ctx = { interviewId, caseId, parts: new Set(["codings"] as const) };
    expect(await codingsEraser.preview(ctx)).toEqual({ codings: 1, codingMemos: 1, passageLinks: 0 });
    expect(await codingsEraser.erase(ctx)).toEqual({ codings: 1, codingMemos: 1, passageLinks: 0 });
    expect(await codingsEraser.erase(ctx)).toEqual({ codings: 0, codingMemos: 0, passageLinks: 0 });
    expect(await db.coding.count({ where: { interviewId: other } })).toBe(1);
    expect(await codingsEraser.erase({ interviewId: other, caseId, parts: new Set(["recording"] as const) })).toEqual({});
  });
});
