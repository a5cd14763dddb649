// An audit entry's details as the log page shows them: labelled entries instead of the stored JSON (which the CSV
// export keeps unchanged for machines). Shared by the loader that builds them and the component that renders them.

/** Detail keys with a label in the admin locale (`audit.detail.<key>`); any other key is shown as it is stored. */
export const AUDIT_DETAIL_KEYS = [
  "access", "action", "ags", "alreadyCoded", "codedLengths", "interviewIds", "kept", "passages", "removed", "unit", "area", "areas", "audio", "case", "caseId", "category", "changed", "childrenMoved",
  "code", "codeId", "codeIds", "codes", "codingId", "codingIds", "codings", "codingsDeleted", "codingsMoved",
  "codingsOrphaned", "complete", "conflict", "consentRecordId", "contactId", "contentType", "created", "dimension", "dissolved", "draft",
  "durationMs", "end", "endMs", "entity", "entityId", "entries", "erased", "fields", "fieldsCleared", "fieldsSet", "file", "filter",
  "filters", "followUpOf", "format", "from", "fromLink", "generated", "ground", "group", "hidden", "householdId", "identifying",
  "indicator", "interpreters", "interviewId", "interviews", "interviewStatus", "jobId", "key", "kind", "kinds",
  "language", "level", "linkedWith", "linkId", "mediaType", "memos", "memosDeleted", "merged", "mergedHousehold",
  "municipalities", "municipalityId", "name", "narrativeId", "note", "noteId", "notes", "ok", "origin", "outcome", "page",
  "paragraphs", "parentId", "parts", "planId", "position", "precision", "problems", "proposals", "pseudonym",
  "purpose", "reason", "reasonLength", "recontactConsent", "records", "released", "replaced", "replayedFromJournal",
  "restored", "role", "roles", "rows", "scope", "scopes", "scopesWithdrawn", "seed", "segments", "sessionsEnded", "sizeBytes", "skipped",
  "snapshotId", "source", "specialCategory", "start", "startMs", "status", "target", "targetId", "to", "total", "transcriptId", "type",
  "user", "userId", "username", "validUntil", "version", "versions", "withdrawalId",
] as const;

const knownKeys = new Set<string>(AUDIT_DETAIL_KEYS);

export function auditDetailKey(key: string): string | null {
  return knownKeys.has(key) ? `audit.detail.${key}` : null;
}

/** Records an id may name: shown by their pseudonym, code, username or name (or a label built from one). */
export type AuditRefKind = "case" | "interview" | "user" | "municipality" | "indicator" | "code" | "narrative" | "memo" | "transcript";

/** Detail keys whose value is the id (or a list of ids) of such a record. */
export const AUDIT_REF_KEYS: Record<string, AuditRefKind> = {
  caseId: "case",
  linkedWith: "case",
  interviewId: "interview",
  interviewIds: "interview",
  followUpOf: "interview",
  userId: "user",
  municipalityId: "municipality",
  codeId: "code",
  codeIds: "code",
  parentId: "code",
  targetId: "code",
  narrativeId: "narrative",
  transcriptId: "transcript",
};

/** Keys that name records in one action only: elsewhere `from` and `to` are names, statuses or versions. */
export const AUDIT_ACTION_REF_KEYS: Record<string, Record<string, AuditRefKind>> = {
  "code.move": { from: "code", to: "code" },
};

/** The entry's own object, where the log names one a page shows: the "Entity ID" column resolves it like a detail. */
export const AUDIT_ENTITY_REFS: Record<string, AuditRefKind> = {
  case: "case",
  interview: "interview",
  user: "user",
  municipality: "municipality",
  indicator: "indicator",
  code: "code",
  narrative: "narrative",
  memo: "memo",
  transcript: "transcript",
};

/** Detail keys whose values are codes with a label (i18n key prefixes, tried in order); other values stay as stored. */
export const AUDIT_TERM_KEYS: Record<string, string[]> = {
  access: ["admin:audit.values.access"],
  // A withdrawal's whole/partial, or the consent scope a download needed.
  scope: ["admin:audit.values.scope", "interviews:scopes"],
  parts: ["interviews:withdraw.parts"],
  scopes: ["interviews:scopes"],
  scopesWithdrawn: ["interviews:scopes"],
  reason: ["admin:audit.values.reason"],
  purpose: ["admin:audit.values.purpose"],
  identifying: ["admin:audit.values.identifying"],
  // who produced an imported transcript (ADR 0018)
  origin: ["admin:audit.values.origin"],
  // Labels the app already shows elsewhere: the user admin's roles, the pages' statuses, the export dialogs' formats.
  role: ["common:roles"],
  roles: ["common:roles"],
  // Interview, narrative, transcription job and case statuses share no code, so one list serves every action.
  status: ["interviews:statuses", "narratives:statuses", "transcription:statuses", "cases:statuses"],
  interviewStatus: ["interviews:statuses"],
  format: ["transcripts:export.formats", "admin:audit.values.format"],
  // why data were deleted for good (ERASURE_GROUNDS); entries before the choice existed hold a typed `reason`
  ground: ["common:erasureGrounds"],
  // a transcription's language: "auto" or a language code, named as on the transcription page
  language: ["transcription:languages", "interviews:languages"],
};

/** Keys that hold codes with a label in one action only: elsewhere `from` and `to` are names, ids or versions. */
export const AUDIT_ACTION_TERM_KEYS: Record<string, Record<string, string[]>> = {
  "plan.area.update": { from: ["cases:planStatuses"], to: ["cases:planStatuses"] },
  // "Code all hits": the unit as the search page names it, why interviews were skipped.
  "coding.autocode": { unit: ["search:autocode.units"], reason: ["admin:audit.values.skipReason"] },
  "interview.update": { changed: ["admin:audit.values.interviewField"] },
  // A memo's kind and what it is about, named as on the memo pages.
  "memo.create": { type: ["memos:types"], target: ["memos:targets"] },
  "memo.delete": { type: ["memos:types"] },
};

/** A parameter of a stored query string: its label (an i18n key with namespace), and how its values read. */
export type AuditQueryParam = { label: string; ref?: AuditRefKind; terms?: string[]; flag?: "off-if-0" };

// The coded segments' filters as filterQuery (app/retrieval/filters.ts) writes them, labelled as on that page.
const SEGMENT_FILTER_PARAMS: Record<string, AuditQueryParam> = {
  code: { label: "retrieval:filters.codes", ref: "code" },
  mode: { label: "retrieval:filters.mode.label", terms: ["retrieval:filters.mode"] },
  sub: { label: "retrieval:filters.subcodes", flag: "off-if-0" },
  municipality: { label: "retrieval:filters.municipality", ref: "municipality" },
  group: { label: "retrieval:filters.group", terms: ["retrieval:groups"] },
  age: { label: "retrieval:filters.ageBand", terms: ["retrieval:ageBands"] },
  interview: { label: "retrieval:filters.interview" },
  speaker: { label: "retrieval:filters.speaker", terms: ["retrieval:speakers"] },
  author: { label: "retrieval:filters.author", ref: "user" },
};

/**
 * Detail values that hold a query string (filters of a list, a memo's target), per action and key: read as labelled
 * entries, ids named like any other reference. Parameters not listed here show as stored.
 */
export const AUDIT_QUERY_KEYS: Record<string, Record<string, Record<string, AuditQueryParam>>> = {
  "coding.retrieve": { filters: SEGMENT_FILTER_PARAMS },
  "coding.export": { filters: SEGMENT_FILTER_PARAMS },
  "memo.export": {
    filters: {
      type: { label: "memos:fields.type", terms: ["memos:types"] },
      target: { label: "memos:fields.target", terms: ["memos:targets"] },
      author: { label: "memos:fields.author", ref: "user" },
      q: { label: "memos:list.text" },
    },
  },
  "memo.view": {
    target: {
      interviewId: { label: "admin:audit.detail.interviewId", ref: "interview" },
      caseId: { label: "admin:audit.detail.caseId", ref: "case" },
      codeId: { label: "admin:audit.detail.codeId", ref: "code" },
      codingId: { label: "admin:audit.detail.codingId" },
    },
  },
};

/**
 * Who wrote an entry without a user (the log's user column): the transcription worker and the backup scripts act on
 * their own, the demo seed's entries say so in their details; failed sign-ins stay "not signed in".
 */
const SYSTEM_ACTIONS: Record<string, string> = {
  "transcription.done": "audit.system.transcription",
  "backup.create": "audit.system.backup",
  "backup.restore": "audit.system.backup",
};

/** The admin locale key naming the system that wrote an entry without a user, or null (nobody signed in). */
export function auditSystemActor(action: string, detail: string | null): string | null {
  if (SYSTEM_ACTIONS[action]) return SYSTEM_ACTIONS[action];
  return detail !== null && /"seed":true/.test(detail) ? "audit.system.seed" : null;
}

/** Actions that name an autocoding batch by its audit entry's id: the batch itself (its own row) and its undo. */
export const AUDIT_BATCH_ACTIONS = { own: "coding.autocode", undo: "coding.autocode-undo" } as const;

/** withdrawal.complete's `erased`: per store (eraser), what it removed; both levels have labels on the withdrawal page. */
export const AUDIT_ERASED_LABELS = { store: "admin:audit.erasedIn", kind: "interviews:withdraw.kinds" } as const;

export type AuditDetailValue =
  | { kind: "text"; text: string }
  // A stored code and the i18n keys of its label; shown as stored when none exists (a value of an older version).
  | { kind: "term"; text: string; keys: string[] }
  | { kind: "number"; value: number }
  | { kind: "flag"; value: boolean }
  | { kind: "empty" }
  // name null: the record is gone (a withdrawal erased it) or never existed; the id is all the log knows.
  // nameEn: shown to English readers where the record has an English name (codes).
  | { kind: "ref"; ref: AuditRefKind; id: string; name: string | null; nameEn?: string; href: string | null }
  // An autocoding batch, named by its audit entry's number ("Vorgang #80"), not a record of its own.
  | { kind: "batch"; id: string }
  | { kind: "list"; items: AuditDetailValue[] }
  | { kind: "fields"; entries: AuditDetailEntry[] };

/** `label`: the i18n key of the key's label, or null to show the stored key. */
export type AuditDetailEntry = { key: string; label: string | null; value: AuditDetailValue };

/** Entries in the stored order, or the stored text itself when it is not a JSON object (rows of old versions). */
export type AuditDetail = { entries: AuditDetailEntry[] } | { text: string };
