// Interviews on the research side. Researchers and admins hold read/write:interview:any, so interview
// queries carry no municipality scope; the case register's scope applies only where case data is shown to
// integration managers (caseInterviews). Identity data (the interpreter's name) goes through
// interview-identity.server.ts only.
import { db, type Db, type Prisma } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { withRaceRetry } from "../db/race-retry.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { mergeFields, pickMerged, type FormValues } from "../utils/field-merge.ts";
import { writeInterpreterName } from "./interview-identity.server.ts";
import type { ErasureGround } from "../consent/erasure-grounds.ts";
import { lockCaseInterviews, mayRecontact, type RecontactResult } from "../consent/gates.server.ts";
import { CODE_PATTERN, INTERVIEW_FORM_FIELDS, INTERVIEW_STATUSES, LIST_PAGE_SIZE, allowedStatuses, interviewFormValues, type InterviewFormField, type InterviewLanguage, type InterviewStatus, type PlaceType, type WorkflowStatus } from "./interview-fields.ts";

const conflict = () => new Response("conflict", { status: 409, statusText: "Conflict" });
const MAX_PER_YEAR = 9999;

export function formatInterviewCode(year: number, n: number): string {
  return `INT-${year}-${String(n).padStart(4, "0")}`;
}

/**
 * The next code of the year: one above the highest ever used. A withdrawal erases the interview row and
 * its code with it, so the append-only audit log (interview.create names the code) is the high-water
 * mark too: a withdrawn interview's number is never given to another person.
 */
export async function nextInterviewCode(tx: Pick<Prisma.TransactionClient, "interview" | "auditLog">, year: number): Promise<string> {
  const prefix = `INT-${year}-`;
  const last = await tx.interview.findFirst({ where: { code: { startsWith: prefix } }, orderBy: { code: "desc" }, select: { code: true } });
  const logged = await tx.auditLog.findMany({ where: { entity: "interview", action: "interview.create", detail: { contains: `"code":"${prefix}` } }, select: { detail: true } });
  const numbers = [last?.code, ...logged.map((l) => /"code":"(INT-\d{4}-\d{4})"/.exec(l.detail ?? "")?.[1])].map((code) => Number(CODE_PATTERN.exec(code ?? "")?.[2] ?? 0));
  const n = Math.max(0, ...numbers) + 1;
  if (n > MAX_PER_YEAR) throw new Error(`all interview codes of ${year} are used`);
  return formatInterviewCode(year, n);
}

/** Active users with the researcher role: who may conduct an interview or take a consent. */
export async function researcherOptions() {
  return db.user.findMany({ where: { active: true, roles: { some: { role: "researcher" } } }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" } });
}

/** The case of a pseudonym (active or archived), or null. Research has no case scope: it sees no case data. */
export async function findCaseByPseudonym(pseudonym: string) {
  return db.case.findUnique({ where: { pseudonym }, select: { id: true } });
}

export type InterviewFields = {
  date: Date;
  placeType: PlaceType;
  languages: InterviewLanguage[];
  interviewerId: string;
  durationMinutes?: number | undefined;
};

type NewInterview = InterviewFields & { interpreterName?: string | undefined; followUpOf?: string | undefined };

/**
 * Creates an interview with a fresh code, and the sealed interpreter name when one is given, in one
 * transaction. The unique index on Interview.code decides races; the loser retries. `client` lets tests race
 * two connections.
 */
/** followUpOf: the interview whose recontact consent allowed this one (mayRecontact), named in the audit entry. */
export async function createInterview(request: Request | null, grant: Grant, caseId: string, fields: NewInterview, client: Db = db) {
  return withRaceRetry(() =>
    client.$transaction(
      async (tx) => {
        const found = await tx.case.findUnique({ where: { id: caseId }, select: { id: true } });
        if (!found) throw notFound();
        return insertInterview(request, grant, tx, caseId, fields);
      },
      // Creations queue on SQLite's single writer; give them time rather than failing under load.
      { maxWait: 15_000, timeout: 15_000 },
    ),
  );
}

/**
 * The form's path: the recontact gate (mayRecontact) is asked inside the transaction that creates the interview, so
 * a withdrawal committed meanwhile cannot be missed. On PostgreSQL the case's interview rows are share-locked first
 * (lockCaseInterviews): a withdrawal writes its interview's row first (withdraw.server.ts) and a consent save locks
 * the rows for update (recordConsent), so one under way is waited for and then seen, and one that starts later waits
 * for this creation. On SQLite the transaction reads one snapshot: a write in between
 * fails the insert (SQLITE_BUSY_SNAPSHOT) and the retry asks again.
 */
export async function createFollowUp(
  request: Request | null,
  grant: Grant,
  caseId: string,
  fields: Omit<NewInterview, "followUpOf">,
  client: Db = db,
): Promise<{ created: { id: string; code: string } } | { refused: Extract<RecontactResult, { ok: false }> }> {
  return withRaceRetry(() =>
    client.$transaction(
      async (tx) => {
        const found = await tx.case.findUnique({ where: { id: caseId }, select: { id: true } });
        if (!found) throw notFound();
        await lockCaseInterviews(tx, caseId, "share");
        const recontact = await mayRecontact(caseId, tx);
        if (!recontact.ok) return { refused: recontact };
        return { created: await insertInterview(request, grant, tx, caseId, { ...fields, followUpOf: recontact.basedOn?.id }) };
      },
      { maxWait: 15_000, timeout: 15_000 },
    ),
  );
}

async function insertInterview(request: Request | null, grant: Grant, tx: Prisma.TransactionClient, caseId: string, fields: NewInterview) {
  const code = await nextInterviewCode(tx, fields.date.getUTCFullYear());
  const created = await tx.interview.create({
    data: {
      code,
      caseId,
      date: fields.date,
      placeType: fields.placeType,
      languages: JSON.stringify(fields.languages),
      interviewerId: fields.interviewerId,
      durationMinutes: fields.durationMinutes ?? null,
      createdById: grant.user.id,
    },
    select: { id: true, code: true },
  });
  const followUp = fields.followUpOf ? { followUpOf: fields.followUpOf, recontactConsent: true } : {};
  await audit(request, grant.user, { action: "interview.create", entity: "interview", entityId: created.id, detail: { code, caseId, ...followUp } }, tx);
  if (fields.interpreterName) await writeInterpreterName(request, grant.user, created.id, fields.interpreterName, tx);
  return created;
}

export function parseLanguages(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** The header every interview page shows, or 404. */
export async function getInterviewHeader(interviewId: string) {
  const row = await db.interview.findUnique({
    where: { id: interviewId },
    select: { id: true, code: true, status: true, date: true, caseId: true, case: { select: { pseudonym: true } } },
  });
  if (!row) throw notFound();
  return row;
}

export async function getInterviewOverview(interviewId: string) {
  const row = await db.interview.findUnique({
    where: { id: interviewId },
    select: {
      id: true,
      caseId: true,
      date: true,
      placeType: true,
      languages: true,
      durationMinutes: true,
      status: true,
      createdAt: true,
      interviewer: { select: { displayName: true } },
      identity: { select: { id: true } },
      recordings: { select: { id: true, displayName: true, mediaType: true, sizeBytes: true, durationMs: true, createdAt: true }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!row) throw notFound();
  const { identity, languages, recordings, interviewer, ...rest } = row;
  return {
    ...rest,
    languages: parseLanguages(languages),
    interviewer: interviewer?.displayName ?? null,
    interpreterPresent: identity !== null,
    recordings: recordings.map((r) => ({ ...r, sizeBytes: Number(r.sizeBytes) })),
  };
}

export async function getInterviewFields(interviewId: string) {
  const row = await db.interview.findUnique({
    where: { id: interviewId },
    select: { id: true, date: true, placeType: true, languages: true, interviewerId: true, durationMinutes: true, status: true, updatedAt: true, identity: { select: { id: true } } },
  });
  if (!row) throw notFound();
  const { identity, languages, ...rest } = row;
  return { ...rest, languages: parseLanguages(languages), interpreterPresent: identity !== null };
}

export type InterviewUpdate = InterviewFields & { status: WorkflowStatus; interpreterName?: string | undefined; removeInterpreter?: boolean | undefined; ground?: ErasureGround | undefined; note?: string | undefined };

export type UpdateResult =
  | { ok: true; changed: string[]; keptTheirs: InterviewFormField[] }
  | { ok: false; error: "status" }
  | { ok: false; error: "changed-meanwhile"; conflicts: InterviewFormField[]; current: FormValues<InterviewFormField>; nextBase: FormValues<InterviewFormField>; proposed: FormValues<InterviewFormField> };

/**
 * Changes metadata and status (one step along the workflow); audits the names of the changed fields. `base` (the
 * values the form was loaded with) merges the save with one made meanwhile, field by field; fields both changed are
 * refused and nothing is saved (ADR 0013). The interpreter's name is only ever replaced or removed, never shown, so
 * it is not merged.
 */
export async function updateInterview(request: Request | null, grant: Grant, interviewId: string, mine: InterviewUpdate, base: Partial<FormValues<InterviewFormField>> | null = null): Promise<UpdateResult> {
  return db.$transaction(async (tx) => {
    const before = await tx.interview.findUnique({
      where: { id: interviewId },
      select: { date: true, placeType: true, languages: true, interviewerId: true, durationMinutes: true, status: true },
    });
    if (!before) throw notFound();
    // Withdrawn (a withdrawal is running or pending): nothing may change any more.
    if (before.status === "withdrawn") throw conflict();
    const theirs: InterviewUpdate = { date: before.date, placeType: before.placeType as PlaceType, languages: parseLanguages(before.languages) as InterviewLanguage[], interviewerId: before.interviewerId ?? "", durationMinutes: before.durationMinutes ?? undefined, status: before.status as WorkflowStatus };
    const current = interviewFormValues(theirs);
    const merge = mergeFields(INTERVIEW_FORM_FIELDS, base, interviewFormValues(mine), current);
    if (merge.conflicts.length) return { ok: false, error: "changed-meanwhile", conflicts: merge.conflicts, current, nextBase: merge.nextBase, proposed: merge.proposed } as const;
    const fields = pickMerged(merge.take, mine, theirs);
    if (!allowedStatuses(before.status).includes(fields.status)) return { ok: false, error: "status" } as const;
    const languages = JSON.stringify(fields.languages);
    // The form edits the calendar day only: the same day keeps the stored instant (rows written with a time of day,
    // such as older demo data, would otherwise count as a changed date and lose their time).
    const sameDay = fields.date.toISOString().slice(0, 10) === before.date.toISOString().slice(0, 10);
    const after = { date: sameDay ? before.date : fields.date, placeType: fields.placeType, languages, interviewerId: fields.interviewerId, durationMinutes: fields.durationMinutes ?? null, status: fields.status };
    const changed: string[] = (Object.keys(after) as (keyof typeof after)[]).filter((k) => {
      const a = before[k];
      const b = after[k];
      return a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b;
    });
    if (changed.length) {
      await tx.interview.update({ where: { id: interviewId }, data: after });
      await audit(request, grant.user, { action: "interview.update", entity: "interview", entityId: interviewId, detail: { changed, ...(changed.includes("status") ? { status: fields.status } : {}) } }, tx);
    }
    if (fields.removeInterpreter) {
      // The form requires the legal ground with a removal (editInterviewSchema); the audit entry keeps it.
      await writeInterpreterName(request, grant.user, interviewId, null, tx, mine.ground ? { ground: mine.ground, note: mine.note } : undefined);
      changed.push("interpreterName");
    } else if (fields.interpreterName) {
      await writeInterpreterName(request, grant.user, interviewId, fields.interpreterName, tx);
      changed.push("interpreterName");
    }
    return { ok: true, changed, keptTheirs: merge.keptTheirs } as const;
  });
}

// ---- list -------------------------------------------------------------------------

export type InterviewListQuery = { page: number; status?: InterviewStatus; casePseudonym?: string; from?: Date; to?: Date };

const dateParam = (v: string | null): Date | undefined => {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const d = new Date(`${v}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v ? undefined : d;
};

/** Reads the list parameters from the URL; anything invalid is ignored. */
export function parseInterviewListQuery(params: URLSearchParams): InterviewListQuery {
  const page = Number(params.get("page"));
  const status = params.get("status");
  const pseudonym = (params.get("case") ?? "").trim().toUpperCase().slice(0, 30);
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    status: (INTERVIEW_STATUSES as readonly string[]).includes(status ?? "") ? (status as InterviewStatus) : undefined,
    casePseudonym: pseudonym || undefined,
    from: dateParam(params.get("from")),
    to: dateParam(params.get("to")),
  };
}

export async function listInterviews(query: InterviewListQuery) {
  const where: Prisma.InterviewWhereInput = {
    AND: [
      query.status ? { status: query.status } : {},
      query.casePseudonym ? { case: { pseudonym: { contains: query.casePseudonym } } } : {},
      query.from ? { date: { gte: query.from } } : {},
      query.to ? { date: { lte: query.to } } : {},
    ],
  };
  const total = await db.interview.count({ where });
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.interview.findMany({
    where,
    orderBy: [{ date: "desc" }, { code: "desc" }],
    skip: (page - 1) * LIST_PAGE_SIZE,
    take: LIST_PAGE_SIZE,
    select: {
      id: true,
      code: true,
      date: true,
      placeType: true,
      languages: true,
      status: true,
      case: { select: { pseudonym: true } },
      interviewer: { select: { displayName: true } },
      _count: { select: { recordings: true } },
    },
  });
  return {
    total,
    page,
    pages,
    rows: rows.map((r) => ({
      id: r.id,
      code: r.code,
      date: r.date,
      placeType: r.placeType,
      languages: parseLanguages(r.languages),
      status: r.status,
      casePseudonym: r.case.pseudonym,
      interviewer: r.interviewer?.displayName ?? null,
      recordings: r._count.recordings,
    })),
  };
}

/** For the case register: that interviews exist (code, date, status), never their content. */
export async function caseInterviews(grant: Grant, caseId: string) {
  const row = await db.case.findFirst({
    where: { id: caseId, ...caseScope(grant) },
    select: { interviews: { select: { code: true, date: true, status: true }, orderBy: [{ date: "desc" }, { code: "desc" }] } },
  });
  if (!row) throw notFound();
  return row.interviews;
}
