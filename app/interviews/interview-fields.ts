// Enumerations of interviews, shared by forms, validation and pages. Labels: i18n namespace "interviews".
export const INTERVIEW_STATUSES = ["planned", "recorded", "transcribing", "transcribed", "checked", "withdrawn"] as const;
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];
/** The statuses a user may set; "withdrawn" is only reached through a withdrawal. */
export const WORKFLOW_STATUSES = ["planned", "recorded", "transcribing", "transcribed", "checked"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const PLACE_TYPES = ["office", "home", "phone", "video"] as const;
export type PlaceType = (typeof PLACE_TYPES)[number];

// Languages of the people interviewed in the district (ISO 639-1), plus "other".
export const INTERVIEW_LANGUAGES = ["de", "ar", "fa", "ps", "ku", "ti", "uk", "ru", "tr", "so", "en", "fr", "am", "sq", "sr", "ro", "bg", "pl", "it", "es", "ur", "other"] as const;
export type InterviewLanguage = (typeof INTERVIEW_LANGUAGES)[number];

export const CODE_PATTERN = /^INT-(\d{4})-(\d{4})$/;

/**
 * Status changes on the edit page: the next step of the workflow, or one step back to correct a mistake.
 * A withdrawn interview cannot be changed at all.
 */
export function allowedStatuses(current: string): WorkflowStatus[] {
  const i = (WORKFLOW_STATUSES as readonly string[]).indexOf(current);
  if (i < 0) return [];
  return WORKFLOW_STATUSES.filter((_, j) => j === i || j === i + 1 || j === i - 1);
}

export const LIST_PAGE_SIZE = 25;

/** The fields of the interview edit form merged field by field with a save made meanwhile (app/utils/field-merge.ts). */
export const INTERVIEW_FORM_FIELDS = ["date", "placeType", "languages", "interviewerId", "durationMinutes", "status"] as const;
export type InterviewFormField = (typeof INTERVIEW_FORM_FIELDS)[number];

/** The edit form's values as strings: languages in their list order, comma-separated; no duration is "". */
export function interviewFormValues(v: { date: Date | string; placeType: string; languages: readonly string[]; interviewerId: string | null; durationMinutes?: number | null | undefined; status: string }): Record<InterviewFormField, string> {
  const order = (l: string) => (INTERVIEW_LANGUAGES as readonly string[]).indexOf(l);
  return {
    date: new Date(v.date).toISOString().slice(0, 10),
    placeType: v.placeType,
    languages: [...new Set(v.languages)].sort((a, b) => order(a) - order(b)).join(","),
    interviewerId: v.interviewerId ?? "",
    durationMinutes: v.durationMinutes == null ? "" : String(v.durationMinutes),
    status: v.status,
  };
}
