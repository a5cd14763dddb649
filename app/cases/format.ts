// Dates of the register are calendar days stored as UTC midnight: format and edit them in UTC, so no time
// zone shifts a day.
import { useTranslation } from "react-i18next";
import { PLAN_AREAS } from "./case-fields.ts";
import { todayInGermany } from "../utils/validation.ts";

export function formatDate(value: string | Date | null | undefined, language: string): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(value));
}

/** The value of an <input type="date">. */
export function dateInputValue(value: string | Date | null | undefined): string {
  if (!value) return "";
  return new Date(value).toISOString().slice(0, 10);
}

/** Today for an <input type="date">: the calendar day in Germany (in UTC it is still yesterday after midnight). */
export function todayInputValue(): string {
  return todayInGermany();
}

export function useFormatDate() {
  const { i18n } = useTranslation();
  return (value: string | Date | null | undefined) => formatDate(value, i18n.language);
}

/** Plan areas in their fixed order (sprache, schule, ...), whatever order the database returned. */
export function sortAreas<T extends { area: string }>(areas: T[]): T[] {
  const rank = (a: string) => (PLAN_AREAS as readonly string[]).indexOf(a);
  return [...areas].sort((a, b) => rank(a.area) - rank(b.area));
}
