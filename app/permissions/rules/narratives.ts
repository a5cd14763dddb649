// Route rules of anonymized narratives; merged into ROUTE_RULES (app/permissions/route-rules.ts).
// The commissioner (read:narrative:released) reaches released narratives only: the list, the reading page and
// its downloads. Composing and redaction are research work.
import type { RouteRule } from "../route-rules.ts";

const READ = ["read:narrative:any", "read:narrative:released"];

export const NARRATIVES_RULES: Record<string, RouteRule> = {
  "routes/narratives._index": { kind: "permission", anyOf: READ },
  "routes/narratives.$narrativeId": { kind: "permission", anyOf: READ },
  "routes/narratives.$narrativeId._index": { kind: "permission", anyOf: READ },
  "routes/narratives.$narrativeId.export": { kind: "permission", anyOf: READ },
  "routes/narratives.$narrativeId.compose": { kind: "permission", anyOf: ["write:narrative:any"] },
  "routes/narratives.$narrativeId.redaction": { kind: "permission", anyOf: ["read:narrative:any"] },
  "routes/cases.$caseId.narratives": { kind: "permission", anyOf: ["read:narrative:any"] },
};
