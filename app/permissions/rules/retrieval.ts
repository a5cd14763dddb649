// Route rules of coded segments, code matrix, commissioner statistics; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

const READ_CODING: RouteRule = { kind: "permission", anyOf: ["read:coding:any"] };
// Suppressed aggregates only: the commissioner and researchers; nobody reaches unsuppressed figures through these.
const STATISTICS: RouteRule = { kind: "permission", anyOf: ["read:statistics:suppressed"] };

export const RETRIEVAL_RULES: Record<string, RouteRule> = {
  "routes/segments._index": READ_CODING,
  "routes/segments[.csv]": READ_CODING,
  "routes/segments[.docx]": READ_CODING,
  "routes/segments.matrix": READ_CODING,
  "routes/statistics._index": STATISTICS,
  "routes/statistics[.csv]": STATISTICS,
};
