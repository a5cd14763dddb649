// From hits to proposals and back to text. A proposal groups every occurrence of the same (folded) text, so one
// decision treats them alike and a pseudonym stays the same throughout the narrative. The anonymized text is
// built only from decided proposals; release needs every proposal decided and passes a final check.
import { detect, type DetectContext } from "./detect.ts";
import { foldTerm } from "./fold.ts";
import { listedGivenName } from "./names.ts";
import { NEUTRAL_PSEUDONYMS, PSEUDONYMS } from "./given-names.ts";
import { identityHits } from "./identity-terms.ts";
import { capitalised, opensSentence } from "./language.ts";
import { PLACEHOLDER } from "./patterns.ts";
import { CHECKED_PATTERN_CATEGORIES, type Decision, type Hit, type HitSource, type NameParts, type RedactionCategory, type RedactionState } from "./types.ts";

export type Segment = { id: string; text: string };
export type ProposalStatus = "pending" | "accepted" | "edited" | "rejected";

export type Proposal = {
  key: string;
  text: string;
  category: RedactionCategory;
  source: HitSource;
  count: number;
  suggestion: string;
  status: ProposalStatus;
  /** what the released text shows: the replacement, or the original when rejected, null while pending */
  replacement: string | null;
};

export type SegmentHits = { id: string; text: string; hits: Hit[] };

export const keyOf = (text: string) => foldTerm(text.trim()).replace(/\s+/g, " ");

export function findAll(segments: readonly Segment[], ctx: DetectContext): SegmentHits[] {
  return segments.map((s) => ({ id: s.id, text: s.text, hits: detect(s.text, ctx) }));
}

const SURNAME_LETTERS = "MKSBLRTWHDGFNPAEZ".split("");

/** Consistent pseudonyms: the same given name or surname gets the same pseudonym everywhere in one narrative. */
export function pseudonymizer(all: readonly SegmentHits[]) {
  const givenMap = new Map<string, string>();
  const surnameMap = new Map<string, string>();
  const used = new Set<string>();
  const originals = new Set(all.flatMap((s) => s.hits.filter((h) => h.category === "name").flatMap((h) => [h.name?.given, h.name?.surname]).filter(Boolean).map((n) => foldTerm(n!))));
  const pickGiven = (given: string) => {
    const key = foldTerm(given);
    const known = givenMap.get(key);
    if (known) return known;
    const listed = listedGivenName(given);
    const pool = listed ? PSEUDONYMS[listed.region][listed.gender] : NEUTRAL_PSEUDONYMS;
    const choice = pool.find((p) => !used.has(p) && !originals.has(foldTerm(p))) ?? NEUTRAL_PSEUDONYMS.find((p) => !used.has(p)) ?? `Person ${givenMap.size + 1}`;
    used.add(choice);
    givenMap.set(key, choice);
    return choice;
  };
  const pickSurname = (surname: string) => {
    const key = foldTerm(surname);
    const known = surnameMap.get(key);
    if (known) return known;
    const choice = `${SURNAME_LETTERS[surnameMap.size % SURNAME_LETTERS.length]}.`;
    surnameMap.set(key, choice);
    return choice;
  };
  // Assign in reading order, so the first person named gets the first pseudonym.
  for (const s of all) for (const h of s.hits) if (h.category === "name" && h.name) {
    if (h.name.given) pickGiven(h.name.given);
    if (h.name.surname) pickSurname(h.name.surname);
  }
  return (parts: NameParts | undefined): string => {
    if (!parts || (!parts.given && !parts.surname)) return PLACEHOLDER.name;
    const given = parts.given ? pickGiven(parts.given) : null;
    const surname = parts.surname ? pickSurname(parts.surname) : null;
    if (parts.title && surname && !given) return `${parts.title} ${surname}`;
    return [given, surname].filter(Boolean).join(" ");
  };
}

export function buildProposals(all: readonly SegmentHits[], state: Pick<RedactionState, "decisions" | "nameMode">): Proposal[] {
  const pseudonym = state.nameMode === "pseudonym" ? pseudonymizer(all) : null;
  const decisions = new Map(state.decisions.map((d) => [d.key, d]));
  const byKey = new Map<string, Proposal>();
  for (const s of all) {
    for (const h of s.hits) {
      const key = keyOf(h.text);
      const existing = byKey.get(key);
      if (existing) {
        existing.count++;
        if (h.source === "identity") existing.source = "identity";
        continue;
      }
      const suggestion = h.category === "name" && pseudonym ? pseudonym(h.name) : h.suggestion;
      byKey.set(key, { key, text: h.text, category: h.category, source: h.source, count: 1, suggestion, status: "pending", replacement: null });
    }
  }
  for (const p of byKey.values()) {
    const d = decisions.get(p.key);
    if (!d) continue;
    if (d.action === "accept") Object.assign(p, { status: "accepted", replacement: p.suggestion });
    else if (d.action === "edit" && d.replacement !== undefined) Object.assign(p, { status: "edited", replacement: d.replacement });
    // An identity string cannot be waved through: its rejection counts as undecided.
    else if (d.action === "reject" && p.source !== "identity") Object.assign(p, { status: "rejected", replacement: p.text });
  }
  return [...byKey.values()];
}

export type AppliedPart = { text: string; status?: ProposalStatus; original?: string };

/** The segment as parts: plain text and replaced (or pending) spans, for the preview and for release. */
export function applySegment(segment: SegmentHits, proposals: ReadonlyMap<string, Proposal>): AppliedPart[] {
  const parts: AppliedPart[] = [];
  let at = 0;
  for (const h of segment.hits) {
    if (h.start > at) parts.push({ text: segment.text.slice(at, h.start) });
    const p = proposals.get(keyOf(h.text));
    const status = p?.status ?? "pending";
    const replacement = status === "rejected" ? h.text : (p?.replacement ?? h.text);
    const text = p && status === "accepted" ? fitDate(parts, p.category, replacement, h.text) : replacement;
    parts.push({ text, status, original: h.text });
    at = h.end;
  }
  if (at < segment.text.length) parts.push({ text: segment.text.slice(at) });
  return parts;
}

// What the engine puts in for a date: season and year ("Winter 2024/25" across the turn of the year), a season, a year.
// The English seasons come from a day with an English month ("on May 3, 2019" -> "in spring 2019") or English words
// ("on 3 April 2019", "the 3rd of April"); "on the" fits like "on", "the" alone like "der" ("a day in spring 2019").
const SEASON_OR_YEAR = /^(?:(?:Winter|Frühjahr|Sommer|Herbst|winter|spring|summer|autumn)(?: \d{4}(?:\/\d{2})?)?|\d{4})$/u;

// The words right before a date that belong to it: a temporal preposition with its article ("seit dem", "bis zum"),
// "am"/"an dem"/"on", an article alone ("der", "den", "dem"), "Anfang"/"Mitte"/"Ende" of a month. Leftmost match,
// so "seit dem" is taken whole rather than "dem" alone.
const DATE_LEAD =
  /(^|[\s(„"'‚“])(?:(?<prep>seit|ab|bis|vor|nach)\s+(?:(?<prepArticle>dem|den|zum)\s+)?|(?<at>am|an\s+dem|on(?:\s+the)?)\s+|(?<article>der|den|dem|the)\s+)?(?:(?<part>Anfang|Mitte|Ende)\s+)?$/iu;
// A month without a year is found with the word before it ("Anfang März", "im März", patterns.ts).
const OWN_LEAD = /^(?:Anfang|Mitte|Ende|im)\s/iu;

/**
 * A coarsened date fitted to the words before it, which would otherwise read "am 1986", "Heute ist der Frühjahr
 * 2025" or "seit dem Herbst 2022": "am 3. Mai 2019" -> "im Frühjahr 2019", "am 14. März 1986" -> "1986", "on May 3,
 * 2019" -> "in 2019", "seit dem 3. Oktober 2022" -> "seit Herbst 2022", "Heute ist der 11. März 2025" -> "Heute ist
 * ein Tag im Frühjahr 2025", "Montag, den 11. März" -> "Montag, [Datum im Frühjahr]", "Anfang März 2025" -> "im
 * Frühjahr 2025" (the part of a month would be more exact than the season), "kam Anfang März an" -> "kam im
 * Frühjahr an", "seit Ende März" -> "seit Frühjahr" (a month without a year is found with its "im", "Anfang" ...).
 * The words taken become part of the replacement. Only in plain text right before the date, and never for a
 * replacement someone typed.
 */
function fitDate(parts: AppliedPart[], category: RedactionCategory, replacement: string, original: string): string {
  if ((category !== "date_of_birth" && category !== "exact_date") || !SEASON_OR_YEAR.test(replacement)) return replacement;
  const before = parts.at(-1);
  // "im März" keeps its own case; "Anfang" and the rest are capitalised anywhere, so "im" takes the sentence's.
  const im = (textBefore: string) => `${(/^im/iu.test(original) ? original[0] === "I" : opensSentence(textBefore)) ? "I" : "i"}m ${replacement}`;
  if (!before || before.status) return OWN_LEAD.test(original) ? im(before?.text ?? "") : replacement;
  if (OWN_LEAD.test(original)) {
    // "Anfang März" -> "im Frühjahr", "seit Ende März" -> "seit Frühjahr", "Im März" -> "Im Frühjahr"
    const p = /(^|[\s(„"'‚“])(?<prep>seit|ab|bis|vor|nach)\s+(?:(?:dem|den|zum)\s+)?$/iu.exec(before.text);
    if (p) {
      const lead = p[0].slice(p[1]!.length);
      before.text = before.text.slice(0, p.index + p[1]!.length);
      return `${p.groups!.prep!} ${replacement}`.replace(/^./u, (c) => (/^\p{Lu}/u.test(lead) ? c.toUpperCase() : c));
    }
    return im(before.text);
  }
  const m = DATE_LEAD.exec(before.text);
  const g = m?.groups;
  if (!m || !g || (g.prep ? !g.prepArticle && !g.part : !g.at && !g.article && !g.part)) return replacement;
  const year = /^\d/.test(replacement);
  const inYear = year ? `Jahr ${replacement}` : replacement;
  const article = g.article?.toLowerCase();
  const fitted = g.prep
    ? `${g.prep} ${replacement}`
    : article === "der"
      ? `ein Tag im ${inYear}`
      : article === "the"
        ? `a day in ${replacement}`
      : article
        ? `[Datum im ${inYear}]`
        : /^on(?:\s|$)/iu.test(g.at ?? "")
          ? `in ${replacement}`
          : year
            ? replacement
            : `im ${replacement}`;
  const lead = m[0].slice(m[1]!.length);
  before.text = before.text.slice(0, m.index + m[1]!.length);
  // "Anfang" alone is capitalised mid-sentence too: "kam Anfang März 2025 an" -> "kam im Frühjahr 2025 an".
  const capital = g.part && !g.prep && !g.at && !g.article ? opensSentence(before.text) : /^\p{Lu}/u.test(lead);
  return capital ? capitalised(fitted) : fitted;
}

export const partsToText = (parts: readonly AppliedPart[]) => parts.map((p) => p.text).join("");

export type ReleaseProblem =
  | { kind: "pending"; count: number }
  | { kind: "identity-left"; category: RedactionCategory; segment: string }
  | { kind: "pattern-left"; category: RedactionCategory; segment: string }
  | { kind: "nothing" };

/**
 * The final check before release: every proposal decided, and the anonymized text, searched again, shows no
 * string of an identity record and no unhandled pattern (phone, e-mail, file number, address, exact date, age).
 * Problems name categories and segments, never the values.
 */
export function releaseProblems(proposals: readonly Proposal[], ctx: DetectContext, anonymized: readonly Segment[]): ReleaseProblem[] {
  const problems: ReleaseProblem[] = [];
  const pending = proposals.filter((p) => p.status === "pending").length;
  if (pending) problems.push({ kind: "pending", count: pending });
  if (!anonymized.some((s) => s.id !== "title" && s.text.trim())) problems.push({ kind: "nothing" });
  const rejected = new Set(proposals.filter((p) => p.status === "rejected").map((p) => p.key));
  for (const s of anonymized) {
    for (const h of identityHits(s.text, ctx.identity)) problems.push({ kind: "identity-left", category: h.category, segment: s.id });
    for (const h of detect(s.text, { ...ctx, identity: [], manual: [] })) {
      if (CHECKED_PATTERN_CATEGORIES.includes(h.category) && !rejected.has(keyOf(h.text))) problems.push({ kind: "pattern-left", category: h.category, segment: s.id });
    }
  }
  return problems;
}

export function decide(decisions: readonly Decision[], next: Decision): Decision[] {
  return [...decisions.filter((d) => d.key !== next.key), next];
}

