// The case overview's "story and number" block: contradictions and open proposals of one case in scope.
import { db } from "../db/client.server.ts";
import { withScope } from "../consent/gates.server.ts";
import { caseScope, type Grant } from "../permissions/permissions.server.ts";
import { findContradictions } from "./contradictions.server.ts";

export async function storyAndNumber(grant: Grant, caseId: string) {
  const where = { id: caseId, ...caseScope(grant) };
  const [contradictions, openProposals] = await Promise.all([
    findContradictions(where),
    db.passageLink.count({ where: { status: "proposed", case: where, coding: { interview: withScope("linking") } } }),
  ]);
  return {
    contradictions: contradictions.map((c) => ({ linkId: c.linkId, indicator: c.indicator, story: c.story, register: { state: c.register.state, value: c.register.value, observedAt: c.register.observedAt } })),
    openProposals,
  };
}
