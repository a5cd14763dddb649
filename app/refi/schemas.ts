// The import forms of the exchange page, shared by server (parseWithZod in the action) and browser. Messages are
// i18n keys. The researcher declares the consent documented for the imported interviews; transcription and
// analysis are required, because the import creates transcripts and codings.
import { z } from "zod";
import { CONSENT_FORMS, CONSENT_GIVERS, CONSENT_SCOPES } from "../consent/scopes.ts";
import { INTERVIEW_LANGUAGES, PLACE_TYPES } from "../interviews/interview-fields.ts";
import { choice, dateField, requiredText, validationMessage } from "../utils/validation.ts";
import { REFI_LIMITS } from "./limits.ts";

export const REQUIRED_SCOPES = ["transcription", "analysis"] as const;

const fileField = (extension: ".qdc" | ".qdpx") =>
  z
    .instanceof(File, { message: validationMessage("refi:import.errors.noFile") })
    .refine((f) => f.size > 0, validationMessage("refi:import.errors.noFile"))
    .refine((f) => f.size <= REFI_LIMITS.uploadBytes, validationMessage("refi:import.errors.tooLarge", { mb: REFI_LIMITS.uploadBytes / 1024 / 1024 }))
    .refine((f) => f.name.toLowerCase().endsWith(extension), validationMessage("refi:import.errors.extension", { extension }));

export const codebookImportSchema = z.object({
  intent: z.literal("codebook"),
  file: fileField(".qdc"),
});

export const projectImportSchema = z
  .object({
    intent: z.literal("project"),
    file: fileField(".qdpx"),
    casePseudonym: requiredText(30).transform((v) => v.toUpperCase()),
    placeType: choice(PLACE_TYPES),
    givenBy: choice(CONSENT_GIVERS),
    givenAt: dateField(),
    form: choice(CONSENT_FORMS),
    language: choice(INTERVIEW_LANGUAGES),
    infoSheetVersion: requiredText(50),
    scopes: z.array(z.enum(CONSENT_SCOPES), { required_error: validationMessage("refi:import.errors.scopes") }).default([]),
    importAgain: z.boolean().default(false),
    confirmConsent: z.boolean({ required_error: validationMessage("refi:import.errors.confirm") }).refine((v) => v, validationMessage("refi:import.errors.confirm")),
  })
  .superRefine((v, ctx) => {
    if (!REQUIRED_SCOPES.every((s) => v.scopes.includes(s))) ctx.addIssue({ code: "custom", path: ["scopes"], message: validationMessage("refi:import.errors.scopes") });
  });

export const exportQuerySchema = z.object({ audio: z.enum(["0", "1"]).default("0") });
