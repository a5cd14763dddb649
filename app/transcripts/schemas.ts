// Validation of what the editor and the forms send, shared by server and browser. Messages are i18n keys.
import { z } from "zod";
import { IMPORT_FORMATS } from "./formats/types.ts";
import { SPEAKER_ROLES } from "./speakers.ts";
import { intField, validationMessage } from "../utils/validation.ts";

/** Enough for a long interview; a larger save is refused rather than stored. */
export const MAX_PARAGRAPHS = 20_000;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Characters (UTF-16 units) of one turn; a longer one is refused by name, to be split (tooLongTurn). */
export const MAX_TURN_CHARS = 200_000;

export const wordSchema = z.object({
  t: z.string().max(200),
  s: z.number().int().min(0),
  e: z.number().int().min(0),
  p: z.number().min(0).max(1).optional(),
});

export const paragraphSchema = z
  .object({
    // 16 code points (MAX_SPEAKER_LENGTH) are up to 32 UTF-16 units: "Łukasz" fits either way, letters beyond the BMP too.
    speaker: z.string().trim().max(32).regex(/^[^:<>#\n]*$/),
    startMs: z.number().int().min(0),
    endMs: z.number().int().min(0),
    text: z.string().max(MAX_TURN_CHARS),
    words: z.array(wordSchema).max(100_000).nullable().optional(),
  })
  .refine((p) => p.endMs >= p.startMs, { message: "endMs before startMs" });

export type TooLongTurn = { index: number; speaker: string; startMs: number; length: number };

/**
 * The first turn of a refused save whose text is over MAX_TURN_CHARS, read from the raw form field: the editor
 * names it (speaker, time) so the person can split it, instead of "could not be read". null: none is.
 */
export function tooLongTurn(field: unknown): TooLongTurn | null {
  let paragraphs: unknown;
  try {
    paragraphs = typeof field === "string" ? JSON.parse(field) : null;
  } catch {
    return null;
  }
  if (!Array.isArray(paragraphs)) return null;
  const index = paragraphs.findIndex((p: unknown) => typeof (p as { text?: unknown } | null)?.text === "string" && (p as { text: string }).text.length > MAX_TURN_CHARS);
  if (index < 0) return null;
  const { speaker, startMs, text } = paragraphs[index] as { speaker?: unknown; startMs?: unknown; text: string };
  return { index, speaker: typeof speaker === "string" ? speaker.slice(0, 32) : "", startMs: typeof startMs === "number" && startMs >= 0 ? startMs : 0, length: text.length };
}

/** A form field holding JSON (the editor sends its document this way); unparsable JSON is "invalid". */
const jsonField = (field: z.ZodString) =>
  field.transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: validationMessage("transcripts:save.invalid") });
      return z.NEVER;
    }
  });

/** The paragraphs as a JSON form field. */
const paragraphsField = jsonField(z.string({ required_error: validationMessage("validation.required") })).pipe(
  z.array(paragraphSchema, { invalid_type_error: validationMessage("transcripts:save.invalid") }).min(1).max(MAX_PARAGRAPHS),
);

/** The roles the editor gave speaker labels ({"Rosa": "interviewer"}), a JSON form field; absent keeps the stored ones. */
const speakerRolesField = jsonField(z.string())
  .pipe(z.record(z.string().max(32), z.enum(SPEAKER_ROLES)).refine((roles) => Object.keys(roles).length <= 1_000))
  .optional();

export const SaveSchema = z.object({
  intent: z.literal("save"),
  version: intField(1, 2_000_000_000),
  paragraphs: paragraphsField,
  speakerRoles: speakerRolesField,
});

export const CheckSchema = z.object({
  intent: z.literal("check"),
  version: intField(1, 2_000_000_000),
});

export const RestoreSchema = z.object({
  intent: z.literal("restore"),
  version: intField(1, 2_000_000_000),
});

export const IMPORT_ORIGINS = ["own", "external"] as const;

/**
 * The import form; whether replacing must be confirmed depends on the interview. A transcript an external service
 * produced needs consent to external transcription (externalAllowed: mayProcess(…, "externalTranscription")).
 */
export function importSchema(hasTranscript: boolean, externalAllowed: boolean) {
  return z
    .object({
      file: z.instanceof(File, { message: validationMessage("transcripts:import.errors.noFile") }).refine((f) => f.size > 0, validationMessage("transcripts:import.errors.noFile")),
      // `message` also covers a value that is not one of the options (a tampered form): zod would say it in English.
      format: z.enum(["auto", ...IMPORT_FORMATS], { message: validationMessage("transcripts:import.errors.format") }).default("auto"),
      mergeSameSpeaker: z.boolean().optional(),
      replace: z.boolean().optional(),
      // Asked every time, no default: a forgotten tick must not let an external transcript past its consent.
      origin: z.enum(IMPORT_ORIGINS, { message: validationMessage("transcripts:import.errors.origin") }),
    })
    .superRefine((v, ctx) => {
      if (v.file.size > MAX_IMPORT_BYTES) ctx.addIssue({ code: "custom", path: ["file"], message: validationMessage("transcripts:import.errors.tooLarge", { mb: MAX_IMPORT_BYTES / 1024 / 1024 }) });
      if (hasTranscript && !v.replace) ctx.addIssue({ code: "custom", path: ["replace"], message: validationMessage("transcripts:import.confirmRequired") });
      if (v.origin === "external" && !externalAllowed) ctx.addIssue({ code: "custom", path: ["origin"], message: validationMessage("transcripts:import.originExternalMissing") });
    });
}
