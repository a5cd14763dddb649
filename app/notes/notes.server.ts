// Biography notes: counselling data on a case, written by the case's integration managers. Who sees them is
// decided by counsellingCaseScope(grant), inside every query: integration managers their municipalities'
// cases, admins all, researchers (read-only) only cases whose person consented to linking; for everyone else
// the case does not exist (404). Research consent never restricts the counselling side. Every read and change
// is audited; every save keeps a version.
import { db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { counsellingCaseScope, type Grant } from "../permissions/permissions.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { safeHtml, sanitizeRichText, type SanitizedRichText } from "../rich-text/sanitize.server.ts";
import { indexNote, removeNote } from "../../search/hooks.server.ts";
import { userNames } from "../memos/users.server.ts";
import type { NoteType } from "./note-fields.ts";
import { erasureAuditDetail, type ErasureGround } from "../consent/erasure-grounds.ts";

type Client = Pick<Prisma.TransactionClient, "case">;

/** The case, if the grant may see its notes; else 404 (also for researchers without linking consent). */
export async function requireNoteCase(grant: Grant, caseId: string, client: Client = db) {
  const row = await client.case.findFirst({ where: { id: caseId, ...counsellingCaseScope(grant) }, select: { id: true, pseudonym: true } });
  if (!row) throw notFound();
  return row;
}

/** Reads are audited too; `access` tells a researcher's (linked) read from counselling work. */
async function auditRead(request: Request | null, grant: Grant, caseId: string, detail: Record<string, unknown>) {
  await audit(request, grant.user, { action: "note.view", entity: "case", entityId: caseId, detail: { access: grant.access, ...detail } });
}

export async function listNotes(request: Request | null, grant: Grant, caseId: string, filter: { type?: NoteType | undefined } = {}) {
  await requireNoteCase(grant, caseId);
  const rows = await db.biographyNote.findMany({
    where: { caseId, case: counsellingCaseScope(grant), ...(filter.type ? { type: filter.type } : {}) },
    orderBy: [{ noteDate: "desc" }, { createdAt: "desc" }],
    select: { id: true, type: true, noteDate: true, title: true, contentHtml: true, version: true, authorId: true, createdAt: true, updatedAt: true },
  });
  await auditRead(request, grant, caseId, { notes: rows.length });
  const names = await userNames(rows.map((r) => r.authorId));
  return rows.map(({ authorId, contentHtml, ...r }) => ({ ...r, type: r.type as NoteType, contentHtml: safeHtml(contentHtml), author: authorId ? (names.get(authorId) ?? null) : null }));
}

export async function getNote(request: Request | null, grant: Grant, caseId: string, noteId: string) {
  const row = await db.biographyNote.findFirst({
    where: { id: noteId, caseId, case: counsellingCaseScope(grant) },
    select: { id: true, type: true, noteDate: true, title: true, contentJson: true, contentHtml: true, contentText: true, version: true, authorId: true, createdAt: true, updatedAt: true },
  });
  if (!row) throw notFound();
  await auditRead(request, grant, caseId, { noteId });
  const names = await userNames([row.authorId]);
  const { authorId, contentHtml, ...rest } = row;
  return { ...rest, type: row.type as NoteType, contentHtml: safeHtml(contentHtml), author: authorId ? (names.get(authorId) ?? null) : null };
}

export async function listVersions(request: Request | null, grant: Grant, caseId: string, noteId: string) {
  const note = await db.biographyNote.findFirst({ where: { id: noteId, caseId, case: counsellingCaseScope(grant) }, select: { id: true, title: true, version: true } });
  if (!note) throw notFound();
  const versions = await db.biographyNoteVersion.findMany({
    where: { noteId },
    orderBy: { version: "desc" },
    select: { version: true, type: true, noteDate: true, title: true, contentHtml: true, editedById: true, createdAt: true },
  });
  await auditRead(request, grant, caseId, { noteId, versions: versions.length });
  const names = await userNames(versions.map((v) => v.editedById));
  return {
    note,
    versions: versions.map(({ editedById, contentHtml, ...v }) => ({ ...v, type: v.type as NoteType, contentHtml: safeHtml(contentHtml), editedBy: editedById ? (names.get(editedById) ?? null) : null })),
  };
}

export type NoteFields = { type: NoteType; noteDate: Date; title: string };

/** Someone saved the note meanwhile: the form's version is no longer the newest. */
export class NoteConflict extends Error {
  constructor(readonly current: number) {
    super("note changed meanwhile");
  }
}

export async function createNote(request: Request | null, grant: Grant, caseId: string, fields: NoteFields, content: SanitizedRichText) {
  return db.$transaction(async (tx) => {
    await requireNoteCase(grant, caseId, tx);
    const data = { ...fields, contentJson: content.json, contentHtml: content.html };
    const note = await tx.biographyNote.create({
      data: { caseId, ...data, contentText: content.text, version: 1, authorId: grant.user.id, versions: { create: { version: 1, ...data, editedById: grant.user.id } } },
      select: { id: true },
    });
    await audit(request, grant.user, { action: "note.create", entity: "case", entityId: caseId, detail: { noteId: note.id, type: fields.type } }, tx);
    await indexNote(tx, note.id);
    return note;
  });
}

async function noteInScope(tx: Prisma.TransactionClient, grant: Grant, caseId: string, noteId: string) {
  const row = await tx.biographyNote.findFirst({
    where: { id: noteId, caseId, case: counsellingCaseScope(grant) },
    select: { id: true, version: true, type: true, noteDate: true, title: true, contentJson: true },
  });
  if (!row) throw notFound();
  return row;
}

/** Writes the next version (note row and history row); the base version guards against lost updates. */
async function writeVersion(tx: Prisma.TransactionClient, grant: Grant, noteId: string, baseVersion: number, fields: NoteFields, content: SanitizedRichText) {
  const data = { ...fields, contentJson: content.json, contentHtml: content.html };
  const next = baseVersion + 1;
  const { count } = await tx.biographyNote.updateMany({ where: { id: noteId, version: baseVersion }, data: { ...data, contentText: content.text, version: next } });
  if (count === 0) throw new NoteConflict(baseVersion);
  await tx.biographyNoteVersion.create({ data: { noteId, version: next, ...data, editedById: grant.user.id } });
  return next;
}

export async function updateNote(request: Request | null, grant: Grant, caseId: string, noteId: string, baseVersion: number, fields: NoteFields, content: SanitizedRichText) {
  return db.$transaction(async (tx) => {
    const before = await noteInScope(tx, grant, caseId, noteId);
    if (before.version !== baseVersion) throw new NoteConflict(before.version);
    const changed = [
      before.type !== fields.type && "type",
      before.noteDate.getTime() !== fields.noteDate.getTime() && "noteDate",
      before.title !== fields.title && "title",
      before.contentJson !== content.json && "content",
    ].filter((c): c is string => Boolean(c));
    if (!changed.length) return { version: before.version, changed };
    const version = await writeVersion(tx, grant, noteId, baseVersion, fields, content);
    await audit(request, grant.user, { action: "note.update", entity: "case", entityId: caseId, detail: { noteId, version, changed } }, tx);
    await indexNote(tx, noteId);
    return { version, changed };
  });
}

/** Restoring never rewrites history: the old version's content becomes a new version. */
export async function restoreVersion(request: Request | null, grant: Grant, caseId: string, noteId: string, fromVersion: number, baseVersion: number) {
  return db.$transaction(async (tx) => {
    const before = await noteInScope(tx, grant, caseId, noteId);
    if (before.version !== baseVersion) throw new NoteConflict(before.version);
    const old = await tx.biographyNoteVersion.findUnique({ where: { noteId_version: { noteId, version: fromVersion } }, select: { type: true, noteDate: true, title: true, contentJson: true } });
    if (!old) throw notFound();
    const content = sanitizeRichText({ json: old.contentJson });
    const version = await writeVersion(tx, grant, noteId, baseVersion, { type: old.type as NoteType, noteDate: old.noteDate, title: old.title }, content);
    await audit(request, grant.user, { action: "note.restore", entity: "case", entityId: caseId, detail: { noteId, from: fromVersion, version } }, tx);
    await indexNote(tx, noteId);
    return { version };
  });
}

/** Deletes the note and its versions for good; the audit entry names the legal ground and the optional note. */
export async function deleteNote(request: Request | null, grant: Grant, caseId: string, noteId: string, erasure: { ground: ErasureGround; note?: string | undefined }) {
  await db.$transaction(async (tx) => {
    const before = await noteInScope(tx, grant, caseId, noteId);
    await removeNote(tx, noteId);
    await tx.biographyNoteVersion.deleteMany({ where: { noteId } });
    await tx.biographyNote.delete({ where: { id: noteId } });
    await audit(request, grant.user, { action: "note.delete", entity: "case", entityId: caseId, detail: { noteId, type: before.type, versions: before.version, ...erasureAuditDetail(erasure) } }, tx);
  });
}
