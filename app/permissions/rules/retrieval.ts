// Route rules of coded segments, code matrix, commissioner statistics; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const RETRIEVAL_RULES: Record<string, RouteRule> = {};
