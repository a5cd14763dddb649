// The log page's details: the stored JSON parsed, and the ids of cases, interviews, users and municipalities named
// by what the app shows for them anyway (pseudonym, interview code, username, municipality name). Never a display
// name or identity value: the page must not show more about a person than the entry itself holds.
import { db } from "../db/client.server.ts";
import type { SessionUser } from "../auth/session.server.ts";
import { accessFor } from "../permissions/roles.ts";
import { AUDIT_REF_KEYS, type AuditDetail, type AuditDetailEntry, type AuditDetailValue, type AuditRefKind } from "./detail.ts";

type Named = { name: string; href: string | null };
type Names = Record<AuditRefKind, Map<string, Named>>;

function parse(detail: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(detail);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The ids per kind of record that the details name, at any depth of nesting. */
function collectIds(object: Record<string, unknown>, into: Record<AuditRefKind, Set<string>>) {
  for (const [key, value] of Object.entries(object)) {
    const ref = AUDIT_REF_KEYS[key];
    if (ref && typeof value === "string") into[ref].add(value);
    else if (value !== null && typeof value === "object" && !Array.isArray(value)) collectIds(value as Record<string, unknown>, into);
  }
}

/** Names for the ids, and a link only where the reader's own permissions open that page. */
async function names(ids: Record<AuditRefKind, Set<string>>, reader: SessionUser): Promise<Names> {
  const caseAccess = accessFor(reader.roles, "read", "case");
  const mayOpenCase = (municipalityId: string) => caseAccess === "any" || (caseAccess === "own" && reader.municipalityIds.includes(municipalityId));
  const mayOpenInterview = accessFor(reader.roles, "read", "interview") !== null;
  const mayOpenUser = accessFor(reader.roles, "manage", "users") !== null;
  const [cases, interviews, users, municipalities] = await Promise.all([
    ids.case.size ? db.case.findMany({ where: { id: { in: [...ids.case] } }, select: { id: true, pseudonym: true, municipalityId: true } }) : [],
    ids.interview.size ? db.interview.findMany({ where: { id: { in: [...ids.interview] } }, select: { id: true, code: true, status: true } }) : [],
    ids.user.size ? db.user.findMany({ where: { id: { in: [...ids.user] } }, select: { id: true, username: true } }) : [],
    ids.municipality.size ? db.municipality.findMany({ where: { id: { in: [...ids.municipality] } }, select: { id: true, name: true } }) : [],
  ]);
  return {
    case: new Map(cases.map((c) => [c.id, { name: c.pseudonym, href: mayOpenCase(c.municipalityId) ? `/cases/${c.id}` : null }])),
    // A withdrawn interview's page only says that it was withdrawn: its code is named, not linked.
    interview: new Map(interviews.map((i) => [i.id, { name: i.code, href: mayOpenInterview && i.status !== "withdrawn" ? `/interviews/${i.id}` : null }])),
    user: new Map(users.map((u) => [u.id, { name: u.username, href: mayOpenUser ? `/admin/users/${u.id}` : null }])),
    // There is no page per municipality to link to.
    municipality: new Map(municipalities.map((m) => [m.id, { name: m.name, href: null }])),
  };
}

function value(v: unknown, key: string | null, named: Names): AuditDetailValue {
  const ref = key ? AUDIT_REF_KEYS[key] : undefined;
  if (ref && typeof v === "string") {
    const found = named[ref].get(v);
    return { kind: "ref", ref, id: v, name: found?.name ?? null, href: found?.href ?? null };
  }
  if (v === null || v === undefined || v === "") return { kind: "empty" };
  if (typeof v === "boolean") return { kind: "flag", value: v };
  if (typeof v === "number") return { kind: "number", value: v };
  if (Array.isArray(v)) return { kind: "list", items: v.map((item) => value(item, null, named)) };
  if (typeof v === "object") return { kind: "fields", entries: entries(v as Record<string, unknown>, named) };
  return { kind: "text", text: String(v) };
}

function entries(object: Record<string, unknown>, named: Names): AuditDetailEntry[] {
  return Object.entries(object).map(([key, v]) => ({ key, value: value(v, key, named) }));
}

/** The details of one page of rows, in the rows' order (null where a row has none). Two or so queries a page. */
export async function readableDetails(details: (string | null)[], reader: SessionUser): Promise<(AuditDetail | null)[]> {
  const parsed = details.map((d) => (d === null ? null : parse(d)));
  const ids: Record<AuditRefKind, Set<string>> = { case: new Set(), interview: new Set(), user: new Set(), municipality: new Set() };
  for (const object of parsed) if (object) collectIds(object, ids);
  const named = await names(ids, reader);
  return details.map((d, i) => {
    if (d === null) return null;
    const object = parsed[i];
    return object ? { entries: entries(object, named) } : { text: d };
  });
}
