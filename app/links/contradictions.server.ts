// Contradictions: a passage tied to an indicator (linked, proposed or confirmed) whose value disagrees with
// the register's value at the passage's date (story says B1 in June 2024, the register says A2 then).
// "Disagree" is defined per indicator type in ./disagree.ts. Only passages whose interview still has the
// linking consent count; the caller's scope goes into the case `where`.
import { db, type Prisma } from "../db/client.server.ts";
import { withScope } from "../consent/gates.server.ts";
import { decodeValue } from "../indicators/values.ts";
import { compareObservations, registerValueAt, type DisagreementKind } from "./disagree.ts";
import { ACTIVE_STATUSES } from "./links.server.ts";

export type Contradiction = {
  linkId: string;
  status: string;
  caseId: string;
  pseudonym: string;
  municipalityId: string;
  indicator: { code: string; type: string; labelDe: string; labelEn: string };
  quote: string;
  interviewCode: string;
  story: { state: string; value: unknown; date: Date };
  register: { snapshotId: string; state: string; value: unknown; observedAt: Date; source: string; verified: boolean };
  kind: DisagreementKind;
  direction: "higher" | "lower" | null;
};

export async function findContradictions(caseWhere: Prisma.CaseWhereInput): Promise<Contradiction[]> {
  const links = await db.passageLink.findMany({
    where: { status: { in: ACTIVE_STATUSES }, case: caseWhere, coding: { interview: withScope("linking") } },
    select: {
      id: true,
      status: true,
      caseId: true,
      indicatorId: true,
      proposedState: true,
      proposedValue: true,
      proposedObservedAt: true,
      case: { select: { pseudonym: true, municipalityId: true } },
      indicator: { select: { code: true, type: true, labelDe: true, labelEn: true } },
      snapshot: { select: { state: true, value: true, observedAt: true } },
      coding: { select: { quote: true, interview: { select: { code: true, date: true } } } },
    },
    orderBy: { createdAt: "asc" },
  });
  if (!links.length) return [];
  const snapshots = await db.snapshot.findMany({
    where: { caseId: { in: [...new Set(links.map((l) => l.caseId))] }, indicatorId: { in: [...new Set(links.map((l) => l.indicatorId))] } },
    select: { id: true, caseId: true, indicatorId: true, state: true, value: true, observedAt: true, createdAt: true, source: true, verified: true },
  });
  const history = new Map<string, typeof snapshots>();
  for (const s of snapshots) {
    const key = `${s.caseId}|${s.indicatorId}`;
    history.set(key, [...(history.get(key) ?? []), s]);
  }
  const out: Contradiction[] = [];
  for (const link of links) {
    // What the passage says: the proposal's value, or the linked snapshot's.
    const story = link.proposedState
      ? { state: link.proposedState, value: decodeValue(link.proposedValue), date: link.proposedObservedAt ?? link.coding.interview.date }
      : link.snapshot
        ? { state: link.snapshot.state, value: decodeValue(link.snapshot.value), date: link.snapshot.observedAt }
        : null;
    if (!story) continue;
    const register = registerValueAt(history.get(`${link.caseId}|${link.indicatorId}`) ?? [], story.date);
    if (!register) continue;
    const verdict = compareObservations(link.indicator, story, { state: register.state, value: decodeValue(register.value) });
    if (!verdict?.disagree) continue;
    out.push({
      linkId: link.id,
      status: link.status,
      caseId: link.caseId,
      pseudonym: link.case.pseudonym,
      municipalityId: link.case.municipalityId,
      indicator: link.indicator,
      quote: link.coding.quote,
      interviewCode: link.coding.interview.code,
      story,
      register: { snapshotId: register.id, state: register.state, value: decodeValue(register.value), observedAt: register.observedAt, source: register.source, verified: register.verified },
      kind: verdict.kind,
      direction: verdict.direction ?? null,
    });
  }
  return out;
}

/** Per municipality: how many contradictions, on how many cases. */
export function countByMunicipality(list: readonly Contradiction[]): Map<string, { contradictions: number; cases: number }> {
  const out = new Map<string, { contradictions: number; cases: Set<string> }>();
  for (const c of list) {
    const cell = out.get(c.municipalityId) ?? { contradictions: 0, cases: new Set<string>() };
    cell.contradictions++;
    cell.cases.add(c.caseId);
    out.set(c.municipalityId, cell);
  }
  return new Map([...out].map(([k, v]) => [k, { contradictions: v.contradictions, cases: v.cases.size }]));
}
