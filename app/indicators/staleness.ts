// "Never stale": facts that do not change (birth year, sex, a naturalisation date) get this many months (100 years),
// the largest the admin form takes; the seed sets it for them (prisma/seed/reference.ts).
export const NEVER_STALE_MONTHS = 1200;
