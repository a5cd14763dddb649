// Route rules of passage links and the case timeline; merged into ROUTE_RULES (app/permissions/route-rules.ts).
import type { RouteRule } from "../route-rules.ts";

const READ_TIMELINE = ["read:timeline:any", "read:timeline:own", "read:timeline:linked"];

export const LINKS_TIMELINE_RULES: Record<string, RouteRule> = {
  // researchers link a coded passage to the register (the interview's linking consent is checked inside)
  "routes/codings.$codingId.links": { kind: "permission", anyOf: ["link:passage:any"] },
  // integration managers (own municipalities), researchers where the person consented to linking
  "routes/cases.$caseId.timeline": { kind: "permission", anyOf: READ_TIMELINE },
  // only the time range of a linked passage, for the timeline's play button
  "routes/passage-links.$linkId.audio": { kind: "permission", anyOf: READ_TIMELINE },
  // the dashboard's drill-down of story <-> register contradictions (those who decide on proposals)
  "routes/dashboard.contradictions": { kind: "permission", anyOf: ["confirm:passage-link:any", "confirm:passage-link:own"] },
};
