// The log page's details and objects: the stored JSON parsed, and the ids of records named by what the app shows
// for them anyway (pseudonym, interview code, username, municipality name, indicator and code names, or a label
// built from one). Never a display name, identity value, memo or narrative title: the page must not show more about
// a person than the entry itself holds.
import { db } from "../db/client.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { accessFor } from "../permissions/roles.ts";
import {
  AUDIT_ACTION_REF_KEYS,
  AUDIT_ACTION_TERM_KEYS,
  AUDIT_BATCH_ACTIONS,
  AUDIT_ENTITY_REFS,
  AUDIT_ERASED_LABELS,
  AUDIT_QUERY_KEYS,
  AUDIT_REF_KEYS,
  AUDIT_TERM_KEYS,
  auditDetailKey,
  type AuditDetail,
  type AuditDetailEntry,
  type AuditDetailValue,
  type AuditQueryParam,
  type AuditRefKind,
} from "./detail.ts";

// nameEn: the English name where the record has one of its own (a code's nameEn); the page picks by its language.
type Named = { name: string; nameEn?: string; href: string | null };
type Names = Record<AuditRefKind, Map<string, Named>>;
type Ids = Record<AuditRefKind, Set<string>>;

const REF_KINDS: AuditRefKind[] = ["case", "interview", "user", "municipality", "indicator", "code", "narrative", "memo", "transcript"];

function parse(detail: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(detail);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The ref kind of a detail key in this action, if its value names records. */
const refOf = (key: string, action: string): AuditRefKind | undefined => AUDIT_ACTION_REF_KEYS[action]?.[key] ?? AUDIT_REF_KEYS[key];

/** A detail value stored as a query string (filters, a memo's target): its parameters, each with its values. */
function queryOf(key: string, v: unknown, action: string): [string, string[], AuditQueryParam | undefined][] | null {
  const params = AUDIT_QUERY_KEYS[action]?.[key];
  if (!params || typeof v !== "string" || !v.includes("=")) return null;
  const query = new URLSearchParams(v);
  return [...new Set(query.keys())].map((name) => [name, query.getAll(name), params[name]]);
}

/** The ids per kind of record that the details name (a string or a list of strings), at any depth of nesting. */
function collectIds(object: Record<string, unknown>, action: string, into: Ids) {
  for (const [key, value] of Object.entries(object)) {
    const ref = refOf(key, action);
    const query = queryOf(key, value, action);
    if (query) {
      for (const [, values, param] of query) if (param?.ref) for (const v of values) into[param.ref].add(v);
    } else if (ref && typeof value === "string") into[ref].add(value);
    else if (ref && Array.isArray(value)) {
      for (const v of value) if (typeof v === "string") into[ref].add(v);
    } else if (isObject(value)) collectIds(value, action, into);
  }
}

/** Names for the ids, and a link only where the reader's own permissions open that page. One query per kind named. */
async function names(ids: Ids, reader: SessionUser): Promise<Names> {
  const caseAccess = accessFor(reader.roles, "read", "case");
  const mayOpenCase = (municipalityId: string) => caseAccess === "any" || (caseAccess === "own" && reader.municipalityIds.includes(municipalityId));
  const may = (action: string, entity: string) => accessFor(reader.roles, action, entity) !== null;
  const mayOpenInterview = may("read", "interview");
  const mayOpenUser = may("manage", "users");
  const mayOpenIndicator = may("manage", "indicators");
  const mayOpenCode = may("read", "codebook");
  // The commissioner reads released narratives only (read:narrative:released), not the research page linked here.
  const mayOpenNarrative = accessFor(reader.roles, "read", "narrative") === "any";
  const mayOpenMemo = may("read", "memo");
  const mayOpenTranscript = may("read", "transcript");
  const find = <T>(kind: AuditRefKind, query: (ids: string[]) => Promise<T[]>): Promise<T[]> => (ids[kind].size ? query([...ids[kind]]) : Promise.resolve([]));
  const [cases, interviews, users, municipalities, indicators, codes, narratives, memos, transcripts] = await Promise.all([
    find("case", (id) => db.case.findMany({ where: { id: { in: id } }, select: { id: true, pseudonym: true, municipalityId: true } })),
    find("interview", (id) => db.interview.findMany({ where: { id: { in: id } }, select: { id: true, code: true, status: true } })),
    find("user", (id) => db.user.findMany({ where: { id: { in: id } }, select: { id: true, username: true } })),
    find("municipality", (id) => db.municipality.findMany({ where: { id: { in: id } }, select: { id: true, name: true } })),
    find("indicator", (id) => db.indicatorDefinition.findMany({ where: { id: { in: id } }, select: { id: true, code: true } })),
    find("code", (id) => db.code.findMany({ where: { id: { in: id } }, select: { id: true, key: true, name: true, nameEn: true } })),
    find("narrative", (id) => db.narrative.findMany({ where: { id: { in: id } }, select: { id: true, case: { select: { pseudonym: true } } } })),
    find("memo", (id) =>
      db.memo.findMany({ where: { id: { in: id } }, select: { id: true, interview: { select: { code: true } }, case: { select: { pseudonym: true } }, code: { select: { key: true, name: true, nameEn: true } } } }),
    ),
    find("transcript", (id) => db.transcript.findMany({ where: { id: { in: id } }, select: { id: true, interviewId: true, interview: { select: { code: true, status: true } } } })),
  ]);
  const codeName = (c: { key: string | null; name: string }) => (c.key ? `${c.key} ${c.name}` : c.name);
  const codeNameEn = (c: { key: string | null; nameEn: string | null }) => (c.nameEn ? { nameEn: codeName({ key: c.key, name: c.nameEn }) } : {});
  return {
    case: new Map(cases.map((c) => [c.id, { name: c.pseudonym, href: mayOpenCase(c.municipalityId) ? `/cases/${c.id}` : null }])),
    // A withdrawn interview's page only says that it was withdrawn: its code is named, not linked.
    interview: new Map(interviews.map((i) => [i.id, { name: i.code, href: mayOpenInterview && i.status !== "withdrawn" ? `/interviews/${i.id}` : null }])),
    user: new Map(users.map((u) => [u.id, { name: u.username, href: mayOpenUser ? `/admin/users/${u.id}` : null }])),
    // There is no page per municipality to link to.
    municipality: new Map(municipalities.map((m) => [m.id, { name: m.name, href: null }])),
    indicator: new Map(indicators.map((i) => [i.id, { name: i.code, href: mayOpenIndicator ? `/admin/indicators/${i.id}` : null }])),
    code: new Map(codes.map((c) => [c.id, { name: codeName(c), ...codeNameEn(c), href: mayOpenCode ? `/codebook/${c.id}` : null }])),
    // Named by their case's pseudonym, a memo by what it is about ("" for a project memo): titles are free text.
    narrative: new Map(narratives.map((n) => [n.id, { name: n.case.pseudonym, href: mayOpenNarrative ? `/narratives/${n.id}` : null }])),
    memo: new Map(memos.map((m) => [m.id, { name: m.interview?.code ?? m.case?.pseudonym ?? (m.code ? codeName(m.code) : ""), ...(!m.interview && !m.case && m.code ? codeNameEn(m.code) : {}), href: mayOpenMemo ? `/memos/${m.id}` : null }])),
    transcript: new Map(
      transcripts.map((t) => [t.id, { name: t.interview.code, href: mayOpenTranscript && t.interview.status !== "withdrawn" ? `/interviews/${t.interviewId}/transcript` : null }]),
    ),
  };
}

function ref(kind: AuditRefKind, id: string, named: Names): AuditDetailValue {
  const found = named[kind].get(id);
  return { kind: "ref", ref: kind, id, name: found?.name ?? null, ...(found?.nameEn ? { nameEn: found.nameEn } : {}), href: found?.href ?? null };
}

type Context = { action: string; named: Names };

function value(v: unknown, key: string | null, ctx: Context): AuditDetailValue {
  const query = key ? queryOf(key, v, ctx.action) : null;
  if (query) return { kind: "fields", entries: query.map(([name, values, param]) => ({ key: name, label: param?.label ?? null, value: queryValue(values, param, ctx) })) };
  const kind = key ? refOf(key, ctx.action) : undefined;
  if (kind && typeof v === "string") return ref(kind, v, ctx.named);
  if (v === null || v === undefined || v === "") return { kind: "empty" };
  if (typeof v === "boolean") return { kind: "flag", value: v };
  if (typeof v === "number") return { kind: "number", value: v };
  // A list's items are read as the key's values: ids of its kind, or codes with labels (parts, scopes).
  if (Array.isArray(v)) return { kind: "list", items: v.map((item) => value(item, Array.isArray(item) || isObject(item) ? null : key, ctx)) };
  if (isObject(v)) return { kind: "fields", entries: key === "erased" && ctx.action === "withdrawal.complete" ? erasedEntries(v) : entries(v, ctx) };
  const terms = key ? (AUDIT_ACTION_TERM_KEYS[ctx.action]?.[key] ?? AUDIT_TERM_KEYS[key]) : undefined;
  // Only code-like values are looked up: free text (a reason typed by a person) stays as it is.
  if (terms && /^[a-zA-Z][a-zA-Z0-9_-]*$/.test(String(v))) return { kind: "term", text: String(v), keys: terms.map((t) => `${t}.${String(v)}`) };
  return { kind: "text", text: String(v) };
}

/** A query parameter's values: records by name, codes by label, "sub=0" as a no; a repeated parameter as a list. */
function queryValue(values: string[], param: AuditQueryParam | undefined, ctx: Context): AuditDetailValue {
  const one = (v: string): AuditDetailValue => {
    if (param?.ref) return ref(param.ref, v, ctx.named);
    if (param?.flag) return { kind: "flag", value: v !== "0" };
    if (param?.terms && /^[a-zA-Z][a-zA-Z0-9_-]*$/.test(v)) return { kind: "term", text: v, keys: param.terms.map((t) => `${t}.${v}`) };
    return v === "" ? { kind: "empty" } : { kind: "text", text: v };
  };
  return values.length === 1 ? one(values[0]!) : { kind: "list", items: values.map(one) };
}

function entries(object: Record<string, unknown>, ctx: Context): AuditDetailEntry[] {
  return Object.entries(object).map(([key, v]) => {
    const label = auditDetailKey(key);
    return { key, label: label ? `admin:${label}` : null, value: value(v, key, ctx) };
  });
}

/** withdrawal.complete's counts: per store, then per kind of record, labelled as on the withdrawal page. */
function erasedEntries(erased: Record<string, unknown>): AuditDetailEntry[] {
  const plain = (v: unknown): AuditDetailValue => (typeof v === "number" ? { kind: "number", value: v } : v === null ? { kind: "empty" } : { kind: "text", text: String(v) });
  return Object.entries(erased).map(([store, counts]) => ({
    key: store,
    label: `${AUDIT_ERASED_LABELS.store}.${store}`,
    value: isObject(counts)
      ? { kind: "fields", entries: Object.entries(counts).map(([kind, n]) => ({ key: kind, label: `${AUDIT_ERASED_LABELS.kind}.${kind}`, value: plain(n) })) }
      : plain(counts),
  }));
}

/** `id`: the entry's number, which names an autocoding batch (its own row and its undo's object). */
/** The batch an autocoding entry is about: the entry itself, or for an undo the batch it took back. */
function batchOf(r: AuditRowView): AuditDetailValue | null {
  if (r.action === AUDIT_BATCH_ACTIONS.own && r.id !== undefined) return { kind: "batch", id: String(r.id) };
  if (r.action === AUDIT_BATCH_ACTIONS.undo && r.entityId) return { kind: "batch", id: r.entityId };
  return null;
}

export type AuditRowView = { id?: number; action: string; entity: string; entityId: string | null; detail: string | null };

/**
 * The details and the object of one page of rows, in the rows' order (null where a row has none): the object is
 * resolved like a detail reference when its kind names a record, else its id as stored. One query per kind named.
 */
export async function readableRows(rows: AuditRowView[], reader: SessionUser): Promise<{ detail: AuditDetail | null; entity: AuditDetailValue | null }[]> {
  const parsed = rows.map((r) => (r.detail === null ? null : parse(r.detail)));
  const ids = Object.fromEntries(REF_KINDS.map((k) => [k, new Set<string>()])) as Ids;
  rows.forEach((r, i) => {
    const object = parsed[i];
    if (object) collectIds(object, r.action, ids);
    const kind = AUDIT_ENTITY_REFS[r.entity];
    if (kind && r.entityId) ids[kind].add(r.entityId);
  });
  const named = await names(ids, reader);
  return rows.map((r, i) => {
    const object = parsed[i];
    const kind = AUDIT_ENTITY_REFS[r.entity];
    return {
      detail: r.detail === null ? null : object ? { entries: entries(object, { action: r.action, named }) } : { text: r.detail },
      entity: batchOf(r) ?? (r.entityId === null ? null : kind ? ref(kind, r.entityId, named) : { kind: "text", text: r.entityId }),
    };
  });
}
