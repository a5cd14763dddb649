// Indicator value types and their validation, shared by forms, seed and import.
// A snapshot is `known` with a value, or explicitly `unknown` / `not_applicable`: never blank.
export const SNAPSHOT_STATES = ["known", "unknown", "not_applicable"] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];
export const SNAPSHOT_SOURCES = ["selbstauskunft", "im_akte", "dokument", "behoerde"] as const;
export type SnapshotSource = (typeof SNAPSHOT_SOURCES)[number];
export const INDICATOR_TYPES = ["enum", "multi", "number", "date", "boolean", "likert5"] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** The columns of an indicator definition that forms, lists and value checks read (a Prisma select). */
export const DEFINITION_COLUMNS = {
  id: true,
  code: true,
  labelDe: true,
  labelEn: true,
  category: true,
  dimension: true,
  type: true,
  allowedValues: true,
  minValue: true,
  maxValue: true,
  qualifiers: true,
  stalenessMonths: true,
} as const;

export type IndicatorShape = {
  type: string;
  allowedValues: string | null; // JSON array
  minValue: number | null;
  maxValue: number | null;
};

export function allowedValuesOf(def: Pick<IndicatorShape, "allowedValues">): string[] | null {
  if (!def.allowedValues) return null;
  const parsed: unknown = JSON.parse(def.allowedValues);
  return Array.isArray(parsed) ? parsed.map(String) : null;
}

export type ValueResult = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Checks raw form input (one string, or several for `multi`) against the definition and returns the
 * value to store. Errors are i18n keys of the indicators namespace.
 */
/** Values of a multiple choice that exclude every other (S.LEIST keiner, P.STAAT staatenlos / ungeklaert). */
export const EXCLUSIVE_VALUES = new Set(["keiner", "staatenlos", "ungeklaert"]);

export function parseValue(def: IndicatorShape, raw: string[]): ValueResult {
  const first = (raw[0] ?? "").trim();
  const allowed = allowedValuesOf(def);
  switch (def.type) {
    case "enum":
      if (!first) return { ok: false, error: "indicators:value.required" };
      if (allowed && !allowed.includes(first)) return { ok: false, error: "indicators:value.notAllowed" };
      return { ok: true, value: first };
    case "multi": {
      const values = [...new Set(raw.map((r) => r.trim()).filter(Boolean))];
      if (values.length === 0) return { ok: false, error: "indicators:value.required" };
      if (allowed && values.some((v) => !allowed.includes(v))) return { ok: false, error: "indicators:value.notAllowed" };
      if (!allowed && values.some((v) => !/^[A-Za-z_]{2,20}$/.test(v))) return { ok: false, error: "indicators:value.notAllowed" };
      // "none", "stateless", "unresolved" stand alone: "no benefits, Bürgergeld" says two contrary things.
      const alone = values.find((v) => EXCLUSIVE_VALUES.has(v));
      if (alone && values.length > 1) return { ok: false, error: `indicators:value.exclusive|${JSON.stringify({ value: alone })}` };
      return { ok: true, value: values };
    }
    case "number": {
      if (!first) return { ok: false, error: "indicators:value.required" };
      const n = Number(first.replace(",", "."));
      if (!Number.isFinite(n)) return { ok: false, error: "indicators:value.number" };
      // The indicator set's numbers are years and scale points: a 1990.5 or a 7.5 is a typing slip, not a value.
      if (!Number.isInteger(n)) return { ok: false, error: "indicators:value.wholeNumber" };
      if ((def.minValue != null && n < def.minValue) || (def.maxValue != null && n > def.maxValue)) return { ok: false, error: "indicators:value.range" };
      return { ok: true, value: n };
    }
    case "date":
      if (!/^\d{4}-\d{2}-\d{2}$/.test(first) || Number.isNaN(Date.parse(first))) return { ok: false, error: "indicators:value.date" };
      return { ok: true, value: first };
    case "boolean":
      if (first !== "true" && first !== "false") return { ok: false, error: "indicators:value.required" };
      return { ok: true, value: first === "true" };
    case "likert5": {
      const n = Number(first);
      if (!Number.isInteger(n) || n < 1 || n > 5) return { ok: false, error: "indicators:value.likert" };
      return { ok: true, value: n };
    }
    default:
      return { ok: false, error: "indicators:value.notAllowed" };
  }
}

export function encodeValue(value: unknown): string {
  return JSON.stringify(value);
}

export function decodeValue(stored: string | null): unknown {
  return stored == null ? null : JSON.parse(stored);
}

/**
 * The moment before which an observation is stale: `now` less the indicator's staleness period in calendar months
 * (31 March less one month is 28/29 February). One definition for the JavaScript and the SQL side
 * (app/indicators/current.server.ts counts stale values in the database against it).
 */
export function staleBefore(now: Date, stalenessMonths: number): Date {
  const d = new Date(now);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - stalenessMonths);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** A current value is stale when it was observed longer ago than the indicator's staleness period. */
export function isStale(observedAt: Date, stalenessMonths: number, now = new Date()): boolean {
  return observedAt.getTime() < staleBefore(now, stalenessMonths).getTime();
}

// ---- qualifiers: further details a value may carry (indicators.yaml: the German level's `evidence`, where the
// highest qualification was gained, the kind of association). Optional; only with a known value.

export type Qualifier = { key: string; values: string[]; multiple: boolean };
export type QualifierValues = Record<string, string | string[]>;

export function qualifiersOf(def: { qualifiers?: string | null }): Qualifier[] {
  if (!def.qualifiers) return [];
  const parsed: unknown = JSON.parse(def.qualifiers);
  return Array.isArray(parsed) ? (parsed as Qualifier[]) : [];
}

/** Form input per qualifier key (one string, several or none) checked against the definition; empty ones dropped. */
export function parseQualifiers(def: { qualifiers?: string | null }, raw: Record<string, unknown> | undefined): { ok: true; value: QualifierValues | null } | { ok: false; key: string; error: string } {
  const out: QualifierValues = {};
  for (const q of qualifiersOf(def)) {
    const given = raw?.[q.key];
    const list = [...new Set((given == null ? [] : Array.isArray(given) ? given : [given]).map((v) => String(v).trim()).filter(Boolean))];
    if (list.length === 0) continue;
    if (list.some((v) => !q.values.includes(v))) return { ok: false, key: q.key, error: "indicators:value.notAllowed" };
    if (!q.multiple && list.length > 1) return { ok: false, key: q.key, error: "indicators:value.notAllowed" };
    out[q.key] = q.multiple ? list : list[0]!;
  }
  return { ok: true, value: Object.keys(out).length ? out : null };
}
