// Codings on a transcript: list, apply codes to a passage, resize/re-anchor/comment, remove. The API the transcript
// editor builds against. Offsets are code points of the transcript's plain text (./anchoring.ts, ADR 0008).
// Every change records its author, refreshes the quote, is audited and tells search (same transaction), and is
// gated by consent: "analysis" for any coding, "specialCategories" for codes flagged as Art. 9 content (X.GES).
import { db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { caseScope, hasPermission, type Grant } from "../permissions/permissions.server.ts";
import { forbidden, notFound } from "../utils/responses.server.ts";
import { codingsChanged } from "../../search/hooks.server.ts";
import { OffsetMap, editsFromDiff, followDiff, isValidSpan, type Span } from "./anchoring.ts";
import { currentTextMap, versionText } from "./follow.server.ts";

type Tx = Prisma.TransactionClient;

export type CodingView = {
  id: string;
  codeId: string;
  start: number;
  end: number;
  quote: string;
  orphaned: boolean;
  comment: string | null;
  /** display name of the author */
  createdBy: string | null;
  createdAt: Date;
};

export type CodingRefusal = "consent-analysis" | "consent-special" | "range" | "unknown-code" | "stale";

const codingSelect = {
  id: true,
  codeId: true,
  start: true,
  end: true,
  quote: true,
  orphaned: true,
  comment: true,
  createdAt: true,
  createdById: true,
} as const;

type CodingRow = { id: string; codeId: string; start: number; end: number; quote: string; orphaned: boolean; comment: string | null; createdAt: Date; createdById: string | null };

async function withAuthors(rows: CodingRow[], tx: Pick<Tx, "user"> = db, known?: { id: string; displayName: string }): Promise<CodingView[]> {
  // the acting user's own new codings need no look-up
  if (known && rows.every((r) => r.createdById === known.id)) return rows.map(({ createdById: _id, ...r }) => ({ ...r, createdBy: known.displayName }));
  const ids = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const users = ids.length ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  return rows.map(({ createdById, ...r }) => ({ ...r, createdBy: createdById ? (names.get(createdById) ?? null) : null }));
}

/** The interview's transcript (id, version) within the grant's case scope, or 404. */
async function transcriptInScope(tx: Pick<Tx, "transcript">, grant: Grant, interviewId: string) {
  const transcript = await tx.transcript.findFirst({ where: { interviewId, interview: { case: caseScope(grant) } }, select: { id: true, version: true, interviewId: true } });
  if (!transcript) throw notFound();
  return transcript;
}

function requireWrite(grant: Grant) {
  if (!hasPermission(grant.user, "write", "coding")) throw forbidden();
}

/** The codings of an interview's transcript, in text order, with the transcript version they refer to. */
export async function listCodings(grant: Grant, interviewId: string): Promise<{ transcriptVersion: number; codings: CodingView[] }> {
  const transcript = await transcriptInScope(db, grant, interviewId);
  const rows = await db.coding.findMany({ where: { transcriptId: transcript.id }, orderBy: [{ start: "asc" }, { end: "desc" }, { createdAt: "asc" }], select: codingSelect });
  return { transcriptVersion: transcript.version, codings: await withAuthors(rows) };
}

/** The consent refusal for coding this interview with these codes, or null when allowed. */
async function consentRefusal(interviewId: string, specialCategory: boolean): Promise<CodingRefusal | null> {
  if (!(await mayProcess(interviewId, "analysis")).ok) return "consent-analysis";
  if (specialCategory && !(await mayProcess(interviewId, "specialCategories")).ok) return "consent-special";
  return null;
}

/**
 * A span the client gave for `transcriptVersion`, in the current text: unchanged when that version is current,
 * mapped through the diff of that version's text and the current one when it is older, "stale" when that
 * version is unknown or its words are gone, "range" when it does not lie inside the text.
 */
async function spanInCurrentText(tx: Tx, transcript: { id: string; version: number }, transcriptVersion: number, span: Span, current: OffsetMap): Promise<Span | "range" | "stale"> {
  if (transcriptVersion === transcript.version) return isValidSpan(span, current.length) ? span : "range";
  if (transcriptVersion > transcript.version || transcriptVersion < 1) return "stale";
  const before = await versionText(tx, transcript.id, transcriptVersion);
  if (before === null) return "stale";
  const old = new OffsetMap(before);
  if (!isValidSpan(span, old.length)) return "range";
  const mapped = followDiff(old, { ...span, orphaned: false }, current, editsFromDiff(before, current.text));
  return mapped.orphaned ? "stale" : { start: mapped.start, end: mapped.end };
}

export type ApplyInput = { transcriptVersion: number; start: number; end: number; codeIds: string[] };
export type ApplyResult = { ok: true; codings: CodingView[] } | { ok: false; reason: CodingRefusal };

/**
 * Codes a passage with one or more codes. A code already on exactly this passage is not added twice (its existing
 * coding is returned). Returns the codings of the passage for the given codes.
 */
export async function applyCodes(request: Request | null, grant: Grant, interviewId: string, input: ApplyInput): Promise<ApplyResult> {
  requireWrite(grant);
  const codeIds = [...new Set(input.codeIds)];
  const [, codes] = await Promise.all([
    transcriptInScope(db, grant, interviewId),
    codeIds.length ? db.code.findMany({ where: { id: { in: codeIds } }, select: { id: true, specialCategory: true } }) : [],
  ]);
  if (!codeIds.length || codes.length !== codeIds.length) return { ok: false, reason: "unknown-code" };
  const refusal = await consentRefusal(interviewId, codes.some((c) => c.specialCategory));
  if (refusal) return { ok: false, reason: refusal };

  return db.$transaction(
    async (tx) => {
      const transcript = await transcriptInScope(tx, grant, interviewId);
      const text = await currentTextMap(tx, transcript.id, transcript.version);
      const span = await spanInCurrentText(tx, transcript, input.transcriptVersion, { start: input.start, end: input.end }, text);
      if (typeof span === "string") return { ok: false, reason: span } as const;
      const quote = text.slice(span.start, span.end);
      const existing = await tx.coding.findMany({ where: { transcriptId: transcript.id, start: span.start, end: span.end, codeId: { in: codeIds }, orphaned: false }, select: codingSelect });
      const have = new Set(existing.map((c) => c.codeId));
      const created: CodingRow[] = [];
      for (const codeId of codeIds) {
        if (have.has(codeId)) continue;
        created.push(
          await tx.coding.create({
            data: { transcriptId: transcript.id, interviewId, codeId, start: span.start, end: span.end, quote, createdById: grant.user.id },
            select: codingSelect,
          }),
        );
      }
      if (created.length) {
        await audit(request, grant.user, { action: "coding.apply", entity: "coding", entityId: created.length === 1 ? created[0]!.id : null, detail: { interviewId, codingIds: created.map((c) => c.id), codeIds: created.map((c) => c.codeId), start: span.start, end: span.end } }, tx);
        // a new coding has no memos yet: only the passages under it change
        await codingsChanged(tx, interviewId, { spans: [span], memos: false });
      }
      return { ok: true, codings: await withAuthors([...existing, ...created], tx, grant.user) } as const;
    },
    { maxWait: 15_000, timeout: 30_000 },
  );
}

/** A coding within the grant's case scope with its code's flag, or 404. */
async function codingInScope(tx: Pick<Tx, "coding">, grant: Grant, codingId: string) {
  const coding = await tx.coding.findFirst({
    where: { id: codingId, interview: { case: caseScope(grant) } },
    select: { ...codingSelect, transcriptId: true, interviewId: true, code: { select: { specialCategory: true } } },
  });
  if (!coding) throw notFound();
  return coding;
}

export type UpdateInput = { transcriptVersion: number; start?: number; end?: number; comment?: string | null };
export type UpdateResult = { ok: true; coding: CodingView } | { ok: false; reason: CodingRefusal };

/** Resizes a coding, re-anchors an orphan (a new span makes it whole again) or sets its comment ("" clears it). */
export async function updateCoding(request: Request | null, grant: Grant, codingId: string, input: UpdateInput): Promise<UpdateResult> {
  requireWrite(grant);
  const found = await codingInScope(db, grant, codingId);
  const refusal = await consentRefusal(found.interviewId, found.code.specialCategory);
  if (refusal) return { ok: false, reason: refusal };

  return db.$transaction(
    async (tx) => {
      const coding = await codingInScope(tx, grant, codingId);
      const data: Prisma.CodingUpdateInput = {};
      const changed: string[] = [];
      if (input.start !== undefined || input.end !== undefined) {
        const transcript = await tx.transcript.findUniqueOrThrow({ where: { id: coding.transcriptId }, select: { id: true, version: true } });
        const text = await currentTextMap(tx, transcript.id, transcript.version);
        // a side not given keeps its current place (only meaningful when the client's version is current)
        const wanted = { start: input.start ?? coding.start, end: input.end ?? coding.end };
        const span = await spanInCurrentText(tx, transcript, input.transcriptVersion, wanted, text);
        if (typeof span === "string") return { ok: false, reason: span } as const;
        Object.assign(data, { start: span.start, end: span.end, orphaned: false, quote: text.slice(span.start, span.end) });
        changed.push("range");
      }
      if (input.comment !== undefined) {
        data.comment = input.comment?.trim() ? input.comment.trim() : null;
        changed.push("comment");
      }
      const row = changed.length ? await tx.coding.update({ where: { id: coding.id }, data, select: codingSelect }) : coding;
      if (changed.length) {
        await audit(request, grant.user, { action: "coding.update", entity: "coding", entityId: coding.id, detail: { interviewId: coding.interviewId, changed, start: row.start, end: row.end } }, tx);
        // the passages under its old and new range (an orphan had no range: all passages); its memos keep its code
        if (changed.includes("range")) await codingsChanged(tx, coding.interviewId, coding.orphaned ? undefined : { spans: [coding, row], memos: false });
      }
      const [view] = await withAuthors([row], tx);
      return { ok: true, coding: view! } as const;
    },
    { maxWait: 15_000, timeout: 30_000 },
  );
}

/**
 * Removes a coding (its memos and passage links go with it, by cascade). Not gated by consent: taking data out of
 * the analysis is always allowed.
 */
export async function removeCoding(request: Request | null, grant: Grant, codingId: string): Promise<{ ok: true }> {
  requireWrite(grant);
  return db.$transaction(async (tx) => {
    const coding = await codingInScope(tx, grant, codingId);
    await tx.coding.delete({ where: { id: coding.id } });
    await audit(request, grant.user, { action: "coding.remove", entity: "coding", entityId: coding.id, detail: { interviewId: coding.interviewId, codeId: coding.codeId } }, tx);
    // its memos went with it (cascade): their entries go too
    await codingsChanged(tx, coding.interviewId, coding.orphaned ? undefined : { spans: [coding], memos: true });
    return { ok: true } as const;
  });
}
