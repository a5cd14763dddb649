// Reading the audit log: filters, pages and the CSV export. Only reads: the log is append-only (the
// database refuses UPDATE and DELETE), and nothing here or anywhere else offers to change an entry.
import { csvLine, type CsvFormat } from "../statistics/csv.ts";
import { db, type Prisma } from "../db/client.server.ts";
import { berlinDayStart, isIsoDate, nextIsoDay } from "./dates.ts";

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = { user?: string; action?: string; entity?: string; entityId?: string; case?: string; from?: string; to?: string };
export const AUDIT_FILTER_KEYS = ["user", "action", "entity", "entityId", "case", "from", "to"] as const;

/** Filters from a query string; unusable values are dropped and reported as i18n keys. */
export function parseAuditFilter(params: URLSearchParams): { filter: AuditFilter; errors: string[] } {
  const filter: AuditFilter = {};
  const errors: string[] = [];
  const text = (key: string, max = 100) => {
    const v = params.get(key)?.trim();
    return v ? v.slice(0, max) : undefined;
  };
  // Usernames, actions and entities are lower-case by construction; lower-casing keeps matching portable.
  filter.user = text("user")?.toLowerCase();
  filter.action = text("action")?.toLowerCase();
  filter.entity = text("entity")?.toLowerCase();
  filter.entityId = text("entityId");
  // Pseudonyms are upper case by construction (LOE-2025-0137); what a data protection officer types may not be.
  filter.case = text("case", 40)?.toUpperCase();
  for (const key of ["from", "to"] as const) {
    const v = text(key, 10);
    if (v === undefined) continue;
    if (isIsoDate(v)) filter[key] = v;
    else errors.push(`admin:audit.badDate|${JSON.stringify({ field: key })}`);
  }
  // Kept as typed (the form shows them again), but said: otherwise the empty result looks like an empty log.
  if (filter.from && filter.to && filter.from > filter.to) errors.push(`admin:audit.fromAfterTo|${JSON.stringify({ from: filter.from, to: filter.to })}`);
  for (const key of AUDIT_FILTER_KEYS) if (filter[key] === undefined) delete filter[key];
  return { filter, errors };
}

export function auditFilterQuery(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const v = filter[key];
    if (v) params.set(key, v);
  }
  return params;
}

/**
 * The action prefix as a condition. Prisma's startsWith is a LIKE without escaping (so `_` and `%` would be
 * wildcards); a prefix with characters other than [a-z0-9.-] is matched exactly against the distinct actions.
 */
async function actionCondition(prefix: string): Promise<Prisma.StringFilter> {
  if (/^[a-z0-9.-]+$/.test(prefix)) return { startsWith: prefix };
  const actions = await db.auditLog.findMany({ distinct: ["action"], select: { action: true } });
  return { in: actions.map((a) => a.action).filter((a) => a.startsWith(prefix)) };
}

/**
 * Everything the log may name about one person, by the case's pseudonym ("who looked at this person's data?"):
 * the case and the ids of its interviews, transcripts and their versions, recordings, consent documents, codings,
 * memos and narratives, plus entries whose detail names one of its interviews, including interviews a withdrawal
 * erased (those entries outlive a transcript or a recording that a withdrawal erased). Null when no case has this pseudonym.
 */
export async function caseCondition(pseudonym: string): Promise<Prisma.AuditLogWhereInput | null> {
  const kase = await db.case.findUnique({ where: { pseudonym }, select: { id: true } });
  if (!kase) return null;
  // A whole withdrawal deletes the interview row; its Withdrawal record keeps the ids, so what was done with the
  // erased interview (and the withdrawal itself) stays findable under the case: Art. 15 access, proof of erasure.
  const [live, withdrawn] = await Promise.all([
    db.interview.findMany({ where: { caseId: kase.id }, select: { id: true } }),
    db.withdrawal.findMany({ where: { caseId: kase.id }, select: { interviewId: true } }),
  ]);
  const interviews = [...new Set([...live.map((r) => r.id), ...withdrawn.map((r) => r.interviewId)])];
  const ofInterviews = { interviewId: { in: interviews } };
  const [transcripts, versions, recordings, documents, codings, memos, narratives] = await Promise.all([
    db.transcript.findMany({ where: ofInterviews, select: { id: true } }),
    db.transcriptVersion.findMany({ where: { transcript: ofInterviews }, select: { id: true } }),
    db.recording.findMany({ where: ofInterviews, select: { id: true } }),
    db.consentDocument.findMany({ where: ofInterviews, select: { id: true } }),
    db.coding.findMany({ where: ofInterviews, select: { id: true } }),
    db.memo.findMany({ where: { OR: [{ caseId: kase.id }, ofInterviews, { coding: ofInterviews }] }, select: { id: true } }),
    db.narrative.findMany({ where: { caseId: kase.id }, select: { id: true } }),
  ]);
  const ids = [kase.id, ...interviews, ...[transcripts, versions, recordings, documents, codings, memos, narratives].flat().map((r) => r.id)];
  // detail is JSON.stringify's output, so a named interview reads exactly `"interviewId":"<id>"`.
  return { OR: [{ entityId: { in: ids } }, ...interviews.map((id) => ({ detail: { contains: `"interviewId":"${id}"` } }))] };
}

/** Dates are calendar days in Europe/Berlin, `to` inclusive. `upToId` pins the rows to one moment. */
export async function auditWhere(filter: AuditFilter, upToId?: number): Promise<Prisma.AuditLogWhereInput> {
  const at: Prisma.DateTimeFilter = {};
  if (filter.from) at.gte = berlinDayStart(filter.from);
  if (filter.to) at.lt = berlinDayStart(nextIsoDay(filter.to));
  // An unknown pseudonym finds nothing (the page says so); it never falls back to the whole log.
  const ofCase = filter.case ? ((await caseCondition(filter.case)) ?? { id: { in: [] } }) : null;
  return {
    ...(ofCase ? { AND: [ofCase] } : {}),
    ...(filter.user ? { username: filter.user } : {}),
    ...(filter.action ? { action: await actionCondition(filter.action) } : {}),
    ...(filter.entity ? { entity: filter.entity } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.from || filter.to ? { at } : {}),
    ...(upToId !== undefined ? { id: { lte: upToId } } : {}),
  };
}

/** The newest entry's id: reading "up to here" keeps entries written meanwhile (e.g. audit.view) out. */
export async function latestAuditId(): Promise<number> {
  const row = await db.auditLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return row?.id ?? 0;
}

const SELECT = { id: true, at: true, userId: true, username: true, action: true, entity: true, entityId: true, detail: true, ip: true } as const;
export type AuditRow = Prisma.AuditLogGetPayload<{ select: typeof SELECT }>;

export async function auditPage(filter: AuditFilter, page: number, upToId: number) {
  const where = await auditWhere(filter, upToId);
  const total = await db.auditLog.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const rows = await db.auditLog.findMany({ where, select: SELECT, orderBy: { id: "desc" }, skip: (current - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE });
  return { rows, total, page: current, pages };
}

/** Newest first, fetched by id cursor in batches, so a large log never sits in memory at once. */
export async function* auditBatches(filter: AuditFilter, upToId: number, batchSize = 1000): AsyncGenerator<AuditRow[]> {
  let below = upToId + 1;
  const where = await auditWhere(filter);
  for (;;) {
    const rows = await db.auditLog.findMany({
      where: { AND: [where, { id: { lt: below } }] },
      select: SELECT,
      orderBy: { id: "desc" },
      take: batchSize,
    });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    below = rows[rows.length - 1]!.id;
  }
}

// ---- CSV -----------------------------------------------------------------------------------------

/**
 * The export's columns: the stored row's, and after the action's code and the stored details their readable form in
 * the reader's language, as the page shows them. The stored JSON stays: ids are what matches entries to records,
 * across exports and languages, and what a script or an Art. 15 request searches for.
 */
export const AUDIT_CSV_COLUMNS = ["id", "at", "username", "userId", "action", "actionLabel", "entity", "entityId", "detail", "detailText", "ip"] as const;

/** The export as a byte stream in the reader's CSV format: BOM, header, then one batch at a time, pulled as the
 *  client reads. */
export function auditCsvStream(
  filter: AuditFilter,
  upToId: number,
  header: string[],
  actionLabel: (action: string) => string,
  format: CsvFormat,
  batchSize = 1000,
  /** the readable details of a batch, in its order ("" for none) */
  detailTexts: (rows: AuditRow[]) => Promise<string[]> = async (rows) => rows.map(() => ""),
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = auditBatches(filter, upToId, batchSize);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(header, format)}`));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) return controller.close();
        const texts = await detailTexts(next.value);
        const cell = (r: AuditRow, i: number, c: (typeof AUDIT_CSV_COLUMNS)[number]) => (c === "actionLabel" ? actionLabel(r.action) : c === "detailText" ? texts[i]! : r[c]);
        controller.enqueue(encoder.encode(next.value.map((r, i) => csvLine(AUDIT_CSV_COLUMNS.map((c) => cell(r, i, c)), format)).join("")));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}

export async function auditCounts() {
  const since = new Date(Date.now() - 24 * 3600_000);
  const [total, lastDay] = await Promise.all([db.auditLog.count(), db.auditLog.count({ where: { at: { gte: since } } })]);
  return { total, lastDay };
}
