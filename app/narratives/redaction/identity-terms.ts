// Strings of an identity record (the case's, its household members', interpreters'), turned into search terms.
// Pure: the caller decrypts (identity-source.server.ts) and passes the records in; nothing here is stored.
import { dateVariants } from "./dates.ts";
import { escapeRegExp, fold, foldTerm, originalSpan, spellingPattern } from "./fold.ts";
import type { Hit, NameParts, RedactionCategory } from "./types.ts";

export type IdentityRecord = {
  firstName?: string;
  lastName?: string;
  dateOfBirth?: string; // YYYY-MM-DD
  address?: string;
  phone?: string;
  azrNumber?: string;
  bamfNumber?: string;
  otherFileNumbers?: string;
};

export type IdentityTerm = { pattern: string; category: RedactionCategory; suggestion: string; name?: NameParts; label: string };

const SEP = "[\\s/.\\-]*";

/** A number matched whatever separators it is written with: "0157 3921 4408" = "01573921-4408". */
function digitsPattern(value: string, phone: boolean): string | null {
  const chars = foldTerm(value).replace(/[^\p{L}\p{N}]/gu, "");
  if (chars.replace(/\D/g, "").length < 5) return null;
  const body = [...chars].map(escapeRegExp).join(SEP);
  if (phone && chars.startsWith("0") && !chars.startsWith("00")) return `(?:(?:\\+|00)49${SEP}(?:\\(0\\))?${SEP}|0)${[...chars.slice(1)].map(escapeRegExp).join(SEP)}`;
  return body;
}

/** Name parts of 3 letters or more ("Al-Khatib" -> "Al-Khatib", "Khatib"); the genitive -s is matched too. */
function nameParts(value: string): string[] {
  const whole = value.trim();
  const parts = whole.split(/[\s-]+/).filter((p) => p.replace(/[^\p{L}]/gu, "").length >= 3);
  return [...new Set([whole, ...parts])].filter((p) => p.length >= 3);
}

export function identityTerms(record: IdentityRecord | null | undefined, label = "case"): IdentityTerm[] {
  if (!record) return [];
  const terms: IdentityTerm[] = [];
  const first = record.firstName?.trim();
  const last = record.lastName?.trim();
  const nameTerm = (text: string, name: NameParts) => terms.push({ pattern: `${spellingPattern(text).replace(/ /g, "\\s+")}s?`, category: "name", suggestion: "[Name]", name, label });
  if (first && last) nameTerm(`${first} ${last}`, { given: first, surname: last });
  if (first) for (const p of nameParts(first)) nameTerm(p, { given: p === first ? first : p });
  if (last) for (const p of nameParts(last)) nameTerm(p, { surname: p === last ? last : p });
  if (record.dateOfBirth) {
    const year = record.dateOfBirth.slice(0, 4);
    // Spaces may stand after any dot ("14. 03. 1986"); a variant without year must not be followed by one.
    for (const v of dateVariants(record.dateOfBirth)) {
      const pattern = escapeRegExp(foldTerm(v)).replace(/ /g, "\\s*").replace(/\\\./g, "\\.\\s*");
      terms.push({ pattern: /\d{4}$/.test(v) ? pattern : `${pattern}(?!\\s*\\d)`, category: "date_of_birth", suggestion: year, label });
    }
  }
  if (record.address?.trim()) {
    const address = record.address.trim();
    const flexible = (s: string) => spellingPattern(s).replace(/ /g, "\\s+").replace(/stra(?:ss|ß)e|str\\\./g, "(?:straße|strasse|str\\.)");
    terms.push({ pattern: flexible(address), category: "address", suggestion: "[Adresse]", label });
    // The street with its number, and a postcode, also on their own
    const street = /^(.*?\d+\s?[a-zA-Z]?)(?=,|\s+\d{5}|$)/u.exec(address)?.[1];
    if (street && street !== address) terms.push({ pattern: flexible(street), category: "address", suggestion: "[Adresse]", label });
    const postcode = /\b\d{5}\b/.exec(address)?.[0];
    if (postcode) terms.push({ pattern: postcode, category: "address", suggestion: "[Adresse]", label });
  }
  const phone = record.phone ? digitsPattern(record.phone, true) : null;
  if (phone) terms.push({ pattern: phone, category: "phone", suggestion: "[Telefonnummer]", label });
  for (const [field, suggestion] of [
    ["azrNumber", "[AZR-Nummer]"],
    ["bamfNumber", "[Aktenzeichen]"],
  ] as const) {
    const p = record[field] ? digitsPattern(record[field]!, false) : null;
    if (p) terms.push({ pattern: p, category: "file_number", suggestion, label });
  }
  for (const other of (record.otherFileNumbers ?? "").split(/[,;\n]+/)) {
    const p = other.trim() ? digitsPattern(other.trim(), false) : null;
    if (p) terms.push({ pattern: p, category: "file_number", suggestion: "[Aktenzeichen]", label });
  }
  return terms;
}

/** A name on its own (an interpreter's), as identity terms. */
export function nameTerms(fullName: string | null | undefined, label: string): IdentityTerm[] {
  if (!fullName?.trim()) return [];
  const parts = fullName.trim().split(/\s+/);
  return identityTerms(parts.length > 1 ? { firstName: parts.slice(0, -1).join(" "), lastName: parts.at(-1) } : { firstName: parts[0] }, label);
}

export function identityHits(text: string, terms: readonly IdentityTerm[]): Hit[] {
  if (!terms.length) return [];
  const f = fold(text);
  const out: Hit[] = [];
  for (const term of terms) {
    for (const m of f.text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])(?:${term.pattern})(?![\\p{L}\\p{N}])`, "gu"))) {
      const [s, e] = originalSpan(f, m.index, m.index + m[0].length);
      out.push({ start: s, end: e, text: text.slice(s, e), category: term.category, source: "identity", suggestion: term.suggestion, ...(term.name ? { name: term.name } : {}) });
    }
  }
  return out;
}
