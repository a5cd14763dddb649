// Route rules of anonymized narratives; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const NARRATIVES_RULES: Record<string, RouteRule> = {};
