// The "record a snapshot" form: one zod schema for browser and server, built for the chosen indicator so
// the value is checked with parseValue() against that indicator's type and allowed values.
import countries from "i18n-iso-countries";
import { z } from "zod";
import { choice, dateField, validationMessage } from "../utils/validation.ts";
import { parseQualifiers, parseValue, SNAPSHOT_SOURCES, SNAPSHOT_STATES, type IndicatorShape, type QualifierValues, type ValueResult } from "./values.ts";

export type FormIndicator = IndicatorShape & { code: string; qualifiers?: string | null };

/** Nationality has no fixed list: it is typed as ISO 3166-1 alpha-3 codes ("SYR, UKR"). */
export const NATIONALITY_CODE = "P.STAAT";
const BIRTH_YEAR_CODE = "P.GEBJ";
const NATIONALITY_WORDS: Record<string, string> = { staatenlos: "staatenlos", ungeklaert: "ungeklaert", "ungeklärt": "ungeklaert" };

export function isFreeCodeList(def: Pick<FormIndicator, "code" | "type" | "allowedValues">): boolean {
  return def.type === "multi" && !def.allowedValues && def.code === NATIONALITY_CODE;
}

/** Form input (one string, several, or none) as the list of strings parseValue() expects. */
export function rawValues(def: FormIndicator, value: unknown): string[] {
  const list = value == null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
  if (!isFreeCodeList(def)) return list;
  return list
    .flatMap((v) => v.split(/[\s,;]+/))
    .filter(Boolean)
    .map((v) => NATIONALITY_WORDS[v.toLowerCase()] ?? v.toUpperCase());
}

export function parseSnapshotValue(def: FormIndicator, value: unknown): ValueResult {
  const raw = rawValues(def, value);
  if (isFreeCodeList(def) && raw.some((v) => !/^[A-Z]{3}$/.test(v) && !Object.values(NATIONALITY_WORDS).includes(v))) {
    return { ok: false, error: "indicators:value.nationality" };
  }
  // Three letters are not yet a country: "XYZ" was saved and shown as it was.
  const unknown = isFreeCodeList(def) ? raw.find((v) => /^[A-Z]{3}$/.test(v) && !countries.alpha3ToAlpha2(v)) : undefined;
  if (unknown) return { ok: false, error: validationMessage("indicators:value.unknownCountry", { code: unknown }) };
  return parseValue(def, raw);
}

/** Adds the first issue of `schema` for `value` at `path`; returns the parsed value, or undefined. */
function check<T>(ctx: z.RefinementCtx, path: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  ctx.addIssue({ code: "custom", path: [path], message: result.error.issues[0]?.message ?? validationMessage("validation.invalid") });
  return undefined;
}

/**
 * Every field is checked in one pass (not field schemas first and the value afterwards), so a form with
 * several mistakes shows all of them at once, the value's next to the value.
 */
export function snapshotSchema(def: FormIndicator | null) {
  return z
    .object({
      indicator: z.string().optional(),
      state: z.string().optional(),
      value: z.union([z.string(), z.array(z.string())]).optional(),
      observedAt: z.string().optional(),
      source: z.string().optional(),
      verified: z.boolean().optional(),
      qualifiers: z.record(z.union([z.string(), z.array(z.string())])).optional(),
    })
    .transform((v, ctx) => {
      if (!def || v.indicator !== def.code) ctx.addIssue({ code: "custom", path: ["indicator"], message: "indicators:value.indicator" });
      const state = check(ctx, "state", choice(SNAPSHOT_STATES), v.state);
      const observedAt = check(ctx, "observedAt", dateField(), v.observedAt);
      const source = check(ctx, "source", choice(SNAPSHOT_SOURCES), v.source);
      // unknown / not applicable carry no value
      if (def && state === "known") {
        const result = parseSnapshotValue(def, v.value);
        if (!result.ok) ctx.addIssue({ code: "custom", path: ["value"], message: result.error });
        // A birth year after the day it was observed cannot be right.
        else if (def.code === BIRTH_YEAR_CODE && observedAt && typeof result.value === "number" && result.value > observedAt.getUTCFullYear()) {
          ctx.addIssue({ code: "custom", path: ["value"], message: validationMessage("indicators:value.birthYearAfter", { year: observedAt.getUTCFullYear() }) });
        }
      }
      // Details of the value (evidence, where gained): only a known value has them; "unknown" keeps none.
      let qualifiers: QualifierValues | null = null;
      if (def && state === "known") {
        const result = parseQualifiers(def, v.qualifiers);
        if (!result.ok) ctx.addIssue({ code: "custom", path: ["qualifiers", result.key], message: result.error });
        else qualifiers = result.value;
      }
      if (!def || !state || !observedAt || !source) return z.NEVER;
      return { indicator: def.code, state, value: v.value, observedAt, source, verified: v.verified ?? false, qualifiers };
    });
}

export type SnapshotInput = z.infer<ReturnType<typeof snapshotSchema>>;

/**
 * A stored value as the form's `value` field holds it (the inverse of parseSnapshotValue): the last observation
 * taken over as the start of a new one ("still A1 as of today"). Nationalities are typed as one list ("SYR, UKR").
 */
export function formValueOf(def: FormIndicator, value: unknown): string | string[] | undefined {
  if (value == null) return undefined;
  if (Array.isArray(value)) return isFreeCodeList(def) ? value.map(String).join(", ") : value.map(String);
  return String(value);
}
