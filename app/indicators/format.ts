// Showing indicator values and gap states in the UI (shared by server and browser). Labels live in the
// i18n namespace "indicators"; codes and values contain dots (S.AUFST, "k.A."), so value labels are read
// from the whole "values" object instead of through dotted keys.
import type { TFunction } from "i18next";
import countries from "i18n-iso-countries";

/** What a user sees per indicator: "not applicable" is a known answer, but shown as such. */
export const DISPLAY_STATES = ["current", "stale", "unknown", "not_applicable", "missing"] as const;
export type DisplayState = (typeof DISPLAY_STATES)[number];

export function displayState(current: { state: string; stale: boolean } | null | undefined): DisplayState {
  if (!current) return "missing";
  if (current.state === "unknown") return "unknown";
  if (current.stale) return "stale";
  return current.state === "not_applicable" ? "not_applicable" : "current";
}

/** CSS modifier of the existing .badge classes (known / stale / unknown), plus the text: never colour alone. */
export function badgeClass(state: DisplayState): string {
  if (state === "current" || state === "not_applicable") return "badge known";
  if (state === "stale") return "badge stale";
  return "badge unknown";
}

type T = TFunction | ((key: string, options?: Record<string, unknown>) => string);

function valueLabels(t: T): Record<string, Record<string, string>> {
  const all = (t as (k: string, o: Record<string, unknown>) => unknown)("indicators:values", { returnObjects: true });
  return all && typeof all === "object" ? (all as Record<string, Record<string, string>>) : {};
}

/** The readable label of one enumerated value, or the value itself. */
export function valueLabel(t: T, code: string, value: string): string {
  return valueLabels(t)[code]?.[value] ?? value;
}

export function formatDay(value: string | Date | null | undefined, language: string): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(value));
}

/** Nationality is kept as ISO 3166-1 alpha-3 codes (snapshot-form.ts): shown as the country's name in the page
 *  language with the code beside it ("Somalia (SOM)"); null for anything else (staatenlos, an unknown code). */
function countryLabel(code: string, language: string): string | null {
  const alpha2 = /^[A-Z]{3}$/.test(code) ? countries.alpha3ToAlpha2(code) : undefined;
  if (!alpha2) return null;
  try {
    const name = new Intl.DisplayNames([language], { type: "region", fallback: "none" }).of(alpha2);
    return name ? `${name} (${code})` : null;
  } catch {
    return null;
  }
}

const NATIONALITY = "P.STAAT";

/** A stored (decoded) value as text, according to the indicator's type. */
export function formatValue(t: T, def: { code: string; type: string }, value: unknown, language: string): string {
  if (value === null || value === undefined) return "";
  const tt = t as (k: string, o?: Record<string, unknown>) => string;
  switch (def.type) {
    case "enum":
      return valueLabel(t, def.code, String(value));
    case "multi":
      return (Array.isArray(value) ? value : [value]).map((v) => (def.code === NATIONALITY ? countryLabel(String(v), language) : null) ?? valueLabel(t, def.code, String(v))).join(", ");
    case "boolean":
      return tt(`indicators:boolean.${value === true ? "true" : "false"}`);
    case "likert5":
      return tt(`indicators:likert.${String(value)}`);
    case "number":
      return typeof value === "number" ? new Intl.NumberFormat(language, { useGrouping: def.code !== "P.GEBJ" }).format(value) : String(value);
    case "date":
      return formatDay(`${String(value)}T00:00:00.000Z`, language);
    default:
      return String(value);
  }
}

/** Qualifiers as text after the value: "telc", "in Deutschland erworben", "Sport, Kultur"; "" when none. */
export function formatQualifiers(t: T, qualifiers: Record<string, string | string[]> | null | undefined): string {
  if (!qualifiers) return "";
  const all = (t as (k: string, o: Record<string, unknown>) => unknown)("indicators:qualifiers", { returnObjects: true });
  const labels = all && typeof all === "object" ? (all as Record<string, { values?: Record<string, string> }>) : {};
  return Object.entries(qualifiers)
    .map(([key, v]) => (Array.isArray(v) ? v : [v]).map((x) => labels[key]?.values?.[x] ?? x).join(", "))
    .filter(Boolean)
    .join("; ");
}

/** The indicator's label in the page language. */
export function indicatorLabel(def: { labelDe: string; labelEn: string }, language: string): string {
  // The indicator set writes English names in lower case ("sex", "residence status"); as labels they start upper case.
  return language.startsWith("en") ? def.labelEn.charAt(0).toLocaleUpperCase("en") + def.labelEn.slice(1) : def.labelDe;
}

/** "12 %" / "12%" as the locale writes it; null (not computable) stays null. */
export function formatShare(share: number | null, language: string): string | null {
  if (share === null || !Number.isFinite(share)) return null;
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }).format(share);
}
