// What the filter form offers (codes, municipalities, authors, attribute values), and a one-line summary of
// the active filters for exports and the audit log.
import { db } from "../db/client.server.ts";
import { allowedValuesOf } from "../indicators/values.ts";
import { valueLabel } from "../indicators/format.ts";
import { byGermanName } from "../statistics/order.ts";
import { codeLabel, loadCodeTree, type CodeTree } from "./codes.server.ts";
import { ATTRIBUTE_INDICATORS, type SegmentFilters } from "./filters.ts";
import { codingAuthors } from "./segments.server.ts";
import { smallMunicipalityNames } from "../narratives/context.server.ts";
import { PLACEHOLDER } from "../narratives/redaction/patterns.ts";
import { isRoleLabel } from "../transcripts/speakers.ts";

export async function filterOptions(tree?: CodeTree) {
  const [codes, municipalities, authors, indicators, interviews] = await Promise.all([
    tree ? Promise.resolve(tree) : loadCodeTree(),
    db.municipality.findMany({ where: { cases: { some: {} } }, select: { id: true, name: true } }),
    codingAuthors(),
    db.indicatorDefinition.findMany({ where: { code: { in: [...ATTRIBUTE_INDICATORS] } }, select: { code: true, labelDe: true, labelEn: true, allowedValues: true } }),
    db.interview.findMany({ where: { codings: { some: {} } }, select: { code: true }, orderBy: { code: "asc" }, take: 2000 }),
  ]);
  return {
    codes: codes.nodes.map((n) => ({ id: n.id, key: n.key, name: n.name, nameEn: n.nameEn, colour: n.colour, depth: n.depth, parentId: n.parentId })),
    municipalities: municipalities.sort(byGermanName),
    authors,
    indicators: ATTRIBUTE_INDICATORS.flatMap((code) => {
      const def = indicators.find((i) => i.code === code);
      return def ? [{ code, labelDe: def.labelDe, labelEn: def.labelEn, values: allowedValuesOf(def) ?? [] }] : [];
    }),
    interviewCodes: interviews.map((i) => i.code),
  };
}

export type FilterOptions = Awaited<ReturnType<typeof filterOptions>>;

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * What the summary of an export with identifying details replaced may print (ADR 0019): the body's placeholder
 * for a small municipality; no value from the address that the app does not know (an interview code that is not
 * one, an indicator value outside its list, a speaker label other than a role label), since those are free text.
 */
export type SummaryRedaction = { smallMunicipalities: ReadonlySet<string>; interviewExists: boolean };

export async function summaryRedaction(f: SegmentFilters): Promise<SummaryRedaction> {
  const [small, interview] = await Promise.all([smallMunicipalityNames(), f.interview ? db.interview.findUnique({ where: { code: f.interview }, select: { id: true } }) : null]);
  return { smallMunicipalities: new Set(small), interviewExists: interview !== null };
}

/** "Codes: KUL.SPR, X.DIS (oder, mit Untercodes) · Gemeinde: Lörrach · ..." in the user's language. */
export function filterSummary(f: SegmentFilters, options: FilterOptions, t: T, language: string, redaction?: SummaryRedaction): string {
  const parts: string[] = [];
  const replaced = t("retrieval:filters.replacedValue");
  if (f.codeIds.length) {
    const names = f.codeIds.map((id) => options.codes.find((c) => c.id === id)).filter((c) => !!c).map((c) => codeLabel(c!, language));
    parts.push(`${t("retrieval:filters.codes")}: ${names.join(", ")} (${t(`retrieval:filters.mode.${f.mode}Short`)}${f.subcodes ? `, ${t("retrieval:filters.withSubcodes")}` : ""})`);
  } else parts.push(t("retrieval:filters.allCodes"));
  if (f.municipalityIds.length) {
    const names = f.municipalityIds.map((id) => options.municipalities.find((m) => m.id === id)?.name ?? "?");
    // Official suffixes like "(Baden)" are not part of the names smallMunicipalityNames gives.
    const shown = redaction ? names.map((n) => (redaction.smallMunicipalities.has(n.replace(/\s*\(.*\)$/, "")) ? PLACEHOLDER.municipality_small : n)) : names;
    parts.push(`${t("retrieval:filters.municipality")}: ${[...new Set(shown)].join(", ")}`);
  }
  if (f.groups.length) parts.push(`${t("retrieval:filters.group")}: ${f.groups.map((g) => t(`retrieval:groups.${g}`)).join(", ")}`);
  if (f.ageBand) parts.push(`${t("retrieval:filters.ageBand")}: ${t(`retrieval:ageBands.${f.ageBand}`)}`);
  for (const i of f.indicators) {
    const def = options.indicators.find((d) => d.code === i.code);
    const known = def?.values.includes(i.value) ?? false;
    parts.push(`${def ? (language === "en" ? def.labelEn : def.labelDe) : i.code}: ${redaction && !known ? replaced : valueLabel(t, i.code, i.value)}`);
  }
  if (f.interview) parts.push(`${t("retrieval:filters.interview")}: ${redaction && !redaction.interviewExists ? replaced : f.interview}`);
  if (f.speaker) parts.push(`${t("retrieval:filters.speaker")}: ${t(`retrieval:speakers.${f.speaker}`)}`);
  // A label may be a name ("Rasha"), which the body prints as P1, P2 ... per interview.
  if (f.speakerLabel) parts.push(`${t("retrieval:filters.speakerLabel")}: ${redaction && !isRoleLabel(f.speakerLabel) ? replaced : f.speakerLabel}`);
  if (f.authorId) parts.push(`${t("retrieval:filters.author")}: ${options.authors.find((a) => a.id === f.authorId)?.displayName ?? "?"}`);
  return parts.join(" · ");
}
