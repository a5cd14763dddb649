// Route rules of A1 codebook and codings; merged into ROUTE_RULES (app/permissions/route-rules.ts).
// Reading the codebook needs read:codebook; the pages' forms post to the same routes and need manage:codebook.
import type { RouteRule } from "../route-rules.ts";

const READ_CODEBOOK = ["read:codebook:any"];

export const CODEBOOK_RULES: Record<string, RouteRule> = {
  "routes/codebook._index": { kind: "permission", anyOf: READ_CODEBOOK },
  "routes/codebook[.docx]": { kind: "permission", anyOf: READ_CODEBOOK },
  "routes/codebook.$codeId": { kind: "permission", anyOf: READ_CODEBOOK },
};
