// Redaction: what was found, and what the researcher decided. Browser-safe (the redaction page shows both).

export const REDACTION_CATEGORIES = [
  "name",
  "date_of_birth",
  "exact_date",
  "phone",
  "email",
  "file_number",
  "address",
  "municipality_small",
  "municipality",
  "region",
  "place_outside",
  "employer",
  "school",
  "origin",
  "nationality",
  "transit",
  "occupation",
  "school_grade",
  "place_size",
  "age",
  "manual",
] as const;
export type RedactionCategory = (typeof REDACTION_CATEGORIES)[number];

/** Where a hit came from: the identity records of the case (never rejectable), a pattern, or the researcher. */
export type HitSource = "identity" | "pattern" | "manual";

/** The parts of a personal name, so pseudonyms stay consistent ("Frau Noori" and "Fereshta Noori" share "Noori"). */
export type NameParts = { title?: string; given?: string; surname?: string };

export type Hit = {
  start: number; // JavaScript string offsets into the text the hit was found in
  end: number;
  text: string;
  category: RedactionCategory;
  source: HitSource;
  /** proposed replacement in placeholder mode */
  suggestion: string;
  name?: NameParts;
};

export type DecisionAction = "accept" | "edit" | "reject";

/** A decision applies to every occurrence of the same (case- and accent-folded) text in the narrative. */
export type Decision = { key: string; text: string; action: DecisionAction; replacement?: string; manual?: boolean; category?: RedactionCategory };

export type NameMode = "placeholder" | "pseudonym";

/** The narrative's redaction state as stored in Narrative.redactions (JSON). */
export type RedactionState = {
  decisions: Decision[];
  nameMode: NameMode;
  /** users who changed the narrative's content; none of them may release it (four-eyes) */
  editorIds: string[];
  /** the reviewer's comment when sending a narrative back */
  reviewComment: string | null;
  submittedById: string | null;
};

export const EMPTY_REDACTION_STATE: RedactionState = { decisions: [], nameMode: "placeholder", editorIds: [], reviewComment: null, submittedById: null };

/** Categories whose rejection is refused: the final check must not find them in a released text. */
export const NEVER_REJECT_SOURCES: readonly HitSource[] = ["identity"];

/** Pattern categories the final check looks for again in the anonymized text. */
// Names are not re-checked: a pseudonym chosen for a person is a name by design. Everything else found in the
// text as it will be released (a replacement typed in included) must be decided, unless the same words were
// deliberately kept (rejected) before.
export const CHECKED_PATTERN_CATEGORIES: readonly RedactionCategory[] = ["date_of_birth", "exact_date", "phone", "email", "file_number", "address", "municipality_small", "municipality", "region", "place_outside", "employer", "school", "origin", "nationality", "transit", "occupation", "school_grade", "place_size", "age"];
