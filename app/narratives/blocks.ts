// A narrative is a list of blocks in case-timeline order: free text, quoted passages (from interviews whose
// consent has the quotation scope) and indicator changes. Stored as JSON in Narrative.blocks; browser-safe.
import { z } from "zod";

const at = z.string().regex(/^\d{4}(?:-\d{2})?$/).nullable().default(null);

export const TextBlockSchema = z.object({ id: z.string(), kind: z.literal("text"), text: z.string(), at });
export const QuoteBlockSchema = z.object({
  id: z.string(),
  kind: z.literal("quote"),
  interviewId: z.string(),
  /** code points of the transcript's plain text (writeText), like codings */
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  text: z.string(),
  codingId: z.string().nullable().default(null),
  at,
});
export const IndicatorBlockSchema = z.object({ id: z.string(), kind: z.literal("indicator"), snapshotId: z.string(), indicatorCode: z.string(), text: z.string(), at });
export const BlockSchema = z.discriminatedUnion("kind", [TextBlockSchema, QuoteBlockSchema, IndicatorBlockSchema]);

export type Block = z.infer<typeof BlockSchema>;
export type TextBlock = z.infer<typeof TextBlockSchema>;
export type QuoteBlock = z.infer<typeof QuoteBlockSchema>;
export type IndicatorBlock = z.infer<typeof IndicatorBlockSchema>;

export const BLOCK_KINDS = ["text", "quote", "indicator"] as const;

export function parseBlocks(json: string | null | undefined): Block[] {
  try {
    const parsed = z.array(BlockSchema).safeParse(JSON.parse(json ?? "[]"));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * Timeline order: dated blocks by their date; an undated block stays right after the block it follows, so a
 * researcher's commentary keeps its place. Stable for equal dates.
 */
export function sortByTimeline(blocks: readonly Block[]): Block[] {
  let carried = "";
  const keyed = blocks.map((b, i) => {
    if (b.at) carried = b.at;
    return { b, key: b.at ?? carried, i };
  });
  return keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i)).map((k) => k.b);
}

/** Where a new dated block goes: after the last block not later than it (end when undated). */
export function insertByTimeline(blocks: readonly Block[], block: Block): Block[] {
  if (!block.at) return [...blocks, block];
  let index = 0;
  let carried = "";
  blocks.forEach((b, i) => {
    if (b.at) carried = b.at;
    if ((b.at ?? carried) <= block.at!) index = i + 1;
  });
  return [...blocks.slice(0, index), block, ...blocks.slice(index)];
}

/** Text blocks are plain text; a blank line starts a new paragraph. */
export const paragraphsOf = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);

export const NARRATIVE_STATUSES = ["draft", "in_review", "released", "retracted"] as const;
export type NarrativeStatus = (typeof NARRATIVE_STATUSES)[number];
