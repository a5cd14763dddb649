// Consent scopes, each ticked separately (GDPR Recital 32). See ../shared/domain/consent-and-privacy.md.
export const CONSENT_SCOPES = [
  "recording",
  "transcription",
  "externalTranscription",
  "analysis",
  "linking",
  "quotation",
  "archiving",
  "specialCategories",
  "recontact",
] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** Column of ConsentRecord holding the scope, e.g. analysis -> scopeAnalysis. */
export function scopeColumn(scope: ConsentScope) {
  return `scope${scope[0]!.toUpperCase()}${scope.slice(1)}` as `scope${Capitalize<ConsentScope>}`;
}

export const CONSENT_GIVERS = ["person", "guardian"] as const;
export const CONSENT_FORMS = ["written", "oral_recorded", "electronic"] as const;
