// A current, written consent as test fixtures plant it with an interview (Prisma nested create): the given date,
// the information sheet of 2025, recording and transcription granted, the other scopes as the test needs them.
export type FixtureScopes = { analysis?: boolean; linking?: boolean; quotation?: boolean; specialCategories?: boolean };

export function givenConsent(givenAt: Date, scopes: FixtureScopes) {
  return {
    create: {
      version: 1,
      givenBy: "person",
      givenAt,
      form: "written",
      language: "de",
      infoSheetVersion: "2025-01",
      scopeRecording: true,
      scopeTranscription: true,
      ...(scopes.analysis !== undefined ? { scopeAnalysis: scopes.analysis } : {}),
      ...(scopes.linking !== undefined ? { scopeLinking: scopes.linking } : {}),
      ...(scopes.quotation !== undefined ? { scopeQuotation: scopes.quotation } : {}),
      ...(scopes.specialCategories !== undefined ? { scopeSpecialCategories: scopes.specialCategories } : {}),
    },
  };
}
