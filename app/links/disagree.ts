// When does a passage disagree with the register? One definition per indicator type, in one place:
//   - ordinal scales (German level keins < A1 < ... < C2): a different level; the verdict says whether the
//     story is higher or lower than the register;
//   - categorical (enum, boolean): a different value;
//   - sets (multi, e.g. benefit receipt): a different set of values;
//   - number, likert5, date: a different number or day;
//   - states: "not applicable" against a known value disagrees; "unknown" on either side gives no verdict
//     (nothing is known to disagree with).
// Pure, shared by server and tests.

/** Indicators whose allowed values are ordered (lowest first). */
export const ORDINAL_SCALES: Readonly<Record<string, readonly string[]>> = {
  "S.DTNIV": ["keins", "A1", "A2", "B1", "B2", "C1", "C2"],
};

export type Observation = { state: string; value: unknown };

export type DisagreementKind = "ordinal" | "categorical" | "set" | "number" | "date" | "state";

export type Verdict =
  | { disagree: false }
  | { disagree: true; kind: DisagreementKind; /** ordinal only: the story's level against the register's */ direction?: "higher" | "lower" };

const AGREE: Verdict = { disagree: false };

function sameSet(a: unknown, b: unknown): boolean {
  const as = new Set((Array.isArray(a) ? a : [a]).map(String));
  const bs = new Set((Array.isArray(b) ? b : [b]).map(String));
  return as.size === bs.size && [...as].every((v) => bs.has(v));
}

/** null = no verdict possible (a side is unknown); otherwise whether story and register disagree. */
export function compareObservations(indicator: { code: string; type: string }, story: Observation, register: Observation): Verdict | null {
  if (story.state === "unknown" || register.state === "unknown") return null;
  if (story.state !== register.state) return { disagree: true, kind: "state" };
  if (story.state === "not_applicable") return AGREE;
  const scale = ORDINAL_SCALES[indicator.code];
  if (scale) {
    const s = scale.indexOf(String(story.value));
    const r = scale.indexOf(String(register.value));
    if (s < 0 || r < 0) return String(story.value) === String(register.value) ? AGREE : { disagree: true, kind: "categorical" };
    return s === r ? AGREE : { disagree: true, kind: "ordinal", direction: s > r ? "higher" : "lower" };
  }
  switch (indicator.type) {
    case "multi":
      return sameSet(story.value, register.value) ? AGREE : { disagree: true, kind: "set" };
    case "number":
    case "likert5":
      return Number(story.value) === Number(register.value) ? AGREE : { disagree: true, kind: "number" };
    case "date":
      return String(story.value).slice(0, 10) === String(register.value).slice(0, 10) ? AGREE : { disagree: true, kind: "date" };
    default: // enum, boolean
      return String(story.value) === String(register.value) ? AGREE : { disagree: true, kind: "categorical" };
  }
}

export type DatedObservation = Observation & { observedAt: Date; createdAt: Date };

/**
 * The register's value at a date: the latest observation on or before it (the later entry wins on the same
 * day), as currentValues() decides the current value. null when nothing was observed by then.
 */
export function registerValueAt<T extends DatedObservation>(observations: readonly T[], at: Date): T | null {
  let best: T | null = null;
  for (const o of observations) {
    if (o.observedAt.getTime() > at.getTime()) continue;
    if (!best || o.observedAt.getTime() > best.observedAt.getTime() || (o.observedAt.getTime() === best.observedAt.getTime() && o.createdAt.getTime() > best.createdAt.getTime())) best = o;
  }
  return best;
}
