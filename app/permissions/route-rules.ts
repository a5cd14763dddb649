// Who may open each route: the access-matrix test (tests/http/access-matrix.test.ts) walks every route of
// the build's manifest for every role and anonymous, and fails when a route has no rule here or answers
// differently. Loaders and actions enforce the same with requirePermission(); this table is the contract.
import { CODEBOOK_RULES } from "./rules/codebook.ts";
import { CODING_EDITOR_RULES } from "./rules/coding-editor.ts";
import { MEMOS_NOTES_RULES } from "./rules/memos-notes.ts";
import { RETRIEVAL_RULES } from "./rules/retrieval.ts";
import { LINKS_TIMELINE_RULES } from "./rules/links-timeline.ts";
import { SEARCH_RULES } from "./rules/search.ts";
import { NARRATIVES_RULES } from "./rules/narratives.ts";
import { REFI_RULES } from "./rules/refi.ts";

// `script`: called by a page's own script (keep-alive, suggestions, autosave): without a session it answers 401 for
// the page to show instead of redirecting to the login page (docs/decisions/0013).
export type RouteRule =
  | { kind: "public" } // anyone, signed in or not
  | { kind: "signed-in"; script?: true } // any signed-in user
  | { kind: "permission"; anyOf: string[]; script?: true } // a signed-in user holding one of these permissions
  | { kind: "action-only" }; // no page (GET redirects), POST handled by the route itself

const READ_CASE = ["read:case:any", "read:case:own"];
const WRITE_CASE = ["write:case:any", "write:case:own"];
const READ_IDENTITY = ["read:identity:any", "read:identity:own"];
const DASHBOARD = ["read:dashboard:any", "read:dashboard:own", "read:statistics:suppressed"];

export const ROUTE_RULES: Record<string, RouteRule> = {
  root: { kind: "public" },
  "routes/$": { kind: "public" },
  "routes/healthz": { kind: "public" },
  "routes/login": { kind: "public" },
  "routes/logout": { kind: "action-only" },
  "routes/set-locale": { kind: "action-only" },
  "routes/_index": { kind: "signed-in" },
  "routes/account": { kind: "signed-in" },
  "routes/session.keepalive": { kind: "signed-in", script: true },

  // case register
  "routes/cases._index": { kind: "permission", anyOf: READ_CASE },
  "routes/cases.new": { kind: "permission", anyOf: WRITE_CASE },
  // researchers: the header and the research-side tabs (narratives; timeline and notes where linked)
  "routes/cases.$caseId": { kind: "permission", anyOf: [...READ_CASE, "read:interview:any"] },
  "routes/cases.$caseId._index": { kind: "permission", anyOf: READ_CASE },
  "routes/cases.$caseId.edit": { kind: "permission", anyOf: WRITE_CASE },
  "routes/cases.$caseId.identity": { kind: "permission", anyOf: READ_IDENTITY },
  "routes/cases.$caseId.archive": { kind: "permission", anyOf: WRITE_CASE },
  "routes/cases.$caseId.household": { kind: "permission", anyOf: WRITE_CASE },
  "routes/cases.$caseId.contacts": { kind: "permission", anyOf: READ_CASE },
  "routes/cases.$caseId.plans": { kind: "permission", anyOf: READ_CASE },
  "routes/cases.$caseId.snapshots": { kind: "permission", anyOf: READ_CASE },
  "routes/cases.$caseId.snapshots.$indicatorCode": { kind: "permission", anyOf: READ_CASE },

  // gaps, work list, key figures
  "routes/dashboard._index": { kind: "permission", anyOf: DASHBOARD },
  "routes/dashboard.cell": { kind: "permission", anyOf: READ_CASE },
  "routes/dashboard[.csv]": { kind: "permission", anyOf: DASHBOARD },
  "routes/worklist": { kind: "permission", anyOf: ["read:worklist:any", "read:worklist:own"] },
  "routes/reports._index": { kind: "permission", anyOf: ["export:key-figures:any", "export:key-figures:own"] },
  "routes/reports.key-figures[.csv]": { kind: "permission", anyOf: ["export:key-figures:any", "export:key-figures:own"] },

  // interviews, consent, recordings, withdrawal
  "routes/interviews._index": { kind: "permission", anyOf: ["read:interview:any"] },
  "routes/interviews.new": { kind: "permission", anyOf: ["write:interview:any"] },
  "routes/interviews.$interviewId": { kind: "permission", anyOf: ["read:interview:any"] },
  "routes/interviews.$interviewId._index": { kind: "permission", anyOf: ["read:interview:any"] },
  "routes/interviews.$interviewId.edit": { kind: "permission", anyOf: ["write:interview:any"] },
  "routes/interviews.$interviewId.consent": { kind: "permission", anyOf: ["read:interview:any"] },
  "routes/interviews.$interviewId.recordings": { kind: "action-only" },
  "routes/interviews.$interviewId.consent-documents": { kind: "action-only" },
  "routes/interviews.$interviewId.withdraw": { kind: "permission", anyOf: ["withdraw:interview:any"] },
  "routes/recordings.$recordingId.media": { kind: "permission", anyOf: ["read:recording:any"] },
  "routes/recordings.$recordingId.external-transcription": { kind: "permission", anyOf: ["transcribe:interview:any"] },
  "routes/consent-documents.$documentId": { kind: "permission", anyOf: ["read:interview:any"] },
  "routes/cases.$caseId.interviews": { kind: "permission", anyOf: READ_CASE },

  // transcription and transcripts
  "routes/interviews.$interviewId.transcription": { kind: "permission", anyOf: ["read:interview:any"] },
  "routes/interviews.$interviewId.transcript": { kind: "permission", anyOf: ["read:transcript:any"] },
  "routes/interviews.$interviewId.transcript._index": { kind: "permission", anyOf: ["read:transcript:any"] },
  "routes/interviews.$interviewId.transcript.versions": { kind: "permission", anyOf: ["read:transcript:any"] },
  "routes/interviews.$interviewId.transcript.export": { kind: "permission", anyOf: ["read:transcript:any"] },
  "routes/interviews.$interviewId.transcript.import": { kind: "permission", anyOf: ["write:transcript:any"] },
  "routes/recordings.$recordingId.peaks": { kind: "permission", anyOf: ["read:recording:any"] },
  "routes/admin.transcription": { kind: "permission", anyOf: ["manage:transcription-queue:any"] },

  // administration
  "routes/admin": { kind: "permission", anyOf: ["manage:users:any"] },
  "routes/admin._index": { kind: "permission", anyOf: ["manage:users:any"] },
  "routes/admin.users._index": { kind: "permission", anyOf: ["manage:users:any"] },
  "routes/admin.users.new": { kind: "permission", anyOf: ["manage:users:any"] },
  "routes/admin.users.$userId": { kind: "permission", anyOf: ["manage:users:any"] },
  "routes/admin.municipalities": { kind: "permission", anyOf: ["manage:municipalities:any"] },
  "routes/admin.indicators._index": { kind: "permission", anyOf: ["manage:indicators:any"] },
  "routes/admin.indicators.$indicatorId": { kind: "permission", anyOf: ["manage:indicators:any"] },
  "routes/admin.audit._index": { kind: "permission", anyOf: ["read:audit:any"] },
  "routes/admin.audit[.csv]": { kind: "permission", anyOf: ["read:audit:any"] },

  // one file per capability (app/permissions/rules/), so each can grow on its own
  ...CODEBOOK_RULES,
  ...CODING_EDITOR_RULES,
  ...MEMOS_NOTES_RULES,
  ...RETRIEVAL_RULES,
  ...LINKS_TIMELINE_RULES,
  ...SEARCH_RULES,
  ...NARRATIVES_RULES,
  ...REFI_RULES,
};
