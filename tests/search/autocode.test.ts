// "Code all hits" of a search on the fixture project (the three fixture interviews, and int-01 again without the
// analysis scope), through the real search index: the preview counts what is then created, stemmed hits are coded
// at the right code points for each unit, a second run codes nothing twice, the interview without analysis consent
// stays untouched, an integration manager is refused, the undo removes exactly the batch's untouched codings, and
// the code filter of the search finds the coded passages. Runs on SQLite and on PostgreSQL (TEST_DATABASE=postgres).
import "../../app/withdrawal/test-storage-env.ts";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { getRequest, grantFor, postRequest, signedInUser, statusOf, ctx, type TestUser } from "../../app/cases/test-support.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import { applyAutocode, previewAutocode, sentenceSpans, undoAutocode, type AutocodeUnit } from "../../app/coding/autocode.server.ts";
import { loadTranscript, saveTranscript } from "../../app/transcripts/transcripts.server.ts";
import { readableRows } from "../../app/audit/detail.server.ts";
import { updateCoding } from "../../app/coding/codings.server.ts";
import { withdrawInterview } from "../../app/withdrawal/withdraw.server.ts";
import { sliceCodePoints } from "../../app/coding/anchoring.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";
import { normalizeWord } from "../../search/text/normalize.ts";
import { rebuildEntries } from "../../search/reindex.server.ts";
import { search } from "../../search/search.server.ts";
import * as searchPage from "../../app/routes/search.tsx";
import { FIXTURES, seedProject, type Project } from "../retrieval/fixture.ts";
import { VIS } from "./fixture.ts";

let project: Project;
let researcher: TestUser;
let coder: Grant;

beforeAll(async () => {
  project = await seedProject(db);
  await rebuildEntries(db); // the fixture writes transcripts without telling search
  researcher = await signedInUser("forschung.autocode", ["researcher"]);
  coder = grantFor(researcher.user, "write", "coding");
}, 120_000);

const newCode = async (name: string) => (await db.code.create({ data: { name, colour: "#225588", position: 900 }, select: { id: true } })).id;
const request = (q: string, codeId: string, unit: AutocodeUnit) => ({ q, filters: {}, visibility: VIS.researcher, codeId, unit });

/** The batch's codings with the text they cover in the transcript's current plain text. */
async function coded(codeId: string) {
  const rows = await db.coding.findMany({ where: { codeId }, orderBy: [{ interviewId: "asc" }, { start: "asc" }], select: { id: true, interviewId: true, transcriptId: true, start: true, end: true, quote: true } });
  const texts = new Map<string, string>();
  for (const r of rows) {
    if (!texts.has(r.transcriptId)) {
      const paragraphs = await db.transcriptParagraph.findMany({ where: { transcriptId: r.transcriptId }, orderBy: { position: "asc" } });
      texts.set(r.transcriptId, writeText(paragraphs.map((p) => ({ ...p, words: null }))));
    }
  }
  return rows.map((r) => ({ ...r, text: sliceCodePoints(texts.get(r.transcriptId)!, r.start, r.end) }));
}

/** Passages (sourceIds) the search finds with the code filter. */
async function passagesWithCode(q: string, codeId: string) {
  const outcome = await search({ q, filters: { codeIds: [codeId], kinds: ["paragraph"] }, visibility: VIS.researcher, pageSize: 50 });
  if (!outcome.ok) throw new Error(outcome.hint);
  return outcome.hits.map((h) => h.sourceId).sort();
}

describe("code all hits", () => {
  it("codes the stemmed hit words at their code points, as many as previewed, and nothing twice", async () => {
    const codeId = await newCode("Wohnen (alle Treffer)");
    const preview = await previewAutocode(coder, request("Wohnungen", codeId, "hit"));
    expect(preview).toMatchObject({ ok: true, interviews: 1, alreadyCoded: 0, skipped: [] });
    if (!preview.ok) return;
    const applied = await applyAutocode(null, coder, request("Wohnungen", codeId, "hit"));
    expect(applied).toMatchObject({ ok: true, passages: preview.passages, interviews: preview.interviews, codings: preview.codings });
    const rows = await coded(codeId);
    expect(rows.length).toBe(preview.codings);
    // "Wohnung" (five times) and "Wohnungen" (once) for the query "Wohnungen"; not "Wohnungssuche".
    expect(rows.map((r) => r.text).sort()).toEqual(["Wohnung", "Wohnung", "Wohnung", "Wohnung", "Wohnung", "Wohnungen"]);
    for (const r of rows) {
      expect(r.quote).toBe(r.text);
      expect(normalizeWord(r.text)).toBe(normalizeWord("Wohnungen"));
      expect(r.interviewId).toBe(project.interviews["int-03"]!.id);
    }
    expect(preview.passages).toBe(3);

    // A second run finds every hit coded already.
    const again = await applyAutocode(null, coder, request("Wohnungen", codeId, "hit"));
    expect(again).toMatchObject({ ok: true, codings: 0, passages: 0, alreadyCoded: rows.length, batchId: null });
    expect(await db.coding.count({ where: { codeId } })).toBe(rows.length);

    // One audit entry for the batch: counts and ids, no text.
    const entries = await db.auditLog.findMany({ where: { action: "coding.autocode", userId: researcher.user.id } });
    expect(entries.length).toBe(1);
    expect(entries[0]!.detail).not.toMatch(/Wohnung/);
    // Nor anything computed from the text: the log outlives a withdrawal, and a hash of a coded word (a name) is found
    // again by hashing guesses. Only the ids and the lengths of the codings.
    for (const r of rows) for (const salt of ["", `${r.id}\n`]) expect(entries[0]!.detail).not.toContain(createHash("sha256").update(`${salt}${r.quote}`).digest("hex").slice(0, 24));
    expect(JSON.parse(entries[0]!.detail!).codedLengths).toEqual(rows.map((r) => r.end - r.start));
    expect(JSON.parse(entries[0]!.detail!)).toMatchObject({ codeId, codings: rows.length, passages: 3, interviews: 1 });
  });

  it("codes a phrase as one span from its first to its last word as written; OR alternatives each their own, NOT words never", async () => {
    const codeId = await newCode("Botschaft (Phrase)");
    expect(await applyAutocode(null, coder, request('"Deutsche Botschaft"', codeId, "hit"))).toMatchObject({ ok: true, passages: 1, interviews: 1, codings: 1 });
    // The fixture's plain text (the unit of the offsets) says "deutschen Botschaft": one coding at its code points.
    const text = fs.readFileSync(path.join(FIXTURES, "int-03.txt"), "utf8");
    const start = [...text.slice(0, text.indexOf("deutschen Botschaft"))].length;
    expect(await coded(codeId)).toMatchObject([{ interviewId: project.interviews["int-03"]!.id, start, end: start + "deutschen Botschaft".length, text: "deutschen Botschaft", quote: "deutschen Botschaft" }]);

    // Folded as search folds ("gruess" finds "Grüß"); the lone "Deutschland" before "Deutschland mich" is no hit of
    // the phrase, "Utzenfeld" (in the same passage) only an excluded word of the other alternative.
    const phrases = await newCode("Gruß (Phrase)");
    await applyAutocode(null, coder, request('"gruess gott" ODER "Deutschland mich" ODER (Schutz NICHT Utzenfeld)', phrases, "hit"));
    expect((await coded(phrases)).map((r) => r.text).sort()).toEqual(["Deutschland mich", "Grüß Gott", "Schutz"]);
  });

  it("codes the sentence around a hit and the whole paragraph", async () => {
    const sentence = await newCode("Wohnen (Satz)");
    await applyAutocode(null, coder, request("Wohnungen", sentence, "sentence"));
    const sentences = (await coded(sentence)).map((r) => r.text);
    expect(sentences).toContain("Ich suche Wohnung in Schönau, in Zell, in Lörrach, über/ überall.");
    // Two hits in one sentence (a transcriber's "(lacht)" ends none) give one coding.
    expect(sentences).toContain("Eine Wohnung. (lacht) Nur eine Wohnung, drei Zimmer.");
    expect(sentences).toContain("Wenn jemand eine Wohnung hat, bitte geben Sie meine Nummer: 0151 2274 9031.");
    expect(sentences.every((s) => /wohnung/i.test(s))).toBe(true);

    const paragraph = await newCode("Wohnen (Absatz)");
    const result = await applyAutocode(null, coder, request("Wohnungen", paragraph, "paragraph"));
    expect(result).toMatchObject({ ok: true, passages: 3, codings: 3 });
    const paragraphs = await db.transcriptParagraph.findMany({ where: { transcriptId: project.interviews["int-03"]!.transcriptId, text: { contains: "Wohnung" } }, select: { text: true } });
    const whole = paragraphs.map((p) => p.text).filter((t) => /\bWohnung(en)?\b/.test(t)).sort();
    expect((await coded(paragraph)).map((r) => r.text).sort()).toEqual(whole);
  });

  it("leaves the interview without analysis consent untouched and counts what it codes across interviews", async () => {
    const codeId = await newCode("Anerkennung (alle Treffer)");
    const preview = await previewAutocode(coder, request("Anerkennung", codeId, "hit"));
    const applied = await applyAutocode(null, coder, request("Anerkennung", codeId, "hit"));
    expect(preview.ok && applied.ok).toBe(true);
    if (!preview.ok || !applied.ok) return;
    expect(preview.interviews).toBeGreaterThan(1);
    expect({ passages: applied.passages, interviews: applied.interviews, codings: applied.codings }).toEqual({ passages: preview.passages, interviews: preview.interviews, codings: preview.codings });
    const rows = await coded(codeId);
    expect(rows.length).toBe(applied.codings);
    expect(new Set(rows.map((r) => r.interviewId)).size).toBe(applied.interviews);
    expect(rows.every((r) => r.text.toLowerCase() === "anerkennung")).toBe(true);
    // int-01's text again, without the analysis scope: the same words, never coded.
    expect(rows.some((r) => r.interviewId === project.interviews["int-01"]!.id)).toBe(true);
    expect(await db.coding.count({ where: { interviewId: project.interviews["int-01-noconsent"]!.id, codeId } })).toBe(0);
  });

  it("skips the interviews whose consent lacks the special categories an Art. 9 code needs, and says so", async () => {
    const special = await db.code.create({ data: { name: "Gesundheit (alle Treffer)", colour: "#992222", position: 901, specialCategory: true }, select: { id: true } });
    const result = await applyAutocode(null, coder, request("Anerkennung ODER Ausbildung", special.id, "hit"));
    // Only int-02 (Ausbildung) has the special-categories scope; int-01 and int-03 (Anerkennung) are found and skipped.
    expect(result).toMatchObject({ ok: true, interviews: 1, skipped: [{ reason: "consent-special", interviews: 2 }] });
    const rows = await db.coding.findMany({ where: { codeId: special.id }, select: { interviewId: true } });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.interviewId))).toEqual(new Set([project.interviews["int-02"]!.id]));
  });

  it("refuses an integration manager", async () => {
    const im = await signedInUser("im.autocode", ["integration_manager"], [project.municipalities.loerrach]);
    const codeId = await newCode("Nicht für IM");
    const status = await statusOf(() => searchPage.action({ request: postRequest("/search?q=Wohnungen", im, { intent: "apply", codeId, unit: "hit" }), params: {}, ...ctx }));
    expect(status).toBe(403);
    expect(await db.coding.count({ where: { codeId } })).toBe(0);
  });

  it("through the page: preview, apply, undo; the code filter finds the coded passages, the undo keeps what was changed since", async () => {
    const codeId = await newCode("Wohnen (Seite)");
    const before = await db.coding.count();
    const post = async (fields: Record<string, string>) => (await searchPage.action({ request: postRequest("/search?q=Wohnungen", researcher, fields), params: {}, ...ctx })) as Response;
    const preview = await (await post({ intent: "preview", codeId, unit: "sentence" })).json();
    expect(preview.result).toMatchObject({ ok: true, passages: 3, interviews: 1 });
    expect(await db.coding.count()).toBe(before);
    const applied = await (await post({ intent: "apply", codeId, unit: "sentence", search: preview.result.search })).json();
    expect(applied.result).toMatchObject({ ok: true, passages: 3, codings: preview.result.codings });
    const rows = await coded(codeId);

    // The search index carries the code on exactly those passages.
    const t = project.interviews["int-03"]!.transcriptId;
    const paragraphs = await db.transcriptParagraph.findMany({ where: { transcriptId: t }, orderBy: { position: "asc" }, select: { position: true, text: true } });
    const hitPassages = paragraphs.filter((p) => /\bWohnung(en)?\b/.test(p.text)).map((p) => `${t}:${p.position}`).sort();
    expect(await passagesWithCode("Wohnung", codeId)).toEqual(hitPassages);

    // Someone comments one of them: the undo keeps it and removes the others; other codings stay as they were.
    const changed = rows[0]!;
    expect((await updateCoding(null, coder, changed.id, { transcriptVersion: 1, comment: "stimmt so" })).ok).toBe(true);
    const undo = await (await post({ intent: "undo", batch: String(applied.result.batchId) })).json();
    expect(undo.undo).toEqual({ ok: true, removed: rows.length - 1, kept: 1 });
    expect((await db.coding.findMany({ where: { codeId }, select: { id: true } })).map((c) => c.id)).toEqual([changed.id]);
    expect(await db.coding.count()).toBe(before + 1);
    expect(await db.auditLog.count({ where: { action: "coding.autocode-undo", entityId: String(applied.result.batchId) } })).toBe(1);
    const changedPassage = paragraphs.find((p) => p.text.includes(changed.text))!;
    expect(await passagesWithCode("Wohnung", codeId)).toEqual([`${t}:${changedPassage.position}`]);
    // Once only.
    expect((await (await post({ intent: "undo", batch: String(applied.result.batchId) })).json()).undo).toEqual({ ok: false, reason: "done" });
  });

  it("after a reload, offers its owner the undo of the last batch while that would still remove codings", async () => {
    const codeId = await newCode("Wohnen (nach dem Neuladen)");
    const post = async (fields: Record<string, string>) => (await searchPage.action({ request: postRequest("/search?q=Wohnungen", researcher, fields), params: {}, ...ctx })) as Response;
    const lastBatch = async (who: TestUser) => (await (await searchPage.loader({ request: getRequest("/search", who), params: {}, ...ctx })).json()).lastBatch;
    const search = (await (await post({ intent: "preview", codeId, unit: "hit" })).json()).result.search;
    const applied = (await (await post({ intent: "apply", codeId, unit: "hit", search })).json()).result;
    expect(applied.codings).toBeGreaterThan(0);
    expect(await lastBatch(researcher)).toEqual({ batchId: applied.batchId, codings: applied.codings });
    // Only for who ran it.
    expect(await lastBatch(await signedInUser("forschung.andere", ["researcher"]))).toBeNull();
    expect((await (await post({ intent: "undo", batch: String(applied.batchId) })).json()).undo).toMatchObject({ ok: true, removed: applied.codings });
    expect(await lastBatch(researcher)).toBeNull();

    // A batch whose codings were all edited since has nothing left to undo: not offered.
    const again = (await (await post({ intent: "apply", codeId, unit: "hit", search })).json()).result;
    const rows = await coded(codeId);
    expect(await lastBatch(researcher)).toEqual({ batchId: again.batchId, codings: rows.length });
    for (const r of rows) expect((await updateCoding(null, coder, r.id, { transcriptVersion: 1, comment: "geprüft" })).ok).toBe(true);
    expect(await lastBatch(researcher)).toBeNull();
  });

  it("codes only the search its preview counted: a confirm after the query or a filter changed is refused, nothing coded", async () => {
    const codeId = await newCode("Wohnen (Suche geändert)");
    const post = (url: string, fields: Record<string, string>) => searchPage.action({ request: postRequest(url, researcher, fields), params: {}, ...ctx }) as Promise<Response>;
    const preview = (await (await post("/search?q=Wohnungen", { intent: "preview", codeId, unit: "hit" })).json()).result;
    expect(preview).toMatchObject({ ok: true, passages: 3 });
    // Another query, another filter, or no preview at all: 409 with the reason, no coding.
    for (const [url, search] of [["/search?q=Anerkennung", preview.search], ["/search?q=Wohnungen&speaker=interviewee", preview.search], ["/search?q=Wohnungen", ""]] as const) {
      const res = await post(url, { intent: "apply", codeId, unit: "hit", search });
      expect(res.status).toBe(409);
      expect((await res.json()).result).toEqual({ ok: false, reason: "search-changed" });
    }
    expect(await db.coding.count({ where: { codeId } })).toBe(0);
    // The same search on another page or sorted otherwise finds the same hits: coded.
    const res = await post("/search?sort=date&q=Wohnungen&page=1", { intent: "apply", codeId, unit: "hit", search: preview.search });
    expect((await res.json()).result).toMatchObject({ ok: true, codings: preview.codings });
  });

  it("answers an undo of no batch number with 400 and a reason, not an error", async () => {
    for (const batch of ["abc", "", "1.5", "-3", "99999999999999999999"]) {
      const res = (await searchPage.action({ request: postRequest("/search?q=Wohnungen", researcher, { intent: "undo", batch }), params: {}, ...ctx })) as Response;
      expect(res.status).toBe(400);
      expect((await res.json()).undo).toEqual({ ok: false, reason: "not-found" });
    }
  });

  it("cuts German sentences as German does: not at ordinals, dates, single letters or abbreviations", () => {
    const text = "Seit dem 1. September 2024 wohne ich hier. Am 15. April kam er, z. B. mit Dr. Weber aus der Str. 5 usw. Dann? Nr. 3 war voll. Seit 2024. Das war es.";
    expect(sentenceSpans(text).map((s) => text.slice(s.start, s.end))).toEqual([
      "Seit dem 1. September 2024 wohne ich hier.",
      "Am 15. April kam er, z. B. mit Dr. Weber aus der Str. 5 usw. Dann?",
      "Nr. 3 war voll.",
      // A year may end a sentence.
      "Seit 2024.",
      "Das war es.",
    ]);
  });

  // A transcript edit moves every coding of the transcript (and bumps updatedAt): no change by a person.
  it("undoes a batch after a transcript edit moved its codings, keeps what someone changed, and is not used up by removing nothing", async () => {
    const interviewId = project.interviews["int-03"]!.id;
    const transcriptGrant = grantFor(researcher.user, "write", "transcript");
    const codeId = await newCode("Wohnen (nach Transkriptänderung)");
    const applied = await applyAutocode(null, coder, request("Wohnungen", codeId, "hit"));
    if (!applied.ok || applied.batchId === null) throw new Error("no batch");
    const t = (await loadTranscript(transcriptGrant, interviewId))!;
    // Text before every coding, and a new last paragraph with German ordinals and abbreviations for the sentence unit.
    const paragraphs = [
      ...t.paragraphs.map((p, i) => (i === 0 ? { ...p, text: `Also, ${p.text}` } : p)),
      { ...t.paragraphs.at(-1)!, text: "Seit dem 1. September 2024 packe ich Umzugskartons. Dr. Weber hilft, z. B. beim Tragen. Am 15. April kommen die Umzugskartons weg." },
    ];
    expect((await saveTranscript(null, transcriptGrant, interviewId, t.version, paragraphs)).ok).toBe(true);
    const moved = await coded(codeId);
    expect(moved.every((r) => /^Wohnung(en)?$/.test(r.text))).toBe(true);
    expect(await undoAutocode(null, coder, applied.batchId)).toEqual({ ok: true, removed: applied.codings, kept: 0 });
    expect(await db.coding.count({ where: { codeId } })).toBe(0);

    await rebuildEntries(db);
    const sentence = await newCode("Umzug (Satz)");
    const batch = await applyAutocode(null, coder, request("Umzugskartons", sentence, "sentence"));
    expect((await coded(sentence)).map((r) => r.text)).toEqual(["Seit dem 1. September 2024 packe ich Umzugskartons.", "Am 15. April kommen die Umzugskartons weg."]);
    if (!batch.ok || batch.batchId === null) throw new Error("no batch");
    // One resized (its coded text is another now), one recoded: both stay, and the undo says it removed nothing.
    const [first, second] = await db.coding.findMany({ where: { codeId: sentence }, orderBy: { start: "asc" }, select: { id: true, start: true, end: true } });
    const version = (await db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { version: true } })).version;
    expect((await updateCoding(null, coder, first!.id, { transcriptVersion: version, start: first!.start, end: first!.end - 1 })).ok).toBe(true);
    const other = await newCode("Umzug (anderer Code)");
    await db.coding.update({ where: { id: second!.id }, data: { codeId: other } });
    expect(await undoAutocode(null, coder, batch.batchId)).toEqual({ ok: false, reason: "all-kept", kept: 2 });
    expect(await db.auditLog.count({ where: { action: "coding.autocode-undo", entityId: String(batch.batchId) } })).toBe(0);
    // Back to the code it had: the undo, not used up, removes it now.
    await db.coding.update({ where: { id: second!.id }, data: { codeId: sentence } });
    expect(await undoAutocode(null, coder, batch.batchId)).toEqual({ ok: true, removed: 1, kept: 1 });
  });

  it("shows a batch and its undo in the audit log readably: unit, counts, interviews by code, the batch by its number", async () => {
    const codeId = await newCode("Wohnen (Protokoll)");
    const applied = await applyAutocode(null, coder, request("Wohnungen", codeId, "sentence"));
    if (!applied.ok || applied.batchId === null) throw new Error("no batch");
    await undoAutocode(null, coder, applied.batchId);
    const rows = await db.auditLog.findMany({ where: { OR: [{ id: applied.batchId }, { action: "coding.autocode-undo", entityId: String(applied.batchId) }] }, orderBy: { id: "asc" } });
    const admin = await signedInUser("admin.autocode", ["admin"]);
    const [batch, undo] = await readableRows(rows, admin.user);
    const entries = batch!.detail && "entries" in batch!.detail ? batch!.detail.entries : [];
    const entry = (key: string) => entries.find((e) => e.key === key);
    expect(entries.every((e) => e.label !== null)).toBe(true);
    expect(entry("unit")?.value).toEqual({ kind: "term", text: "sentence", keys: ["search:autocode.units.sentence"] });
    expect(entry("passages")).toMatchObject({ label: "admin:audit.detail.passages", value: { kind: "number", value: 3 } });
    expect(entry("interviewIds")?.value).toMatchObject({ kind: "list", items: [{ kind: "ref", ref: "interview", id: project.interviews["int-03"]!.id, name: (await db.interview.findUniqueOrThrow({ where: { id: project.interviews["int-03"]!.id } })).code }] });
    expect(batch!.entity).toEqual({ kind: "batch", id: String(applied.batchId) });
    expect(undo!.entity).toEqual({ kind: "batch", id: String(applied.batchId) });
    const undoEntries = undo!.detail && "entries" in undo!.detail ? undo!.detail.entries : [];
    expect(undoEntries.map((e) => e.label)).toEqual(["admin:audit.detail.removed", "admin:audit.detail.kept", "admin:audit.detail.codingIds"]);
  });

  it("offers no autocoding when the hits hold no transcript passages", async () => {
    const panel = async (url: string) => (await (await searchPage.loader({ request: getRequest(url, researcher), params: {}, ...ctx })).json()) as { autocode: unknown; outcome: { total: number } };
    expect((await panel("/search?q=Wohnungen")).autocode).not.toBeNull();
    // Hits, but a memo only.
    await db.memo.create({ data: { type: "method", title: "Kellerasseln", contentJson: "{}", contentHtml: "<p>Kellerasseln</p>", contentText: "Kellerasseln", authorId: researcher.user.id } });
    await rebuildEntries(db);
    const memosOnly = await panel("/search?q=Kellerasseln");
    expect(memosOnly.outcome.total).toBeGreaterThan(0);
    expect(memosOnly.outcome.total).toBeGreaterThan(0);
    expect(memosOnly.autocode).toBeNull();
  });

  // Last: it erases int-01.
  it("names an interview withdrawn between preview and confirm as skipped, and codes the others", async () => {
    const codeId = await newCode("Anerkennung (Widerruf dazwischen)");
    const post = async (fields: Record<string, string>) => (await searchPage.action({ request: postRequest("/search?q=Anerkennung", researcher, fields), params: {}, ...ctx })) as Response;
    const preview = (await (await post({ intent: "preview", codeId, unit: "hit" })).json()).result;
    const int01 = project.interviews["int-01"]!.id;
    expect(preview).toMatchObject({ ok: true, interviews: 2, skipped: [] });
    expect(preview.interviewIds).toContain(int01);

    await withdrawInterview(null, researcher.user, int01, { scope: "whole" });
    const applied = (await (await post({ intent: "apply", codeId, unit: "hit", previewed: preview.interviewIds.join(","), search: preview.search })).json()).result;
    // The search no longer finds int-01 (its index entries went with it): the confirm says why it codes one fewer.
    expect(applied).toMatchObject({ ok: true, interviews: 1, skipped: [{ reason: "withdrawn", interviews: 1 }] });
    const rows = await coded(codeId);
    expect(rows.length).toBe(applied.codings);
    expect(new Set(rows.map((r) => r.interviewId))).toEqual(new Set([project.interviews["int-03"]!.id]));
  });
});
