// Enumerations of the case register, shared by forms, validation and seed. Labels: i18n namespace "cases".
export const CASE_GROUPS = ["refugee", "eu_migrant", "other_migrant"] as const;
export const CASE_STATUSES = ["active", "archived"] as const;
export const ARCHIVE_REASONS = ["moved_away", "counselling_ended", "naturalised", "no_contact", "deceased", "consent_withdrawn", "other"] as const;
export const CONTACT_KINDS = ["in_person", "phone", "video", "home_visit", "accompaniment", "written"] as const;
// From indicators.yaml, IM.PLAN
export const PLAN_AREAS = ["sprache", "schule", "ausbildung", "arbeit", "wohnung", "gesundheit", "teilhabe", "kinder"] as const;
export const PLAN_STATUSES = ["offen", "laufend", "erreicht", "aufgegeben"] as const;

export type CaseGroup = (typeof CASE_GROUPS)[number];
export type ArchiveReason = (typeof ARCHIVE_REASONS)[number];

/** The fields of the case edit form, merged field by field with a save made meanwhile (app/utils/field-merge.ts). */
export const CASE_FORM_FIELDS = ["municipalityId", "group", "imStart"] as const;
export type CaseFormField = (typeof CASE_FORM_FIELDS)[number];
/** The i18n key ("cases" namespace) of a case edit field's label. */
export const caseFieldLabel = (f: CaseFormField) => (f === "municipalityId" ? "fields.municipality" : `fields.${f}`);
