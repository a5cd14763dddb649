// Route rules of A1 codebook and codings; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const CODEBOOK_RULES: Record<string, RouteRule> = {};
