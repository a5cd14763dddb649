// Limits for imported files (shared by the page, which states them, and the readers, which enforce them).
export const REFI_LIMITS = {
  /** largest upload (the request body is refused beyond this while it streams in) */
  uploadBytes: 50 * 1024 * 1024,
  /** entries in a .qdpx's central directory */
  entries: 2000,
  /** inflated bytes of any one entry we read (project.qde, a text source) */
  entryBytes: 20 * 1024 * 1024,
  /** inflated bytes of all entries we read together */
  totalBytes: 100 * 1024 * 1024,
  /** inflated/compressed of an entry larger than ratioFloorBytes: text compresses ~3-20x, a bomb ~1000x */
  ratio: 100,
  ratioFloorBytes: 1024 * 1024,
  /** elements in one XML document */
  xmlElements: 200_000,
} as const;

export type RefiLimits = { [K in keyof typeof REFI_LIMITS]: number };
