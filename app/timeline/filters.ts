// Timeline filters, shared by the page (checkboxes, select) and the server (parsing the URL). Unknown values
// are ignored, not errors; no kind chosen means every kind.
import { DIMENSION_KEYS, type DimensionKey } from "../links/dimensions.ts";

export const TIMELINE_KINDS = ["snapshot", "passage", "interview", "note", "contact", "plan", "case"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export { DIMENSION_KEYS as TIMELINE_DIMENSIONS };

export type TimelineFilters = { dimension: DimensionKey | null; kinds: TimelineKind[] };

export function parseTimelineFilters(url: URL): TimelineFilters {
  const dimension = url.searchParams.get("dimension");
  const kinds = url.searchParams.getAll("kind").filter((k): k is TimelineKind => (TIMELINE_KINDS as readonly string[]).includes(k));
  return {
    dimension: (DIMENSION_KEYS as readonly string[]).includes(dimension ?? "") ? (dimension as DimensionKey) : null,
    kinds: [...new Set(kinds)],
  };
}

/** Whether an entry passes: its kind is chosen (or none is), and it belongs to the chosen dimension (if any). */
export function passes(filters: TimelineFilters, entry: { kind: TimelineKind; dimensions: readonly string[] }): boolean {
  if (filters.kinds.length && !filters.kinds.includes(entry.kind)) return false;
  return !filters.dimension || entry.dimensions.includes(filters.dimension);
}
