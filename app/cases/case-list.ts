// The case list's URL vocabulary, shared by the list page (browser) and the query (server).
export const PAGE_SIZE = 25;
export const SORT_KEYS = ["pseudonym", "municipality", "start", "status"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** `open` = missing, unknown or stale: the dashboard's "gap". Drill-down links use these values. */
export const GAP_FILTERS = ["open", "missing", "unknown", "stale"] as const;
export type GapFilter = (typeof GAP_FILTERS)[number];
