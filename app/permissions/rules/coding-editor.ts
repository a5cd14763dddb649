// Route rules of coding in the transcript editor; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

export const CODING_EDITOR_RULES: Record<string, RouteRule> = {
  // JSON for the editor: GET lists the codings (read:coding), POST changes them (write:coding, checked in the action)
  "routes/interviews.$interviewId.codings": { kind: "permission", anyOf: ["read:coding:any"] },
};
