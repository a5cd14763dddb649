// What the editor sends about codings: anchors with a transcript save, and the coding actions of the resource route
// (app/routes/interviews.$interviewId.codings.tsx). Shared by server and browser.
import { z } from "zod";

/** Longest coding comment; the panel counts towards it (a maxLength would cut pasted text without a word). */
export const MAX_COMMENT = 5_000;

const offset = z.number().int().min(0).max(100_000_000);
const id = z.string().min(1).max(64);

/** With every save: the codings the editor knows, and where they are now (known without a position = words deleted). */
export const anchorsSchema = z.object({
  known: z.array(id).max(200_000),
  positions: z.array(z.object({ id, start: offset, end: offset })).max(200_000),
});
export type Anchors = z.infer<typeof anchorsSchema>;

/** The anchors form field (JSON), or undefined when the editor sent none. */
export function parseAnchorsField(value: FormDataEntryValue | null): Anchors | undefined | "invalid" {
  if (value === null || value === "") return undefined;
  if (typeof value !== "string") return "invalid";
  try {
    const parsed = anchorsSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : "invalid";
  } catch {
    return "invalid";
  }
}

const version = z.number().int().min(1).max(2_000_000_000);

export const codingActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("apply"), transcriptVersion: version, start: offset, end: offset, codeIds: z.array(id).min(1).max(50) }),
  z.object({ intent: z.literal("update"), codingId: id, transcriptVersion: version, start: offset.optional(), end: offset.optional(), comment: z.string().max(MAX_COMMENT).nullable().optional() }),
  z.object({ intent: z.literal("remove"), codingId: id }),
]);
export type CodingAction = z.infer<typeof codingActionSchema>;
