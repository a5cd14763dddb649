// Narrative.redactions holds the decisions and the workflow's bookkeeping (see RedactionState). Browser-safe.
import { z } from "zod";
import { EMPTY_REDACTION_STATE, REDACTION_CATEGORIES, type RedactionState } from "./redaction/types.ts";

const StateSchema = z.object({
  decisions: z
    .array(
      z.object({
        key: z.string(),
        text: z.string(),
        action: z.enum(["accept", "edit", "reject"]),
        replacement: z.string().optional(),
        manual: z.boolean().optional(),
        category: z.enum(REDACTION_CATEGORIES).optional(),
      }),
    )
    .default([]),
  nameMode: z.enum(["placeholder", "pseudonym"]).default("placeholder"),
  editorIds: z.array(z.string()).default([]),
  reviewComment: z.string().nullable().default(null),
  submittedById: z.string().nullable().default(null),
});

export function parseState(json: string | null | undefined): RedactionState {
  try {
    const raw: unknown = JSON.parse(json ?? "{}");
    // The column's default is "[]": no decisions yet.
    const parsed = StateSchema.safeParse(Array.isArray(raw) ? {} : raw);
    return parsed.success ? parsed.data : { ...EMPTY_REDACTION_STATE };
  } catch {
    return { ...EMPTY_REDACTION_STATE };
  }
}

export const serializeState = (state: RedactionState) => JSON.stringify(state);
