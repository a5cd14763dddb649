// Form schemas of the case register, shared by server (parseWithZod in actions) and browser (live validation).
// Messages are i18n keys; a key with "cases:" lives in this feature's namespace.
import { z } from "zod";
import { ARCHIVE_REASONS, CASE_GROUPS, CONTACT_KINDS, PLAN_AREAS, PLAN_STATUSES } from "./case-fields.ts";
import { IdentitySchema } from "../identity/identity.ts";
import { choice, dateField, intField, requiredText, validationMessage as msg } from "../utils/validation.ts";

/** On the server the allowed ids are the user's municipalities; the browser only checks that one is chosen. */
const municipalityField = (allowedIds?: readonly string[]) => {
  const base = z.string({ required_error: msg("validation.choose") }).min(1, msg("validation.choose"));
  return allowedIds ? base.refine((id) => allowedIds.includes(id), msg("cases:validation.municipality")) : base;
};

export const caseFieldsSchema = (allowedMunicipalityIds?: readonly string[]) =>
  z.object({
    municipalityId: municipalityField(allowedMunicipalityIds),
    group: choice(CASE_GROUPS),
    imStart: dateField(),
  });

export const createCaseSchema = (allowedMunicipalityIds?: readonly string[]) => caseFieldsSchema(allowedMunicipalityIds).merge(IdentitySchema);

export const archiveSchema = z.object({
  intent: z.literal("archive"),
  reason: choice(ARCHIVE_REASONS),
  archivedAt: dateField(),
});

export const contactSchema = z.object({
  intent: z.literal("add"),
  date: dateField(),
  kind: choice(CONTACT_KINDS),
  durationMinutes: intField(5, 600),
});

type PlanArea = (typeof PLAN_AREAS)[number];
const areaStatus = z.enum(PLAN_STATUSES, { message: msg("validation.choose") }).optional();
const areaShape = Object.fromEntries(PLAN_AREAS.map((a) => [a, areaStatus])) as Record<PlanArea, typeof areaStatus>;

export const planSchema = z
  .object({
    intent: z.literal("create"),
    drawnUpAt: dateField(),
    // One select per area; an empty select means "not part of this plan".
    areas: z.object(areaShape).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.areas || !Object.values(v.areas).some(Boolean)) ctx.addIssue({ code: "custom", path: ["areas"], message: msg("cases:plans.chooseArea") });
  });

export const planAreaStatusSchema = z.object({
  intent: z.literal("update-area"),
  areaId: requiredText(50),
  status: choice(PLAN_STATUSES),
});

export const householdLinkSchema = z.object({
  intent: z.literal("link"),
  pseudonym: requiredText(20).transform((v) => v.toUpperCase()),
});

/** Selected plan areas with their status, in the order of PLAN_AREAS. */
export function chosenAreas(areas: Partial<Record<PlanArea, string | undefined>> | undefined) {
  return PLAN_AREAS.flatMap((area) => (areas?.[area] ? [{ area, status: areas[area]! }] : []));
}
