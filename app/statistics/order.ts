// Municipalities in German alphabetical order ("Häg-Ehrsberg" before "Hasel"), sorted in the app so that
// SQLite and PostgreSQL, whose collations differ, give the same order.
const germanCollator = new Intl.Collator("de");

export const byGermanName = (a: { name: string }, b: { name: string }) => germanCollator.compare(a.name, b.name);
