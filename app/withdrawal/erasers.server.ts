// Withdrawal erases through registered erasers: each store that holds interview data (database rows,
// recordings storage, and later the search index and transcription jobs) registers one. An eraser must be
// idempotent: a withdrawal interrupted by a crash is simply run again.
export const WITHDRAWAL_PARTS = ["recording", "consent_documents", "transcript", "codings", "links", "interview"] as const;
export type WithdrawalPart = (typeof WITHDRAWAL_PARTS)[number];

export type EraseContext = { interviewId: string; caseId: string | null; parts: ReadonlySet<WithdrawalPart> };
export type Eraser = {
  name: string; // e.g. "storage", "database", "search-index"
  /** What would be erased, for the preview (counts and kinds, never content). */
  preview(ctx: EraseContext): Promise<Record<string, number>>;
  /** Erases and reports what was removed; safe to call again. */
  erase(ctx: EraseContext): Promise<Record<string, number>>;
  /** Order: running jobs are stopped first, the database rows last. */
  order: number;
};

const registry = new Map<string, Eraser>();

export function registerEraser(eraser: Eraser) {
  registry.set(eraser.name, eraser);
}

export function erasers(): Eraser[] {
  return [...registry.values()].sort((a, b) => a.order - b.order);
}
