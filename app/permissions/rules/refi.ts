// Route rules of REFI-QDA exchange; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const REFI_RULES: Record<string, RouteRule> = {};
