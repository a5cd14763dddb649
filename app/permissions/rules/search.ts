// Route rules of full-text search; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const SEARCH_RULES: Record<string, RouteRule> = {};
