// Form schemas of interviews, consent and withdrawal, shared by server (parseWithZod in actions) and browser
// (live validation). Messages are i18n keys; "interviews:" keys live in this feature's namespace.
import { z } from "zod";
import { CONSENT_FORMS, CONSENT_GIVERS, CONSENT_SCOPES, scopeColumn } from "../consent/scopes.ts";
import { WITHDRAWAL_PARTS } from "../withdrawal/parts.ts";
import { GROUND_MISSING, erasureGroundFieldsIfDeleting } from "../consent/erasure-grounds.ts";
import { INTERVIEW_LANGUAGES, PLACE_TYPES, WORKFLOW_STATUSES } from "./interview-fields.ts";
import { choice, dateField, intField, optionalText, requiredText, validationMessage as msg } from "../utils/validation.ts";

/** On the server the allowed ids are the researchers; the browser only checks that one is chosen. */
const userField = (allowedIds?: readonly string[]) => {
  const base = z.string({ required_error: msg("validation.choose") }).min(1, msg("validation.choose"));
  return allowedIds ? base.refine((id) => allowedIds.includes(id), msg("interviews:validation.researcher")) : base;
};

const languagesField = z
  .array(z.enum(INTERVIEW_LANGUAGES, { message: msg("validation.choose") }), { required_error: msg("interviews:validation.language") })
  .min(1, msg("interviews:validation.language"))
  .transform((langs) => [...new Set(langs)]);

const interviewFields = (researcherIds?: readonly string[]) => ({
  date: dateField({ allowFuture: true }),
  placeType: choice(PLACE_TYPES),
  languages: languagesField,
  interviewerId: userField(researcherIds),
  interpreterName: optionalText(200),
  durationMinutes: intField(1, 600).optional(),
});

export const newInterviewSchema = (researcherIds?: readonly string[]) =>
  z.object({
    casePseudonym: requiredText(30).transform((v) => v.toUpperCase()),
    ...interviewFields(researcherIds),
  });

export const editInterviewSchema = (researcherIds?: readonly string[]) =>
  z
    .object({
      ...interviewFields(researcherIds),
      status: choice(WORKFLOW_STATUSES),
      removeInterpreter: z.boolean().optional(),
      // Removing the name deletes identity data: only with a legal ground (ADR 0012).
      ...erasureGroundFieldsIfDeleting,
    })
    .superRefine((v, ctx) => {
      if (v.removeInterpreter && v.interpreterName) ctx.addIssue({ code: "custom", path: ["interpreterName"], message: msg("interviews:validation.interpreterBoth") });
      if (v.removeInterpreter && !v.ground) ctx.addIssue({ code: "custom", path: ["ground"], message: GROUND_MISSING });
    });

const flag = z.boolean().optional().default(false);
const scopeShape = Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), flag])) as Record<ReturnType<typeof scopeColumn>, typeof flag>;

export const consentSchema = (researcherIds?: readonly string[]) =>
  z
    .object({
      givenBy: choice(CONSENT_GIVERS),
      givenAt: dateField(),
      takenById: userField(researcherIds),
      form: choice(CONSENT_FORMS),
      language: choice(INTERVIEW_LANGUAGES),
      infoSheetVersion: requiredText(50),
      copyHandedOver: flag,
      interpreterPresent: flag,
      interpreterConfidentiality: flag,
      ...scopeShape,
    })
    .superRefine((v, ctx) => {
      if (v.interpreterConfidentiality && !v.interpreterPresent) {
        ctx.addIssue({ code: "custom", path: ["interpreterConfidentiality"], message: msg("interviews:validation.confidentialityWithoutInterpreter") });
      }
    });

/** Parts a partial withdrawal can name; "interview" means the whole interview. */
export const PARTIAL_PARTS = WITHDRAWAL_PARTS.filter((p) => p !== "interview");
export type PartialPart = (typeof PARTIAL_PARTS)[number];

export const withdrawalSchema = z
  .object({
    scope: z.enum(["whole", "partial"], { required_error: msg("validation.choose"), message: msg("validation.choose") }),
    parts: z.array(z.enum(PARTIAL_PARTS as [PartialPart, ...PartialPart[]], { message: msg("validation.choose") })).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "partial" && !v.parts?.length) ctx.addIssue({ code: "custom", path: ["parts"], message: msg("interviews:validation.parts") });
  });
