// Route rules of memos and biography notes; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

const READ_MEMO = ["read:memo:any"];
const WRITE_MEMO = ["write:memo:any"];
// Researchers (linked) only for cases whose person consented to linking; the loader puts that into the query.
const READ_NOTE = ["read:note:any", "read:note:own", "read:note:linked"];
const WRITE_NOTE = ["write:note:any", "write:note:own"];

export const MEMOS_NOTES_RULES: Record<string, RouteRule> = {
  "routes/memos._index": { kind: "permission", anyOf: READ_MEMO },
  "routes/memos[.docx]": { kind: "permission", anyOf: READ_MEMO },
  "routes/memos.new": { kind: "permission", anyOf: WRITE_MEMO },
  "routes/memos.$memoId._index": { kind: "permission", anyOf: READ_MEMO },
  // Only the author: the sample memo is the demo researcher's (tests/support/samples/memos-notes.ts).
  "routes/memos.$memoId.edit": { kind: "permission", anyOf: WRITE_MEMO },
  "routes/interviews.$interviewId.memos": { kind: "permission", anyOf: READ_MEMO },
  "routes/cases.$caseId.notes._index": { kind: "permission", anyOf: READ_NOTE },
  "routes/cases.$caseId.notes.new": { kind: "permission", anyOf: WRITE_NOTE },
  "routes/cases.$caseId.notes.$noteId._index": { kind: "permission", anyOf: READ_NOTE },
  "routes/cases.$caseId.notes.$noteId.versions": { kind: "permission", anyOf: READ_NOTE },
};
