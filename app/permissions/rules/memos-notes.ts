// Route rules of memos and biography notes; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const MEMOS_NOTES_RULES: Record<string, RouteRule> = {};
