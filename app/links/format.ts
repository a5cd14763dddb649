// Showing a passage's value and an observation on the links page, the timeline and the contradiction lists.
import type { TFunction } from "i18next";
import { formatValue } from "../indicators/format.ts";

type T = TFunction | ((key: string, options?: Record<string, unknown>) => string);

/** "B1", "unbekannt", "entfällt (trifft nicht zu)" */
export function observationText(t: T, indicator: { code: string; type: string }, state: string, value: unknown, language: string): string {
  if (state !== "known") return (t as (k: string) => string)(`indicators:state.${state}`);
  return formatValue(t, indicator, value, language);
}

/** The code's name in the page language (codes made in the app may have no English name). */
export function codeName(code: { name: string; nameEn: string | null }, language: string): string {
  return language.startsWith("en") && code.nameEn ? code.nameEn : code.name;
}
