// Route rules of full-text search; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

// Whoever may search anything: researchers (research), integration managers (their notes), the
// commissioner (released narratives). What each finds is decided in the query (app/search/visibility.server.ts).
const SEARCH = ["search:research:any", "search:counselling:any", "search:counselling:own", "search:narrative:released"];

export const SEARCH_RULES: Record<string, RouteRule> = {
  "routes/search": { kind: "permission", anyOf: SEARCH },
  "routes/search-suggest": { kind: "permission", anyOf: SEARCH, script: true },
};
