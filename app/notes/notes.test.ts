// Biography notes through their pages against the real test database: who sees which case's notes (integration
// managers by municipality, researchers only with linking consent and read-only, the commissioner
// never), versions with restore, conflicting saves, audit of reads and changes, and that refusing or withdrawing
// research consent changes nothing for counselling.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, insertCase, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import * as listPage from "../routes/cases.$caseId.notes._index.tsx";
import * as newPage from "../routes/cases.$caseId.notes.new.tsx";
import * as notePage from "../routes/cases.$caseId.notes.$noteId._index.tsx";
import * as versionsPage from "../routes/cases.$caseId.notes.$noteId.versions.tsx";
import { withdrawInterview } from "../withdrawal/withdraw.server.ts";
import { addConsentVersion, consentSelect } from "../interviews/consent.server.ts";

let imOwn: TestUser;
let imOther: TestUser;
let imBoth: TestUser;
let researcher: TestUser;
let commissioner: TestUser;
let linkedCase: string; // an interview with linking consent
let unlinkedCase: string; // an interview with analysis but no linking consent
let plainCase: string; // no interview at all

const doc = (text: string) => JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
const noteFields = (title: string, text: string, extra: Record<string, string> = {}) => ({ intent: "save", type: "event", noteDate: "2024-06-14", title, content: doc(text), ...extra });

async function interviewOn(caseId: string, code: string, scopes: { scopeAnalysis?: boolean; scopeLinking?: boolean }) {
  const at = new Date("2025-03-01T10:00:00Z");
  return db.interview.create({
    data: { code, caseId, date: at, placeType: "office", languages: '["de"]', consents: { create: { version: 1, givenBy: "person", givenAt: at, form: "written", language: "de", infoSheetVersion: "2025-01", ...scopes } } },
    select: { id: true },
  });
}

const createNote = (who: TestUser, caseId: string, fields: Record<string, string>) => newPage.action({ request: postRequest(`/cases/${caseId}/notes/new`, who, fields), params: { caseId }, ...ctx });
const saveNote = (who: TestUser, caseId: string, noteId: string, fields: Record<string, string>) => notePage.action({ request: postRequest(`/cases/${caseId}/notes/${noteId}`, who, fields), params: { caseId, noteId }, ...ctx });
const listStatus = (who: TestUser, caseId: string) => statusOf(() => listPage.loader({ request: getRequest(`/cases/${caseId}/notes`, who), params: { caseId }, ...ctx }));
const listOf = async (who: TestUser, caseId: string, query = "") => (await (await listPage.loader({ request: getRequest(`/cases/${caseId}/notes${query}`, who), params: { caseId }, ...ctx })).json()) as { notes: { id: string; title: string; contentHtml: string }[]; canWrite: boolean; research: boolean };
const noteIdOf = (res: Response) => new URL(res.headers.get("location")!, "http://x").pathname.split("/").pop()!;

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  imOwn = await signedInUser("note.im.own", ["integration_manager"], [loerrach]);
  imOther = await signedInUser("note.im.other", ["integration_manager"], [weil]);
  imBoth = await signedInUser("note.admin", ["integration_manager"], [loerrach, weil]);
  researcher = await signedInUser("note.researcher", ["researcher"]);
  commissioner = await signedInUser("note.commissioner", ["commissioner"]);
  linkedCase = (await insertCase("LOE-2018-0701", loerrach)).id;
  unlinkedCase = (await insertCase("LOE-2018-0702", loerrach)).id;
  plainCase = (await insertCase("LOE-2018-0703", loerrach)).id;
  await interviewOn(linkedCase, "INT-N-0001", { scopeAnalysis: true, scopeLinking: true });
  await interviewOn(unlinkedCase, "INT-N-0002", { scopeAnalysis: true });
  for (const caseId of [linkedCase, unlinkedCase, plainCase]) expect((await createNote(imOwn, caseId, noteFields("Erstgespräch", "Sprachkurs angemeldet"))).status).toBe(302);
});

describe("who sees biography notes", () => {
  it("integration managers of the municipality read and write; others get 404 or 403", async () => {
    for (const caseId of [linkedCase, unlinkedCase, plainCase]) {
      expect(await listStatus(imOwn, caseId)).toBe(200);
      expect(await listStatus(imBoth, caseId)).toBe(200);
      expect(await listStatus(imOther, caseId)).toBe(404); // another municipality: the case does not exist
      expect(await listStatus(commissioner, caseId)).toBe(403);
    }
    expect((await listOf(imOwn, plainCase)).canWrite).toBe(true);
    expect(await statusOf(() => createNote(imOther, plainCase, noteFields("fremd", "x")))).toBe(404);
    expect(await statusOf(() => createNote(commissioner, plainCase, noteFields("fremd", "x")))).toBe(403);
    expect((await createNote(imBoth, plainCase, noteFields("Vom Admin", "x"))).status).toBe(302);
  });

  it("researchers read only cases with linking consent, read-only, and every read is audited", async () => {
    const seen = await listOf(researcher, linkedCase);
    expect(seen.notes.map((n) => n.title)).toEqual(["Erstgespräch"]);
    expect(seen).toMatchObject({ canWrite: false, research: true });
    const noteId = seen.notes[0]!.id;
    expect(await statusOf(() => notePage.loader({ request: getRequest(`/cases/${linkedCase}/notes/${noteId}`, researcher), params: { caseId: linkedCase, noteId }, ...ctx }))).toBe(200);
    expect(await statusOf(() => versionsPage.loader({ request: getRequest(`/cases/${linkedCase}/notes/${noteId}/versions`, researcher), params: { caseId: linkedCase, noteId }, ...ctx }))).toBe(200);
    const reads = await db.auditLog.findMany({ where: { action: "note.view", entityId: linkedCase, userId: researcher.user.id }, select: { detail: true } });
    expect(reads).toHaveLength(3);
    expect(reads.every((r) => JSON.parse(r.detail!).access === "linked")).toBe(true);

    // No linking consent, or no interview: 404, not an empty page that confirms the case exists.
    expect(await listStatus(researcher, unlinkedCase)).toBe(404);
    expect(await listStatus(researcher, plainCase)).toBe(404);
    const other = (await listOf(imOwn, unlinkedCase)).notes[0]!.id;
    expect(await statusOf(() => notePage.loader({ request: getRequest(`/cases/${unlinkedCase}/notes/${other}`, researcher), params: { caseId: unlinkedCase, noteId: other }, ...ctx }))).toBe(404);
    // A note id of another case under a visible case: 404 as well.
    expect(await statusOf(() => notePage.loader({ request: getRequest(`/cases/${linkedCase}/notes/${other}`, researcher), params: { caseId: linkedCase, noteId: other }, ...ctx }))).toBe(404);
    // Never writes.
    expect(await statusOf(() => createNote(researcher, linkedCase, noteFields("Forschung", "x")))).toBe(403);
    expect(await statusOf(() => saveNote(researcher, linkedCase, noteId, noteFields("Forschung", "x", { version: "1" })))).toBe(403);
  });

  it("a wrong case or note id is a 404 for everyone", async () => {
    expect(await listStatus(imOwn, "nope")).toBe(404);
    expect(await statusOf(() => notePage.loader({ request: getRequest(`/cases/${plainCase}/notes/nope`, imOwn), params: { caseId: plainCase, noteId: "nope" }, ...ctx }))).toBe(404);
    expect(await statusOf(() => versionsPage.loader({ request: getRequest(`/cases/${plainCase}/notes/nope/versions`, imBoth), params: { caseId: plainCase, noteId: "nope" }, ...ctx }))).toBe(404);
    expect(await statusOf(() => newPage.loader({ request: getRequest(`/cases/nope/notes/new`, imOwn), params: { caseId: "nope" }, ...ctx }))).toBe(404);
  });
});

describe("research consent and counselling stay separate", () => {
  it("withdrawing linking, or the whole interview, hides the notes from research and leaves them fully usable for the integration manager", async () => {
    const loerrach = await municipalityId("08336050");
    const caseId = (await insertCase("LOE-2018-0704", loerrach)).id;
    const interviewId = (await interviewOn(caseId, "INT-N-0004", { scopeAnalysis: true, scopeLinking: true })).id;
    const noteId = noteIdOf(await createNote(imOwn, caseId, noteFields("Ziel Ausbildung", "Bewerbungen laufen")));
    expect(await listStatus(researcher, caseId)).toBe(200);

    // The person withdraws linking (a new consent version without it): research loses sight at once.
    await db.$transaction(async (tx) => {
      const current = await tx.consentRecord.findFirstOrThrow({ where: { interviewId, current: true }, select: consentSelect });
      const { id: _id, version: _v, current: _c, createdById: _by, createdAt: _at, ...values } = current;
      await addConsentVersion(null, researcher.user, tx, interviewId, { ...values, scopeLinking: false }, "withdrawal");
    });
    expect(await listStatus(researcher, caseId)).toBe(404);
    expect((await saveNote(imOwn, caseId, noteId, noteFields("Ziel Ausbildung", "Vertrag unterschrieben", { version: "1" }))).status).toBe(302);

    // Then withdraws the whole interview: still nothing changes for counselling.
    await withdrawInterview(null, researcher.user, interviewId, { scope: "whole" });
    expect(await db.interview.count({ where: { id: interviewId } })).toBe(0);
    const list = await listOf(imOwn, caseId);
    expect(list.notes.map((n) => n.title)).toEqual(["Ziel Ausbildung"]);
    expect(list.notes[0]!.contentHtml).toBe("<p>Vertrag unterschrieben</p>");
    expect((await saveNote(imOwn, caseId, noteId, noteFields("Ziel Ausbildung", "Ausbildung begonnen", { version: "2" }))).status).toBe(302);
    expect((await createNote(imOwn, caseId, noteFields("Neue Notiz", "nach dem Widerruf"))).status).toBe(302);
    expect(await listStatus(researcher, caseId)).toBe(404);
  });

  it("a case whose person refused research entirely is the same for counselling", async () => {
    const loerrach = await municipalityId("08336050");
    const caseId = (await insertCase("LOE-2018-0705", loerrach)).id;
    await interviewOn(caseId, "INT-N-0005", {}); // every scope refused
    const noteId = noteIdOf(await createNote(imOwn, caseId, noteFields("Erstgespräch", "x")));
    expect((await saveNote(imOwn, caseId, noteId, noteFields("Erstgespräch", "y", { version: "1" }))).status).toBe(302);
    expect((await listOf(imOwn, caseId)).notes).toHaveLength(1);
    expect(await listStatus(researcher, caseId)).toBe(404);
  });
});

describe("versions", () => {
  it("every save adds a version with who and when; restoring makes the old content a new version", async () => {
    const noteId = noteIdOf(await createNote(imOwn, plainCase, noteFields("Sprachkurs", "A1 begonnen")));
    expect((await saveNote(imOwn, plainCase, noteId, noteFields("Sprachkurs", "A2 bestanden", { version: "1" }))).status).toBe(302);
    expect((await saveNote(imBoth, plainCase, noteId, noteFields("Sprachkurs B1", "B1 bestanden", { type: "course", version: "2" }))).status).toBe(302);
    // Saving without a change adds nothing.
    expect((await saveNote(imBoth, plainCase, noteId, noteFields("Sprachkurs B1", "B1 bestanden", { type: "course", version: "3" }))).status).toBe(302);

    const history = await (await versionsPage.loader({ request: getRequest(`/cases/${plainCase}/notes/${noteId}/versions`, imOwn), params: { caseId: plainCase, noteId }, ...ctx })).json();
    expect(history.versions.map((v: { version: number; title: string; editedBy: string | null; contentHtml: string }) => [v.version, v.title, v.editedBy, v.contentHtml])).toEqual([
      [3, "Sprachkurs B1", "note.admin", "<p>B1 bestanden</p>"],
      [2, "Sprachkurs", "note.im.own", "<p>A2 bestanden</p>"],
      [1, "Sprachkurs", "note.im.own", "<p>A1 begonnen</p>"],
    ]);
    const update = await db.auditLog.findFirstOrThrow({ where: { action: "note.update", entityId: plainCase, userId: imBoth.user.id }, orderBy: { id: "desc" }, select: { detail: true } });
    expect(JSON.parse(update.detail!)).toEqual({ noteId, version: 3, changed: ["type", "title", "content"] });

    const restore = await versionsPage.action({ request: postRequest(`/cases/${plainCase}/notes/${noteId}/versions`, imOwn, { restore: "1", version: "3" }), params: { caseId: plainCase, noteId }, ...ctx });
    expect(restore.status).toBe(302);
    const note = await db.biographyNote.findUniqueOrThrow({ where: { id: noteId }, select: { version: true, title: true, type: true, contentText: true, contentHtml: true } });
    expect(note).toEqual({ version: 4, title: "Sprachkurs", type: "event", contentText: "A1 begonnen", contentHtml: "<p>A1 begonnen</p>" });
    expect(await db.biographyNoteVersion.count({ where: { noteId } })).toBe(4);
    const restored = await db.auditLog.findFirstOrThrow({ where: { action: "note.restore", entityId: plainCase }, select: { detail: true, userId: true } });
    expect(restored.userId).toBe(imOwn.user.id);
    expect(JSON.parse(restored.detail!)).toEqual({ noteId, from: 1, version: 4 });
  });

  it("a save or restore based on an old version is refused, nothing is lost", async () => {
    const noteId = noteIdOf(await createNote(imOwn, plainCase, noteFields("Konflikt", "erste")));
    expect((await saveNote(imOwn, plainCase, noteId, noteFields("Konflikt", "aus Tab A", { version: "1" }))).status).toBe(302);
    const stale = await saveNote(imBoth, plainCase, noteId, noteFields("Konflikt B", "aus Tab B", { version: "1" }));
    expect(stale.status).toBe(409);
    // The refused text comes back to the page, which keeps it in the editor.
    const refused = (await stale.json()).unsaved!;
    expect({ reason: refused.reason, title: refused.title, text: refused.contentText, date: refused.noteDate }).toEqual({ reason: "conflict", title: "Konflikt B", text: "aus Tab B", date: "2024-06-14" });
    const staleRestore = await versionsPage.action({ request: postRequest(`/cases/${plainCase}/notes/${noteId}/versions`, imOwn, { restore: "1", version: "1" }), params: { caseId: plainCase, noteId }, ...ctx });
    expect(staleRestore.status).toBe(409);
    expect(await db.biographyNote.findUniqueOrThrow({ where: { id: noteId }, select: { version: true, contentText: true } })).toEqual({ version: 2, contentText: "aus Tab A" });
  });

  it("a save of a note deleted meanwhile keeps the text, which can be created as a new note", async () => {
    const noteId = noteIdOf(await createNote(imOwn, plainCase, noteFields("Gelöscht", "erste")));
    expect((await saveNote(imBoth, plainCase, noteId, { intent: "delete", ground: "inaccurate" })).status).toBe(302);
    const late = await saveNote(imOwn, plainCase, noteId, noteFields("Gelöscht", "noch getippt", { version: "1" }));
    expect(late.status).toBe(404);
    const refused = (await late.json()).unsaved!;
    expect([refused.reason, refused.title, refused.contentText]).toEqual(["gone", "Gelöscht", "noch getippt"]);
    // The page posts it to the new-note route: the same fields (the version is ignored there).
    const again = await createNote(imOwn, plainCase, { ...noteFields(refused.title, "noch getippt"), version: "1" });
    expect(again.status).toBe(302);
    expect(await db.biographyNote.findUniqueOrThrow({ where: { id: noteIdOf(again) }, select: { version: true, contentText: true } })).toEqual({ version: 1, contentText: "noch getippt" });
  });

  it("deleting removes the note with its versions, audited with the legal ground and note; integration managers of other municipalities cannot", async () => {
    const noteId = noteIdOf(await createNote(imOwn, plainCase, noteFields("Zu löschen", "x")));
    expect(await statusOf(() => saveNote(imOther, plainCase, noteId, { intent: "delete", ground: "objection" }))).toBe(404);
    expect((await saveNote(imOwn, plainCase, noteId, { intent: "delete", ground: "objection", note: "Widerspruch vom 3.3." })).status).toBe(302);
    expect(await db.biographyNote.count({ where: { id: noteId } })).toBe(0);
    expect(await db.biographyNoteVersion.count({ where: { noteId } })).toBe(0);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "note.delete", entityId: plainCase, detail: { contains: noteId } } });
    expect(JSON.parse(entry.detail!)).toEqual({ noteId, type: "event", versions: 1, ground: "objection", note: "Widerspruch vom 3.3." });
  });

  it("deleting without a legal ground deletes nothing, says so at the field and gives the note typed back", async () => {
    const noteId = noteIdOf(await createNote(imOwn, plainCase, noteFields("Bleibt", "bleibt")));
    for (const [ground, note, field, message] of [
      ["", "Widerspruch vom 3.3.", "ground", "validation.choose"],
      ["weil ich es sage", "", "ground", "validation.choose"],
      ["objection", "x".repeat(201), "note", 'validation.tooLong|{"max":200}'],
    ] as const) {
      const res = await saveNote(imOwn, plainCase, noteId, { intent: "delete", ground, note });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { deleteResult: { error: Record<string, string[]>; initialValue: Record<string, string> }; unsaved: unknown };
      expect(body.deleteResult.error).toEqual({ [field]: [message] });
      expect(body.deleteResult.initialValue.note ?? "").toBe(note);
      expect(body.unsaved).toBeNull();
    }
    expect(await db.biographyNote.findUniqueOrThrow({ where: { id: noteId }, select: { contentText: true } })).toEqual({ contentText: "bleibt" });
    expect(await db.auditLog.count({ where: { action: "note.delete", detail: { contains: noteId } } })).toBe(0);
  });
});

describe("note content", () => {
  it("hostile rich text and a hostile title are stored harmless", async () => {
    const hostile = JSON.stringify({
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text: "Termin", marks: [{ type: "link", attrs: { href: "jav\tascript:alert(1)", onclick: "alert(1)" } }] }, { type: "text", text: "<img src=x onerror=alert(1)>" }] }],
    });
    const res = await createNote(imOwn, plainCase, { intent: "save", type: "goal", noteDate: "2026-01-31", title: "<script>alert(1)</script>", content: hostile });
    expect(res.status).toBe(302);
    const stored = await db.biographyNote.findUniqueOrThrow({ where: { id: noteIdOf(res) }, select: { contentHtml: true, title: true, noteDate: true } });
    expect(stored.contentHtml).toBe("<p>Termin&lt;img src=x onerror=alert(1)&gt;</p>");
    expect(stored.noteDate).toEqual(new Date("2026-01-31T00:00:00Z")); // a goal may lie in the future
    expect(stored.title).toBe("<script>alert(1)</script>"); // plain text, escaped by React wherever shown
  });

  it("refuses missing fields and filters the list by type", async () => {
    const bad = await createNote(imOwn, plainCase, { intent: "save", type: "", noteDate: "31.01.2026", title: "", content: doc("x") });
    expect(bad.status).toBe(400);
    expect((await bad.json()).result.error).toMatchObject({ type: ["validation.choose"], noteDate: ["validation.invalidDate"], title: ["validation.required"] });
    // A goal may lie ahead, but not in the year 9999.
    const far = await createNote(imOwn, plainCase, noteFields("Zu weit", "x", { type: "goal", noteDate: "9999-12-31" }));
    expect(far.status).toBe(400);
    expect((await far.json()).result.error?.noteDate).toEqual([`validation.dateTooLate|{"year":${new Date().getUTCFullYear() + 10}}`]);
    await createNote(imOwn, plainCase, noteFields("Ein Ziel", "x", { type: "goal", noteDate: "2027-01-01" }));
    const goals = await listOf(imOwn, plainCase, "?type=goal");
    expect(goals.notes.map((n) => n.title)).toContain("Ein Ziel");
    expect(goals.notes.every((n) => n.title !== "Erstgespräch")).toBe(true);
  });
});
