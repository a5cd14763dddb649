// Dashboard filters, shared by the page (select options) and the server (parsing the URL).
import { CASE_GROUPS, type CaseGroup } from "../cases/case-fields.ts";

/** Indicator dimensions; "none" is the personal base data without a dimension (P.*). */
export const DIMENSIONS = ["none", "STR", "KUL", "SOZ", "IDE"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Up to this many municipalities the table lists every indicator by municipality at once (an integration manager's few). */
export const MUNICIPALITY_TABLE_LIMIT = 8;

export type DashboardFilters = { group: CaseGroup | null; dimension: Dimension | null };

/** Unknown filter values are ignored, not errors. */
export function parseFilters(url: URL): DashboardFilters {
  const group = url.searchParams.get("group");
  const dimension = url.searchParams.get("dimension");
  return {
    group: (CASE_GROUPS as readonly string[]).includes(group ?? "") ? (group as CaseGroup) : null,
    dimension: (DIMENSIONS as readonly string[]).includes(dimension ?? "") ? (dimension as Dimension) : null,
  };
}
