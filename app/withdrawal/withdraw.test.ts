// Withdrawal erases everywhere: after a whole withdrawal a scan of every text column of every table finds none of
// the interview's marker strings outside the Withdrawal record and the audit log, and the storage folder holds
// none of its files. A partial withdrawal (audio only) keeps the interview and its consent history. Repeating a
// withdrawal changes nothing; one interrupted between erasers is finished by the next run.
import { STORAGE_DIR } from "./test-storage-env.ts";
import crypto from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { env, isPostgres } from "../env.server.ts";
import { newStorageKey, storage } from "../storage/storage.server.ts";
import { createInterview } from "../interviews/interviews.server.ts";
import { recordConsent, type ConsentValues } from "../interviews/consent.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { CONSENT_SCOPES, scopeColumn, type ConsentScope } from "../consent/scopes.ts";
import { erasers, registerEraser, WITHDRAWAL_PARTS as SERVER_PARTS } from "./erasers.server.ts";
import { WITHDRAWAL_PARTS } from "./parts.ts";
import { createI18n } from "../i18n/config.ts";
import { previewWithdrawal, withdrawInterview } from "./withdraw.server.ts";
import { ctx, ensureReference, getRequest, grantFor, insertCase, jsonOf, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import * as withdrawPage from "../routes/interviews.$interviewId.withdraw.tsx";
import * as listPage from "../routes/interviews._index.tsx";
import * as overviewPage from "../routes/interviews.$interviewId._index.tsx";
import * as interviewLayout from "../routes/interviews.$interviewId.tsx";
import * as transcriptionPage from "../routes/interviews.$interviewId.transcription.tsx";

let researcher: TestUser;
let im: TestUser;
let grant: Grant;
let caseId: string;

const unique = (label: string) => `${label}-${crypto.randomBytes(6).toString("hex")}`;

const consentValues = (scopes: readonly ConsentScope[], infoSheetVersion: string): ConsentValues => ({
  givenBy: "person",
  givenAt: new Date("2025-04-01T00:00:00Z"),
  takenById: researcher.user.id,
  form: "written",
  language: "fa",
  infoSheetVersion,
  copyHandedOver: true,
  interpreterPresent: true,
  interpreterConfidentiality: true,
  ...(Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), scopes.includes(s)])) as Record<ReturnType<typeof scopeColumn>, boolean>),
});

type Planted = { interviewId: string; code: string; markers: string[]; keys: string[]; recordingKeys: string[]; documentKeys: string[] };

/** An interview with everything a withdrawal must find: consent versions, identity, recordings and a scanned form. */
async function plantInterview(): Promise<Planted> {
  const { id: interviewId, code } = await createInterview(null, grant, caseId, {
    date: new Date("2025-04-01T00:00:00Z"),
    placeType: "home",
    languages: ["fa", "de"],
    interviewerId: researcher.user.id,
    interpreterName: unique("Dolmetscherin"),
  });
  const infoSheet = unique("Infoblatt-Marker");
  await recordConsent(null, grant, interviewId, consentValues(["recording", "transcription", "analysis"], infoSheet));
  await recordConsent(null, grant, interviewId, consentValues([...CONSENT_SCOPES], infoSheet));
  const consent = await db.consentRecord.findFirstOrThrow({ where: { interviewId, current: true }, select: { id: true } });
  const markers = [code, infoSheet];
  const recordingKeys: string[] = [];
  const documentKeys: string[] = [];
  for (const n of [1, 2]) {
    const displayName = unique(`Aufnahme ${n} „Küche“ $(rm -rf)`);
    const storageKey = newStorageKey();
    const put = await storage().put(storageKey, Readable.from([Buffer.from(`ID3 fake audio ${displayName}`)]));
    await db.recording.create({ data: { interviewId, storageKey, displayName, mediaType: "audio", contentType: "audio/mpeg", sizeBytes: BigInt(put.size), sha256: put.sha256, createdById: researcher.user.id } });
    markers.push(displayName, storageKey, put.sha256);
    recordingKeys.push(storageKey);
  }
  const docName = unique("Einwilligung-Scan.pdf");
  const docKey = newStorageKey();
  const doc = await storage().put(docKey, Readable.from([Buffer.from(`%PDF-1.4 ${docName}`)]));
  await db.consentDocument.create({ data: { interviewId, consentRecordId: consent.id, storageKey: docKey, displayName: docName, contentType: "application/pdf", sizeBytes: BigInt(doc.size), sha256: doc.sha256, createdById: researcher.user.id } });
  markers.push(docName, docKey, doc.sha256);
  documentKeys.push(docKey);
  return { interviewId, code, markers, keys: [...recordingKeys, ...documentKeys], recordingKeys, documentKeys };
}

/** Stores and kinds of a preview or result that the withdrawal page would show by their code, in either language. */
function unlabelled(counts: Record<string, Record<string, number>>): string[] {
  return (["de", "en"] as const).flatMap((language) => {
    const i18n = createI18n(language);
    return Object.entries(counts).flatMap(([eraser, kinds]) => [
      ...(i18n.exists(`interviews:withdraw.erasers.${eraser}`) ? [] : [`${language} store ${eraser}`]),
      ...Object.keys(kinds).filter((k) => !i18n.exists(`interviews:withdraw.kinds.${k}`)).map((k) => `${language} ${eraser}: ${k}`),
    ]);
  });
}

/** Every text column of every table, from the database's own catalogue. */
async function textColumns(): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  if (isPostgres()) {
    const rows = await db.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
      `SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')`,
    );
    for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  } else {
    const names = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
    for (const { name } of names) {
      const cols = await db.$queryRawUnsafe<{ name: string; type: string }[]>(`PRAGMA table_info("${name}")`);
      // SQLite keeps text in TEXT columns, but any column can hold text: take all but the numeric ones.
      tables.set(name, cols.filter((c) => !/^(INTEGER|REAL|BIGINT|BOOLEAN|DATETIME|DECIMAL)$/i.test(c.type)).map((c) => c.name));
    }
  }
  return tables;
}

/** Where (table.column) any marker occurs. */
async function scan(markers: string[]): Promise<string[]> {
  const hits: string[] = [];
  const tables = await textColumns();
  expect(tables.has("Interview") && tables.has("Recording") && tables.has("AuditLog")).toBe(true);
  for (const [table, columns] of tables) {
    if (!columns.length) continue;
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM "${table}"`);
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column];
        if (value === null || value === undefined) continue;
        const text = typeof value === "string" ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
        for (const m of markers) if (text.includes(m)) hits.push(`${table}.${column}: ${m}`);
      }
    }
  }
  return hits;
}

/** Files in the storage folder (temporary ones included) whose name holds any of the keys. */
function filesOf(keys: string[]): string[] {
  return fs.readdirSync(STORAGE_DIR).filter((f) => keys.some((k) => f.includes(k)));
}

const interviewRows = (interviewId: string) =>
  Promise.all([
    db.interview.count({ where: { id: interviewId } }),
    db.consentRecord.count({ where: { interviewId } }),
    db.interviewIdentity.count({ where: { interviewId } }),
    db.recording.count({ where: { interviewId } }),
    db.consentDocument.count({ where: { interviewId } }),
  ]);

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  researcher = await signedInUser("forschung.widerruf", ["researcher"]);
  im = await signedInUser("im.widerruf", ["integration_manager"], [loerrach]);
  grant = grantFor(researcher.user, "withdraw", "interview");
  caseId = (await insertCase("LOE-2016-0001", loerrach)).id;
});

describe("set-up", () => {
  it("uses this file's storage folder, and the browser's list of parts matches the registry's", () => {
    expect(env().STORAGE_DIR).toBe(STORAGE_DIR);
    expect([...WITHDRAWAL_PARTS]).toEqual([...SERVER_PARTS]);
    // Codings (and what hangs on them) first, running jobs stop next, then memos, files, narrative quotes and
    // passage links; the rows last (the storage eraser reads the keys from them); the search index after the rows;
    // last SQLite's write-ahead log, which still holds the pages as they were before the erasers ran.
    expect(erasers().map((e) => [e.name, e.order])).toEqual([
      ["codings", 5],
      ["transcription", 10],
      ["memos", 15],
      ["storage", 20],
      ["narratives", 30],
      ["passage-links", 80],
      ["database", 90],
      ["search-index", 95],
      ["database-file", 99],
    ]);
  });
});

describe("whole withdrawal", () => {
  let planted: Planted;
  let other: Planted;
  beforeAll(async () => {
    planted = await plantInterview();
    other = await plantInterview();
  });

  it("shows first what will be erased, per store, without erasing anything", async () => {
    const preview = await previewWithdrawal(planted.interviewId, { scope: "whole" });
    const byEraser = Object.fromEntries(preview.map((p) => [p.eraser, p.counts]));
    expect(byEraser.database).toEqual({ interview: 1, consentVersions: 2, interviewIdentity: 1, recordings: 2, consentDocuments: 1 });
    expect(Object.values(byEraser.storage!).reduce((a, b) => a + b, 0)).toBe(3);
    expect(unlabelled(byEraser)).toEqual([]);
    expect(filesOf(planted.keys)).toHaveLength(3);
    expect(await interviewRows(planted.interviewId)).toEqual([1, 2, 1, 2, 1]);
  });

  it("leaves no trace in any table or in storage, except the withdrawal record and the audit log", async () => {
    expect(await scan(planted.markers)).not.toEqual([]); // the scan finds them while they exist
    const { withdrawal, alreadyDone } = await withdrawInterview(null, researcher.user, planted.interviewId, { scope: "whole" });
    expect(alreadyDone).toBe(false);
    expect(withdrawal).toMatchObject({ scope: "whole", status: "done", parts: [...WITHDRAWAL_PARTS] });
    expect(withdrawal.erased.database).toEqual({ consentDocuments: 1, recordings: 2, consentVersions: 2, interviewIdentity: 1, interview: 1 });
    expect(Object.values(withdrawal.erased.storage!).reduce((a, b) => a + b, 0)).toBe(3);
    expect(Object.keys(withdrawal.erased)).toEqual(erasers().map((e) => e.name));
    expect(unlabelled(withdrawal.erased)).toEqual([]);

    const hits = await scan(planted.markers);
    expect(hits.filter((h) => !h.startsWith("Withdrawal.") && !h.startsWith("AuditLog."))).toEqual([]);
    // Only the interview's code is in the audit log (interview.create), nothing from the consent or the files.
    expect(hits.filter((h) => h.startsWith("AuditLog.")).every((h) => h.endsWith(planted.code))).toBe(true);
    expect(filesOf(planted.keys)).toEqual([]);
    expect((await storage().list()).filter((k) => planted.keys.includes(k))).toEqual([]);
    expect(await interviewRows(planted.interviewId)).toEqual([0, 0, 0, 0, 0]);

    // The minimal record: when, what scope, what was erased.
    const record = await db.withdrawal.findFirstOrThrow({ where: { interviewId: planted.interviewId } });
    expect(record).toMatchObject({ scope: "whole", status: "done", caseId });
    expect(record.completedAt).toBeInstanceOf(Date);
    for (const m of planted.markers) expect(JSON.stringify(record)).not.toContain(m);
    const audit = await db.auditLog.findMany({ where: { entityId: planted.interviewId, action: { startsWith: "withdrawal." } }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(["withdrawal.start", "withdrawal.complete"]);
  });

  it("touches no other interview", async () => {
    expect(await interviewRows(other.interviewId)).toEqual([1, 2, 1, 2, 1]);
    expect(filesOf(other.keys)).toHaveLength(3);
    expect(await mayProcess(other.interviewId, "recording")).toEqual({ ok: true });
  });

  it("stops processing: every gate refuses", async () => {
    for (const scope of CONSENT_SCOPES) expect(await mayProcess(planted.interviewId, scope)).toMatchObject({ ok: false, reason: "withdrawn" });
  });

  it("is harmless when run again: the earlier record stands and nothing changes", async () => {
    const before = { withdrawals: await db.withdrawal.count(), audit: await db.auditLog.count(), interviews: await db.interview.count(), files: fs.readdirSync(STORAGE_DIR).sort() };
    const first = await db.withdrawal.findFirstOrThrow({ where: { interviewId: planted.interviewId } });
    const again = await withdrawInterview(null, researcher.user, planted.interviewId, { scope: "whole" });
    expect(again).toMatchObject({ alreadyDone: true, withdrawal: { id: first.id, status: "done" } });
    expect({ withdrawals: await db.withdrawal.count(), audit: await db.auditLog.count(), interviews: await db.interview.count(), files: fs.readdirSync(STORAGE_DIR).sort() }).toEqual(before);
  });

  it("never gives the withdrawn interview's code to a new interview", async () => {
    const next = await createInterview(null, grant, caseId, { date: new Date("2025-05-01T00:00:00Z"), placeType: "office", languages: ["de"], interviewerId: researcher.user.id });
    expect(next.code).not.toBe(planted.code);
    expect(next.code > other.code).toBe(true);
  });
});

describe("partial withdrawal (audio only)", () => {
  let planted: Planted;
  beforeAll(async () => {
    planted = await plantInterview();
  });

  it("removes the recordings, rows and files, and keeps the interview, its consent history and forms", async () => {
    const preview = await previewWithdrawal(planted.interviewId, { scope: "partial", parts: ["recording"] });
    expect(Object.fromEntries(preview.map((p) => [p.eraser, p.counts])).database).toEqual({ recordings: 2 });

    const { withdrawal } = await withdrawInterview(null, researcher.user, planted.interviewId, { scope: "partial", parts: ["recording"] });
    expect(withdrawal).toMatchObject({ scope: "partial", parts: ["recording"], status: "done", erased: { database: { recordings: 2 } } });
    expect(Object.values(withdrawal.erased.storage!).reduce((a, b) => a + b, 0)).toBe(2);

    expect(await interviewRows(planted.interviewId)).toEqual([1, 3, 1, 0, 1]);
    expect(filesOf(planted.recordingKeys)).toEqual([]);
    expect(filesOf(planted.documentKeys)).toHaveLength(1);
    const interview = await db.interview.findUniqueOrThrow({ where: { id: planted.interviewId }, select: { status: true, code: true } });
    expect(interview).toEqual({ status: "planned", code: planted.code });
    // The overview and the transcription page say the recordings were withdrawn (not "none yet, upload one").
    for (const [page, path] of [[overviewPage, ""], [transcriptionPage, "/transcription"]] as const) {
      const data = await jsonOf(() => page.loader({ request: getRequest(`/interviews/${planted.interviewId}${path}`, researcher), params: { interviewId: planted.interviewId }, ...ctx }));
      expect(data.recordingsWithdrawn, path || "overview").toBe((withdrawal.completedAt ?? withdrawal.requestedAt).toISOString());
    }
  });

  it("continues the consent as a new version without the withdrawn scope; the history stays", async () => {
    const versions = await db.consentRecord.findMany({ where: { interviewId: planted.interviewId }, orderBy: { version: "asc" }, select: { version: true, current: true, scopeRecording: true, scopeTranscription: true, infoSheetVersion: true } });
    expect(versions.map((v) => [v.version, v.current, v.scopeRecording, v.scopeTranscription])).toEqual([
      [1, false, true, true],
      [2, false, true, true],
      [3, true, false, true],
    ]);
    expect(new Set(versions.map((v) => v.infoSheetVersion)).size).toBe(1);
    // No new upload: the gate names the scope. Everything else goes on.
    expect(await mayProcess(planted.interviewId, "recording")).toEqual({ ok: false, missing: "recording", reason: "scope-missing" });
    expect(await mayProcess(planted.interviewId, "transcription")).toEqual({ ok: true });
    const entry = await db.auditLog.findFirstOrThrow({ where: { entityId: planted.interviewId, action: "consent.record" }, orderBy: { id: "desc" } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ version: 3, reason: "withdrawal" });
    expect(JSON.parse(entry.detail!).scopes).not.toContain("recording");
  });

  it("is harmless when run again", async () => {
    const before = { withdrawals: await db.withdrawal.count(), versions: await db.consentRecord.count(), audit: await db.auditLog.count() };
    const again = await withdrawInterview(null, researcher.user, planted.interviewId, { scope: "partial", parts: ["recording"] });
    expect(again.alreadyDone).toBe(true);
    expect({ withdrawals: await db.withdrawal.count(), versions: await db.consentRecord.count(), audit: await db.auditLog.count() }).toEqual(before);
  });

  it("can be followed by a whole withdrawal, which then erases the rest", async () => {
    const { withdrawal } = await withdrawInterview(null, researcher.user, planted.interviewId, { scope: "whole" });
    expect(withdrawal.status).toBe("done");
    expect(await interviewRows(planted.interviewId)).toEqual([0, 0, 0, 0, 0]);
    expect(filesOf(planted.keys)).toEqual([]);
    expect((await scan(planted.markers)).filter((h) => !h.startsWith("Withdrawal.") && !h.startsWith("AuditLog."))).toEqual([]);
  });
});

describe("concurrency", () => {
  it("two whole withdrawals at the same moment make one record and erase once", async () => {
    const planted = await plantInterview();
    const results = await Promise.all([
      withdrawInterview(null, researcher.user, planted.interviewId, { scope: "whole" }),
      withdrawInterview(null, researcher.user, planted.interviewId, { scope: "whole" }),
    ]);
    expect(new Set(results.map((r) => r.withdrawal.id)).size).toBe(1);
    expect(await db.withdrawal.count({ where: { interviewId: planted.interviewId } })).toBe(1);
    expect(await interviewRows(planted.interviewId)).toEqual([0, 0, 0, 0, 0]);
    expect(filesOf(planted.keys)).toEqual([]);
  });
});

describe("the withdrawal page", () => {
  it("previews on GET, erases only on the confirming POST, and shows the record on the list", async () => {
    const planted = await plantInterview();
    const url = `/interviews/${planted.interviewId}/withdraw`;
    const page = await jsonOf(() => withdrawPage.loader({ request: getRequest(`${url}?scope=whole`, researcher), params: { interviewId: planted.interviewId }, ...ctx }));
    expect(page.preview.counts.database).toMatchObject({ interview: 1, recordings: 2 });
    expect(await interviewRows(planted.interviewId)).toEqual([1, 2, 1, 2, 1]);

    const partialWithoutParts = await jsonOf(() => withdrawPage.loader({ request: getRequest(`${url}?scope=partial`, researcher), params: { interviewId: planted.interviewId }, ...ctx }));
    expect(partialWithoutParts.preview).toBeNull();
    expect(partialWithoutParts.errors.parts).toEqual(["interviews:validation.parts"]);
    // The form sent with nothing chosen (the browser then sends no scope): said, not silently ignored.
    const nothing = await jsonOf(() => withdrawPage.loader({ request: getRequest(`${url}?preview=1`, researcher), params: { interviewId: planted.interviewId }, ...ctx }));
    expect(nothing.preview).toBeNull();
    expect(nothing.errors.scope).toEqual(["validation.choose"]);

    const res = await withdrawPage.action({ request: postRequest(url, researcher, { intent: "confirm", scope: "whole" }), params: { interviewId: planted.interviewId }, ...ctx });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/interviews\?withdrawal=/);
    expect(await interviewRows(planted.interviewId)).toEqual([0, 0, 0, 0, 0]);
    const list = await jsonOf(() => listPage.loader({ request: getRequest(location, researcher), params: {}, ...ctx }));
    expect(list.withdrawal).toMatchObject({ scope: "whole", status: "done" });
    expect(list.withdrawal.erased.database.recordings).toBe(2);
    // A bookmark or the back button: the interview's pages say it was withdrawn (410), not "does not exist".
    expect(await statusOf(() => interviewLayout.loader({ request: getRequest(`/interviews/${planted.interviewId}`, researcher), params: { interviewId: planted.interviewId }, ...ctx }))).toBe(410);
    expect(await statusOf(() => interviewLayout.loader({ request: getRequest("/interviews/never-was", researcher), params: { interviewId: "never-was" }, ...ctx }))).toBe(404);
  });

  it("is closed to integration managers (403)", async () => {
    const planted = await plantInterview();
    const url = `/interviews/${planted.interviewId}/withdraw`;
    expect(await statusOf(() => withdrawPage.loader({ request: getRequest(url, im), params: { interviewId: planted.interviewId }, ...ctx }))).toBe(403);
    expect(await statusOf(() => withdrawPage.action({ request: postRequest(url, im, { intent: "confirm", scope: "whole" }), params: { interviewId: planted.interviewId }, ...ctx }))).toBe(403);
    expect(await interviewRows(planted.interviewId)).toEqual([1, 2, 1, 2, 1]);
  });
});

// Last: the eraser registered here stays in the registry for the rest of the file.
describe("a crash between erasers", () => {
  it("leaves the withdrawal pending with processing stopped, and the next run finishes it", async () => {
    const planted = await plantInterview();
    let calls = 0;
    registerEraser({
      name: "flaky-index",
      order: 50, // after the files, before the rows
      preview: async () => ({ entries: 0 }),
      erase: async () => {
        calls++;
        if (calls === 1) throw new Error("simulated crash");
        return { entries: 0 };
      },
    });
    await expect(withdrawInterview(null, researcher.user, planted.interviewId, { scope: "whole" })).rejects.toThrow("simulated crash");

    const pending = await db.withdrawal.findFirstOrThrow({ where: { interviewId: planted.interviewId } });
    expect(pending.status).toBe("pending");
    expect(Object.keys(JSON.parse(pending.erased!))).toEqual(["codings", "transcription", "memos", "storage", "narratives"]);
    expect(filesOf(planted.keys)).toEqual([]); // the storage eraser ran
    expect(await interviewRows(planted.interviewId)).toEqual([1, 2, 1, 2, 1]); // the rows not yet
    expect(await mayProcess(planted.interviewId, "recording")).toMatchObject({ ok: false, reason: "withdrawn" });

    // The page offers to finish it; a resumed run completes the job and starts nothing new.
    const url = `/interviews/${planted.interviewId}/withdraw`;
    const page = await jsonOf(() => withdrawPage.loader({ request: getRequest(url, researcher), params: { interviewId: planted.interviewId }, ...ctx }));
    expect(page.pending).toMatchObject({ scope: "whole", status: "pending" });
    const res = await withdrawPage.action({ request: postRequest(url, researcher, { intent: "resume" }), params: { interviewId: planted.interviewId }, ...ctx });
    expect(res.status).toBe(302);
    expect(calls).toBe(2);

    const done = await db.withdrawal.findMany({ where: { interviewId: planted.interviewId } });
    expect(done).toHaveLength(1);
    expect(done[0]!.status).toBe("done");
    expect(JSON.parse(done[0]!.erased!)).toMatchObject({ database: { interview: 1, recordings: 2 }, "flaky-index": { entries: 0 } });
    expect(Object.values(JSON.parse(done[0]!.erased!).storage as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
    expect(await interviewRows(planted.interviewId)).toEqual([0, 0, 0, 0, 0]);
    expect((await scan(planted.markers)).filter((h) => !h.startsWith("Withdrawal.") && !h.startsWith("AuditLog."))).toEqual([]);
  });
});
