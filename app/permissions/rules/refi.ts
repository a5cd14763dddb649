// Route rules of REFI-QDA exchange; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

const EXPORT = ["export:refi:any"];

export const REFI_RULES: Record<string, RouteRule> = {
  // the page (export buttons; import forms, whose action needs import:refi, for those who hold it)
  "routes/exchange._index": { kind: "permission", anyOf: EXPORT },
  "routes/exchange.project[.qdpx]": { kind: "permission", anyOf: EXPORT },
  "routes/exchange.codebook[.qdc]": { kind: "permission", anyOf: EXPORT },
};
