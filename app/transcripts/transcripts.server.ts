// Transcripts: load for the editor, save with optimistic concurrency (every save names the version it edited),
// versions and restore, "checked", import. Researchers and admins hold read/write:transcript:any, so the
// queries carry the same case scope as the interview routes (none for :any) and no municipality filter after.
import { db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { normalizeParagraphs, versionCounts, type Paragraph } from "./formats/types.ts";
import { followText, plainText, type EditorAnchors } from "../coding/follow.server.ts";
import { indexTranscript } from "../../search/hooks.server.ts";
import { keepCurrentAsVersion, thinSavedVersions, writeVersion, type VersionKind } from "./versions.server.ts";
import { paragraphSelect, toParagraph } from "./paragraph-rows.ts";
import { parseSpeakerRoles, storedSpeakerRoles, type SpeakerRoles } from "./speakers.ts";
import { exportContexts, redactParagraphs } from "../narratives/export-redaction.server.ts";

type Tx = Prisma.TransactionClient;

/** Statuses an import or a first transcript moves forward to "transcribed". */
const BEFORE_TRANSCRIBED = ["planned", "recorded", "transcribing"];

const interviewWhere = (grant: Grant, interviewId: string) => ({ id: interviewId, case: caseScope(grant) });

/** The interview of a transcript page (id, code, status), or 404. */
export async function findInterview(grant: Grant, interviewId: string) {
  const row = await db.interview.findFirst({ where: interviewWhere(grant, interviewId), select: { id: true, code: true, status: true } });
  if (!row) throw notFound();
  return row;
}

/** Whether the interview has a transcript (for the tabs), without loading it. */
export async function hasTranscript(grant: Grant, interviewId: string): Promise<boolean> {
  return (await db.transcript.count({ where: { interviewId, interview: { case: caseScope(grant) } } })) > 0;
}

/** Recordings the editor can play beside the transcript (oldest first, as on the interview page). */
export async function playableRecordings(grant: Grant, interviewId: string) {
  return db.recording.findMany({
    where: { interviewId, interview: { case: caseScope(grant) } },
    orderBy: { createdAt: "asc" },
    select: { id: true, displayName: true, durationMs: true },
  });
}

/** The transcript of an interview with its paragraphs in order, or null when there is none yet. */
export async function loadTranscript(grant: Grant, interviewId: string) {
  const row = await db.transcript.findFirst({
    where: { interviewId, interview: { case: caseScope(grant) } },
    select: {
      id: true,
      version: true,
      source: true,
      language: true,
      checkedAt: true,
      checkedById: true,
      updatedAt: true,
      speakerRoles: true,
      paragraphs: { orderBy: { position: "asc" }, select: paragraphSelect },
    },
  });
  if (!row) return null;
  const checkedBy = row.checkedById ? await db.user.findUnique({ where: { id: row.checkedById }, select: { displayName: true } }) : null;
  return {
    id: row.id,
    version: row.version,
    source: row.source,
    language: row.language,
    checkedAt: row.checkedAt,
    checkedBy: checkedBy?.displayName ?? null,
    updatedAt: row.updatedAt,
    speakerRoles: parseSpeakerRoles(row.speakerRoles),
    paragraphs: row.paragraphs.map(toParagraph),
  };
}

// Shared with the editor, which compares what it saved with the stored version after a refused save.
export { normalizeParagraphs };

/** Beyond this many changed paragraphs, deleting and inserting all of them is cheaper than updating each. */
const UPDATE_AT_MOST = 50;

/**
 * Makes the stored paragraphs equal `paragraphs` and returns the plain text they had before (for the codings to
 * follow). A save usually corrects a few words: then only the changed rows are updated, instead of deleting and
 * inserting all 1,500 paragraphs of a two-hour interview with their word timings (npm run bench:coding, autosave).
 * Split, merge and larger changes (the count or many rows differ) rewrite them all.
 */
async function writeParagraphs(tx: Tx, transcriptId: string, paragraphs: readonly Paragraph[]): Promise<{ oldText: string; wordsChanged: boolean }> {
  const stored = await tx.transcriptParagraph.findMany({ where: { transcriptId }, orderBy: { position: "asc" }, select: { id: true, ...paragraphSelect } });
  const oldText = plainText(stored);
  // Speakers and words, not times: what a "checked" mark vouches for.
  const wordsOf = (ps: readonly { speaker: string; text: string }[]) => JSON.stringify(ps.map((p) => [p.speaker, p.text]));
  const result = { oldText, wordsChanged: wordsOf(stored) !== wordsOf(paragraphs) };
  const rows = paragraphs.map((p, position) => ({ position, speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text, words: p.words?.length ? JSON.stringify(p.words) : null }));
  if (stored.length === rows.length) {
    const changed = rows.filter((r, i) => {
      const s = stored[i]!;
      return s.speaker !== r.speaker || s.startMs !== r.startMs || s.endMs !== r.endMs || s.text !== r.text || s.words !== r.words;
    });
    if (changed.length <= UPDATE_AT_MOST) {
      for (const r of changed) await tx.transcriptParagraph.update({ where: { id: stored[r.position]!.id }, data: r });
      return result;
    }
  }
  await tx.transcriptParagraph.deleteMany({ where: { transcriptId } });
  await tx.transcriptParagraph.createMany({ data: rows.map((r) => ({ transcriptId, ...r })) });
  return result;
}

/**
 * Search mirrors the new paragraphs, their text and codes (the codings have followed the text by then). Memos need
 * nothing: their entries carry their coding's code, which a change of the text does not touch.
 */
const reindex = (tx: Tx, interviewId: string) => indexTranscript(tx, interviewId);

/** Audit detail of codings moved with the text (only when there were any). */
const codingDetail = (result: { moved: number; orphaned: number } | null) => (result?.moved ? { codingsMoved: result.moved, codingsOrphaned: result.orphaned } : {});

export type SaveResult = { ok: true; version: number } | { ok: false; conflict: true; version: number };

/**
 * Stores the paragraphs as the next version, but only if nobody saved since `baseVersion`: otherwise nothing
 * is written and the caller learns the stored version (409 on the page, never a silent overwrite).
 * Codings follow the text in the same transaction: `anchors` (from the editor) carry the exact positions of the
 * codings it loaded; the others follow a diff of the old and new text (app/coding/follow.server.ts).
 * `speakerRoles` (from the editor): roles given to labels; undefined keeps the stored ones (of labels still in use).
 */
export async function saveTranscript(
  request: Request | null,
  grant: Grant,
  interviewId: string,
  baseVersion: number,
  paragraphs: readonly Paragraph[],
  anchors?: EditorAnchors,
  speakerRoles?: SpeakerRoles,
): Promise<SaveResult> {
  const clean = normalizeParagraphs(paragraphs);
  return db.$transaction(
    async (tx) => {
      const current = await tx.transcript.findFirst({ where: { interviewId, interview: { case: caseScope(grant) } }, select: { id: true, version: true, speakerRoles: true } });
      if (!current) throw notFound();
      if (current.version !== baseVersion) return { ok: false, conflict: true, version: current.version } as const;
      // Written with the paragraphs, before the reindex below reads them for search's speaker filter.
      const roles = JSON.stringify(storedSpeakerRoles(speakerRoles ?? parseSpeakerRoles(current.speakerRoles), clean));
      // The version in the where clause decides a race between two saves of the same base version; the row lock
      // it takes (PostgreSQL) holds the loser back until the winner has committed.
      const bumped = await tx.transcript.updateMany({ where: { id: current.id, version: baseVersion }, data: { version: baseVersion + 1, speakerRoles: roles } });
      if (bumped.count !== 1) {
        const now = await tx.transcript.findUniqueOrThrow({ where: { id: current.id }, select: { version: true } });
        return { ok: false, conflict: true, version: now.version } as const;
      }
      await keepCurrentAsVersion(tx, current.id, baseVersion);
      const version = baseVersion + 1;
      const { oldText, wordsChanged } = await writeParagraphs(tx, current.id, clean);
      await writeVersion(tx, current.id, version, clean, grant.user.id, "save");
      const thinned = await thinSavedVersions(tx, current.id);
      const codings = await followText(tx, current.id, oldText, plainText(clean), anchors);
      // A checked transcript whose words change is checked no more: the mark (and what it allows, e.g. deleting the
      // recording) must not vouch for text nobody checked. Times alone do not undo it.
      let unchecked = false;
      if (wordsChanged) {
        unchecked = (await tx.transcript.updateMany({ where: { id: current.id, checkedAt: { not: null } }, data: { checkedAt: null, checkedById: null } })).count > 0;
        if (unchecked) await tx.interview.updateMany({ where: { id: interviewId, status: "checked" }, data: { status: "transcribed" } });
      }
      await reindex(tx, interviewId);
      const detail = { interviewId, version, paragraphs: clean.length, ...codingDetail(codings), ...(thinned ? { versionsThinned: thinned } : {}), ...(unchecked ? { unchecked } : {}) };
      await audit(request, grant.user, { action: "transcript.save", entity: "transcript", entityId: current.id, detail }, tx);
      return { ok: true, version } as const;
    },
    { maxWait: 15_000, timeout: 30_000 },
  );
}

export async function listVersions(grant: Grant, interviewId: string) {
  const transcript = await db.transcript.findFirst({ where: { interviewId, interview: { case: caseScope(grant) } }, select: { id: true, version: true } });
  if (!transcript) return null;
  const rows = await db.transcriptVersion.findMany({
    where: { transcriptId: transcript.id },
    orderBy: { version: "desc" },
    select: { id: true, version: true, kind: true, createdAt: true, createdById: true, paragraphCount: true, wordCount: true },
  });
  // Versions written before the counts were stored: count them once, from their paragraphs.
  for (const row of rows.filter((r) => r.paragraphCount === null || r.wordCount === null)) {
    const { paragraphs } = await db.transcriptVersion.findUniqueOrThrow({ where: { id: row.id }, select: { paragraphs: true } });
    Object.assign(row, versionCounts(JSON.parse(paragraphs) as Paragraph[]));
    await db.transcriptVersion.update({ where: { id: row.id }, data: { paragraphCount: row.paragraphCount, wordCount: row.wordCount } });
  }
  const userIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const users = await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } });
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  return {
    current: transcript.version,
    versions: rows.map((r) => ({
      version: r.version,
      kind: r.kind as VersionKind | null,
      createdAt: r.createdAt,
      createdBy: r.createdById ? (names.get(r.createdById) ?? null) : null,
      paragraphs: r.paragraphCount ?? 0,
      words: r.wordCount ?? 0,
    })),
  };
}

/** The paragraphs of one stored version (for a look before restoring it), or null. */
export async function versionParagraphs(grant: Grant, interviewId: string, version: number): Promise<{ id: string; paragraphs: Paragraph[] } | null> {
  const row = await db.transcriptVersion.findFirst({
    where: { version, transcript: { interviewId, interview: { case: caseScope(grant) } } },
    select: { id: true, paragraphs: true },
  });
  return row ? { id: row.id, paragraphs: JSON.parse(row.paragraphs) as Paragraph[] } : null;
}

export type RestoreResult = { ok: true; version: number } | { ok: false; reason: "not-found" | "conflict" };

/** Makes an earlier version current again, as a new version (the history only grows). */
export async function restoreVersion(request: Request | null, grant: Grant, interviewId: string, restoredVersion: number): Promise<RestoreResult> {
  return db.$transaction(
    async (tx) => {
      const current = await tx.transcript.findFirst({ where: { interviewId, interview: { case: caseScope(grant) } }, select: { id: true, version: true } });
      if (!current) throw notFound();
      const source = await tx.transcriptVersion.findUnique({ where: { transcriptId_version: { transcriptId: current.id, version: restoredVersion } }, select: { paragraphs: true } });
      if (!source) return { ok: false, reason: "not-found" } as const;
      const version = current.version + 1;
      const bumped = await tx.transcript.updateMany({ where: { id: current.id, version: current.version }, data: { version } });
      if (bumped.count !== 1) return { ok: false, reason: "conflict" } as const;
      await keepCurrentAsVersion(tx, current.id, current.version);
      const paragraphs = normalizeParagraphs(JSON.parse(source.paragraphs) as Paragraph[]);
      const { oldText } = await writeParagraphs(tx, current.id, paragraphs);
      await writeVersion(tx, current.id, version, paragraphs, grant.user.id, "restore");
      const codings = await followText(tx, current.id, oldText, plainText(paragraphs));
      await reindex(tx, interviewId);
      await audit(request, grant.user, { action: "transcript.restore", entity: "transcript", entityId: current.id, detail: { interviewId, restored: restoredVersion, version, ...codingDetail(codings) } }, tx);
      return { ok: true, version } as const;
    },
    { maxWait: 15_000, timeout: 30_000 },
  );
}

export type CheckResult = { ok: true } | { ok: false; conflict: true; version: number };

/** "Checked": a researcher went through this version; the interview's status says so too. */
export async function markChecked(request: Request | null, grant: Grant, interviewId: string, version: number): Promise<CheckResult> {
  return db.$transaction(async (tx) => {
    const current = await tx.transcript.findFirst({ where: { interviewId, interview: { case: caseScope(grant) } }, select: { id: true, version: true } });
    if (!current) throw notFound();
    if (current.version !== version) return { ok: false, conflict: true, version: current.version } as const;
    await tx.transcript.update({ where: { id: current.id }, data: { checkedAt: new Date(), checkedById: grant.user.id } });
    await tx.interview.updateMany({ where: { id: interviewId, status: { not: "withdrawn" } }, data: { status: "checked" } });
    await audit(request, grant.user, { action: "transcript.check", entity: "transcript", entityId: current.id, detail: { interviewId, version } }, tx);
    return { ok: true } as const;
  });
}

export type ImportResult = { ok: true; version: number; replaced: boolean };

/**
 * Attaches imported paragraphs to the interview (with or without a recording). An existing transcript is
 * replaced only when the caller says so (the form asks for confirmation); its state stays as a version.
 */
export async function importTranscript(
  request: Request | null,
  grant: Grant,
  interviewId: string,
  paragraphs: readonly Paragraph[],
  options: { format: string; replace: boolean; origin?: "own" | "external" },
): Promise<ImportResult | { ok: false; reason: "exists" | "conflict" }> {
  const clean = normalizeParagraphs(paragraphs);
  return db.$transaction(
    async (tx) => {
      const interview = await tx.interview.findFirst({ where: interviewWhere(grant, interviewId), select: { id: true, status: true } });
      if (!interview) throw notFound();
      const existing = await tx.transcript.findUnique({ where: { interviewId }, select: { id: true, version: true } });
      if (existing && !options.replace) return { ok: false, reason: "exists" } as const;
      let transcriptId: string;
      let version: number;
      let oldText: string | null = null;
      if (existing) {
        version = existing.version + 1;
        transcriptId = existing.id;
        const bumped = await tx.transcript.updateMany({ where: { id: existing.id, version: existing.version }, data: { version, source: "import", checkedAt: null, checkedById: null } });
        if (bumped.count !== 1) return { ok: false, reason: "conflict" } as const;
        await keepCurrentAsVersion(tx, existing.id, existing.version);
      } else {
        version = 1;
        transcriptId = (await tx.transcript.create({ data: { interviewId, source: "import", version }, select: { id: true } })).id;
      }
      const previousText = (await writeParagraphs(tx, transcriptId, clean)).oldText;
      if (existing) oldText = previousText;
      await writeVersion(tx, transcriptId, version, clean, grant.user.id, "import");
      const codings = oldText === null ? null : await followText(tx, transcriptId, oldText, plainText(clean), undefined, { replaced: true });
      await reindex(tx, interviewId);
      if (BEFORE_TRANSCRIBED.includes(interview.status)) await tx.interview.update({ where: { id: interviewId }, data: { status: "transcribed" } });
      await audit(
        request,
        grant.user,
        { action: "transcript.import", entity: "transcript", entityId: transcriptId, detail: { interviewId, format: options.format, paragraphs: clean.length, version, replaced: Boolean(existing), ...(options.origin ? { origin: options.origin } : {}), ...codingDetail(codings) } },
        tx,
      );
      return { ok: true, version, replaced: Boolean(existing) } as const;
    },
    { maxWait: 15_000, timeout: 30_000 },
  );
}

/** Paragraphs for an export, with the interview code for the file name; the export is audited. */
export async function transcriptForExport(request: Request, grant: Grant, interviewId: string, format: string, { replaceIdentifying = true } = {}) {
  const interview = await findInterview(grant, interviewId);
  const transcript = await loadTranscript(grant, interviewId);
  if (!transcript) return { interview, paragraphs: null, language: null };
  // The file leaves the system like the project export: identifying details replaced unless asked otherwise.
  let { paragraphs } = transcript;
  let replaced = 0;
  if (replaceIdentifying) {
    const { caseId } = await db.interview.findUniqueOrThrow({ where: { id: interview.id }, select: { caseId: true } });
    ({ paragraphs, replaced } = redactParagraphs(transcript.paragraphs, await exportContexts(request, grant.user, format).forCase(caseId)));
  }
  await audit(request, grant.user, { action: "transcript.export", entity: "transcript", entityId: transcript.id, detail: { interviewId, format, version: transcript.version, identifying: replaceIdentifying ? "replaced" : "kept", replaced } });
  return { interview, paragraphs, language: transcript.language };
}
