// An audit entry's details as the log page shows them: labelled entries instead of the stored JSON (which the CSV
// export keeps unchanged for machines). Shared by the loader that builds them and the component that renders them.

/** Detail keys with a label in the admin locale (`audit.detail.<key>`); any other key is shown as it is stored. */
export const AUDIT_DETAIL_KEYS = [
  "access", "action", "ags", "area", "areas", "case", "caseId", "category", "changed", "code", "codeId", "codeIds", "codes",
  "codingId", "codingIds", "codings", "complete", "contactId", "contentType", "dimension", "dissolved", "draft", "durationMs",
  "end", "entity", "entityId", "entries", "erased", "fields", "fieldsSet", "file", "filter", "filters", "format", "from",
  "group", "householdId", "indicator", "interviewId", "interviews", "kind", "kinds", "language", "linkId", "linkedWith",
  "memos", "municipalities", "municipalityId", "name", "noteId", "page", "parts", "problems", "pseudonym", "reason",
  "role", "roles", "rows", "scope", "scopes", "sessionsEnded", "sizeBytes", "snapshotId", "source", "start", "status",
  "to", "total", "type", "user", "userId", "username", "version", "versions", "withdrawalId",
] as const;

const knownKeys = new Set<string>(AUDIT_DETAIL_KEYS);

export function auditDetailKey(key: string): string | null {
  return knownKeys.has(key) ? `audit.detail.${key}` : null;
}

/** Records an id in the details may name: shown by their pseudonym, code, username or name. */
export type AuditRefKind = "case" | "interview" | "user" | "municipality";

/** Detail keys whose value is the id of such a record. */
export const AUDIT_REF_KEYS: Record<string, AuditRefKind> = {
  caseId: "case",
  linkedWith: "case",
  interviewId: "interview",
  userId: "user",
  municipalityId: "municipality",
};

export type AuditDetailValue =
  | { kind: "text"; text: string }
  | { kind: "number"; value: number }
  | { kind: "flag"; value: boolean }
  | { kind: "empty" }
  // name null: the record is gone (a withdrawal erased it) or never existed; the id is all the log knows.
  | { kind: "ref"; ref: AuditRefKind; id: string; name: string | null; href: string | null }
  | { kind: "list"; items: AuditDetailValue[] }
  | { kind: "fields"; entries: AuditDetailEntry[] };

export type AuditDetailEntry = { key: string; value: AuditDetailValue };

/** Entries in the stored order, or the stored text itself when it is not a JSON object (rows of old versions). */
export type AuditDetail = { entries: AuditDetailEntry[] } | { text: string };
