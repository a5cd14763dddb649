// The current value of an indicator for a case is its latest observation. This module turns snapshot
// history into per-case current states, the basis of the gap dashboard, the work list and filters.
import { db, type Prisma } from "../db/client.server.ts";
import { decodeValue, isStale, type SnapshotState } from "./values.ts";

/** missing = never recorded; the other states come from the latest snapshot. */
export type GapState = "current" | "stale" | "unknown" | "missing";

export type CurrentValue = {
  state: SnapshotState;
  value: unknown;
  observedAt: Date;
  stale: boolean;
};

export type IndicatorRef = { id: string; stalenessMonths: number };

/**
 * Current values of the given indicators for every case matching `caseWhere` (the caller's scope goes
 * into this where clause). Returns caseId -> indicatorId -> current value.
 */
export async function currentValues(caseWhere: Prisma.CaseWhereInput, indicators: IndicatorRef[], now = new Date()) {
  const staleness = new Map(indicators.map((i) => [i.id, i.stalenessMonths]));
  const rows = await db.snapshot.findMany({
    where: { case: caseWhere, indicatorId: { in: indicators.map((i) => i.id) } },
    select: { caseId: true, indicatorId: true, state: true, value: true, observedAt: true },
    orderBy: [{ observedAt: "desc" }, { createdAt: "desc" }],
  });
  const result = new Map<string, Map<string, CurrentValue>>();
  for (const row of rows) {
    let perCase = result.get(row.caseId);
    if (!perCase) result.set(row.caseId, (perCase = new Map()));
    if (perCase.has(row.indicatorId)) continue; // an older observation
    perCase.set(row.indicatorId, {
      state: row.state as SnapshotState,
      value: decodeValue(row.value),
      observedAt: row.observedAt,
      stale: isStale(row.observedAt, staleness.get(row.indicatorId) ?? 12, now),
    });
  }
  return result;
}

/** Classifies a current value for gap reporting. "Not applicable" counts as a known answer. */
export function gapState(current: CurrentValue | undefined): GapState {
  if (!current) return "missing";
  if (current.state === "unknown") return "unknown";
  return current.stale ? "stale" : "current";
}
