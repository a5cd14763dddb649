// Snapshots on the timeline are changes per indicator: an observation that repeats the indicator's previous
// state and value (a routine re-check) adds nothing to a biography, so only the first of a run is shown.
export type Observation = { indicatorId: string; state: string; value: string | null; observedAt: Date; createdAt: Date };

export function changesOnly<T extends Observation>(rows: readonly T[]): (T & { previous: { state: string; value: string | null } | null })[] {
  const sorted = [...rows].sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  const last = new Map<string, { state: string; value: string | null }>();
  const out: (T & { previous: { state: string; value: string | null } | null })[] = [];
  for (const row of sorted) {
    const before = last.get(row.indicatorId) ?? null;
    // Values are stored JSON-encoded; multi values are compared as stored (the form writes them in a fixed order).
    if (!before || before.state !== row.state || before.value !== row.value) out.push({ ...row, previous: before });
    last.set(row.indicatorId, { state: row.state, value: row.value });
  }
  return out;
}
