// Route rules of passage links and the case timeline; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const LINKS_TIMELINE_RULES: Record<string, RouteRule> = {};
