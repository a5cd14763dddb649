// Form schemas of the codebook pages (server parses with them; messages are i18n keys, see app/utils/validation.ts).
import { z } from "zod";
import { optionalText, requiredText, validationMessage } from "../utils/validation.ts";
import { GROUND_MISSING, erasureGroundFieldsIfDeleting } from "../consent/erasure-grounds.ts";

const colour = z
  .string({ required_error: validationMessage("validation.required") })
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, validationMessage("codebook:validation.colour"));

/** One example per line. */
const examples = optionalText(4000).transform((v) => (v ?? "").split(/\r?\n/).map((e) => e.trim()).filter(Boolean));

export const CodeSchema = z.object({
  name: requiredText(120),
  nameEn: optionalText(120),
  colour,
  description: optionalText(2000),
  examples,
  specialCategory: z.boolean().optional(),
  parentId: z.string().optional(),
});

export const MoveSchema = z.object({
  parentId: z.string().optional(),
  // 1-based place among the new siblings, as the page shows it
  place: z.coerce.number({ invalid_type_error: validationMessage("validation.number") }).int().min(1).max(10_000),
});

export const MergeSchema = z.object({ targetId: requiredText(100), confirm: z.boolean().optional() });

export const DeleteSchema = z
  .object({
    codings: z.enum(["none", "reassign", "delete"]).default("none"),
    targetId: z.string().optional(),
    confirm: z.boolean().optional(),
    ...erasureGroundFieldsIfDeleting,
  })
  // Dropping the codings deletes them from interviews (with their comments and memos): only with a legal ground
  // (ADR 0012). Moving them to another code, or deleting an unused code, deletes nothing of an interview.
  .superRefine((v, ctx) => {
    if (v.codings === "delete" && !v.ground) ctx.addIssue({ code: "custom", path: ["ground"], message: GROUND_MISSING });
  });
