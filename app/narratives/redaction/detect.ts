// Finds everything in one text that the narrative must not show: strings of the identity records, names, and
// the patterns of patterns.ts. Overlapping finds become one hit (the longest, identity first), so each
// proposal covers a whole expression ("Frau Dr. Wehrle", "Gemeinschaftsschule Am Wiesenufer").
import { PSEUDONYM_IN_TEXT } from "../../cases/pseudonym.ts";
import { escapeRegExp, fold, foldTerm, originalSpan } from "./fold.ts";
import { identityHits, type IdentityTerm } from "./identity-terms.ts";
import { announcedNames, followingSurname, lexiconNames, listedNames, type FoundName, type NameLexicon } from "./names.ts";
import { addresses, ages, agesAfterNames, dates, emails, employers, fileNumbers, origins, phones, PLACEHOLDER, schools } from "./patterns.ts";
import { districtMunicipalities, neighbourPlaces, regions, type DistrictMunicipality } from "./places.ts";
import { nationalities, occupations, placeSizes, schoolGrades } from "./descriptors.ts";
import { transitCountries } from "./transit.ts";
import type { Hit, NameParts } from "./types.ts";

export type ManualTerm = { text: string; replacement: string };

export type DetectContext = {
  identity: readonly IdentityTerm[];
  /** every municipality of the district (the register), small ones included */
  municipalities: readonly DistrictMunicipality[];
  lexicon: NameLexicon;
  manual: readonly ManualTerm[];
};

export const EMPTY_CONTEXT: DetectContext = { identity: [], municipalities: [], lexicon: new Map(), manual: [] };

function mergeParts(a: NameParts | undefined, b: NameParts | undefined): NameParts | undefined {
  if (!a) return b;
  if (!b) return a;
  return { title: a.title ?? b.title, given: a.given ?? b.given, surname: b.surname ?? a.surname };
}

/** Adjacent names ("Fereshta" + "Noori") become one; a title before a name joins it ("Frau" + "Noori"). */
function nameHits(text: string, found: FoundName[]): Hit[] {
  const sorted = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: FoundName[] = [];
  for (const f of sorted) {
    const last = merged.at(-1);
    if (last && f.start < last.end) {
      if (f.end > last.end) {
        last.end = f.end;
        last.parts = mergeParts(last.parts, f.parts) ?? {};
      }
      continue;
    }
    if (last && /^[ \u00a0-]$/.test(text.slice(last.end, f.start)) && !last.parts.surname) {
      last.end = f.end;
      last.parts = { ...last.parts, given: last.parts.given ?? f.parts.given, surname: f.parts.surname ?? f.parts.given };
      continue;
    }
    merged.push({ ...f, parts: { ...f.parts } });
  }
  return merged.map((f) => {
    let start = f.start;
    const title = /(?:Frau|Herrn?)\s+(?:(?:Dr|Prof)\.\s+)*$|(?:Dr|Prof)\.\s+$/u.exec(text.slice(Math.max(0, start - 30), start));
    if (title && !f.parts.title) {
      start -= title[0].length;
      f.parts.title = title[0].trim();
      if (f.parts.given && !f.parts.surname) f.parts = { title: f.parts.title, surname: f.parts.given };
    }
    return { start, end: f.end, text: text.slice(start, f.end), category: "name", source: "pattern", suggestion: PLACEHOLDER.name, name: f.parts } satisfies Hit;
  });
}

function manualHits(text: string, manual: readonly ManualTerm[]): Hit[] {
  if (!manual.length) return [];
  const f = fold(text);
  const out: Hit[] = [];
  for (const term of manual) {
    const body = escapeRegExp(foldTerm(term.text.trim())).replace(/ +/g, "\\s+");
    if (!body) continue;
    for (const m of f.text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "gu"))) {
      const [s, e] = originalSpan(f, m.index, m.index + m[0].length);
      out.push({ start: s, end: e, text: text.slice(s, e), category: "manual", source: "manual", suggestion: term.replacement });
    }
  }
  return out;
}

const RANK = { identity: 0, manual: 1, pattern: 2 } as const;

/** Overlapping hits become their union; the identity hit (or else the longest) names category and suggestion. */
export function resolveOverlaps(text: string, hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end || RANK[a.source] - RANK[b.source]);
  const out: Hit[] = [];
  for (const h of sorted) {
    const last = out.at(-1);
    if (!last || h.start >= last.end) {
      out.push({ ...h });
      continue;
    }
    const lead = RANK[h.source] < RANK[last.source] || (RANK[h.source] === RANK[last.source] && h.end - h.start > last.end - last.start) ? h : last;
    const start = Math.min(last.start, h.start);
    const end = Math.max(last.end, h.end);
    const grown = end > lead.end || start < lead.start;
    out[out.length - 1] = {
      ...lead,
      start,
      end,
      text: text.slice(start, end),
      source: RANK[h.source] < RANK[last.source] ? h.source : last.source,
      // A union wider than the leading hit keeps the leading category's placeholder, never a partial value.
      suggestion: grown && lead.category === "name" ? PLACEHOLDER.name : lead.suggestion,
      ...(lead.category === "name" || last.name || h.name ? { name: mergeParts(last.name, h.name) } : {}),
    };
  }
  return out;
}

/**
 * A family name right after a given name belongs to it ("Ahmad Rahimi", "Fereshta Noori aus Wembach"): the given
 * name alone would leave the person findable. It joins a found name; after an identity string it is its own
 * (rejectable) proposal, so a wrong guess never becomes an identity string that cannot be waved through.
 */
function withSurnames(text: string, hits: Hit[]): Hit[] {
  const out: Hit[] = [];
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    out.push(h);
    if (h.category !== "name" || !h.name?.given || h.name.surname) continue;
    // After a genitive the next word is what the person has, not her family name ("Rashas Weg", "Ahmads Schwester").
    if (/^\p{L}+(?:s|['’]s?)$/u.test(h.text) && h.text.length > h.name.given.length) continue;
    const next = followingSurname(text, h.end, /^\P{Ll}+$/u.test(h.text));
    if (!next) continue;
    // A name found inside the surname is part of it ("Ali ibn Hassan"); anything else there is not a surname.
    let j = i + 1;
    while (hits[j] && hits[j]!.start < next.end && hits[j]!.end <= next.end && hits[j]!.category === "name" && hits[j]!.source === "pattern") j++;
    if (hits[j] && hits[j]!.start < next.end) continue;
    i = j - 1;
    if (h.source === "pattern") out[out.length - 1] = { ...h, end: next.end, text: text.slice(h.start, next.end), name: { ...h.name, surname: next.surname } };
    else out.push({ start: h.end + 1, end: next.end, text: text.slice(h.end + 1, next.end), category: "name", source: "pattern", suggestion: PLACEHOLDER.name, name: { surname: next.surname } });
  }
  return out;
}

export function detect(text: string, ctx: DetectContext): Hit[] {
  // A case pseudonym looks like a file number ("LOE-2016-0001") but is the project's own stand-in: it stays.
  const pseudonyms = [...text.matchAll(PSEUDONYM_IN_TEXT)].map((m) => [m.index, m.index + m[0].length] as const);
  // A country on the way is no country of origin: its transit proposal replaces the origin one on the same words.
  const transit = transitCountries(text);
  const onTheWay = (h: Hit) => (h.category === "nationality" || h.category === "origin") && transit.some((t) => h.start < t.end && t.start < h.end);
  const names = nameHits(text, [...announcedNames(text), ...listedNames(text), ...lexiconNames(text, ctx.lexicon)]);
  const hits = [
    ...identityHits(text, ctx.identity),
    ...manualHits(text, ctx.manual),
    ...names,
    ...dates(text),
    ...phones(text),
    ...emails(text),
    ...fileNumbers(text),
    ...addresses(text),
    ...employers(text),
    ...schools(text),
    ...districtMunicipalities(text, ctx.municipalities),
    ...regions(text),
    ...neighbourPlaces(text),
    ...origins(text).filter((h) => !onTheWay(h)),
    ...nationalities(text).filter((h) => !onTheWay(h)),
    ...transit,
    ...occupations(text),
    ...schoolGrades(text),
    ...placeSizes(text),
    ...ages(text),
  ].filter((h) => h.source !== "pattern" || !pseudonyms.some(([s, e]) => h.start < e && s < h.end));
  const resolved = withSurnames(text, resolveOverlaps(text, hits));
  // "Mariam (12)": an age in brackets is only read as one right after a name.
  const bracketed = agesAfterNames(text, resolved);
  return bracketed.length ? resolveOverlaps(text, [...resolved, ...bracketed]) : resolved;
}
