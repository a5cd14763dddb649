// Route rules of coding in the transcript editor; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const CODING_EDITOR_RULES: Record<string, RouteRule> = {};
