// The four integration dimensions of the codebook and the indicators (STR, KUL, SOZ, IDE). Browser-safe.
export const DIMENSION_KEYS = ["STR", "KUL", "SOZ", "IDE"] as const;
export type DimensionKey = (typeof DIMENSION_KEYS)[number];

/** STR / KUL / SOZ / IDE of a code key (KUL.SPR -> KUL), or null for cross-cutting codes (X.*) and others. */
export function dimensionOfKey(key: string | null): DimensionKey | null {
  const head = key?.split(".")[0] ?? "";
  return (DIMENSION_KEYS as readonly string[]).includes(head) ? (head as DimensionKey) : null;
}
