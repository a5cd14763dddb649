// How a case falls into the categories of the statistics tables. Fine categories are merged on purpose:
// the coarser a category, the fewer cells under 5 and the less has to be suppressed. See README.md here.
import { ageBandOf } from "../retrieval/filters.ts";

/**
 * Municipality groups by population (Destatis, Municipality.population): the district's towns from 20,000
 * inhabitants (Lörrach, Weil am Rhein, Rheinfelden, Schopfheim), middle-sized municipalities from 5,000, and
 * small ones. Three groups, each with several municipalities, so no group stands for one place.
 */
export const MUNICIPALITY_GROUP_LIMITS = { large: 20_000, medium: 5_000 } as const;

export function municipalityGroupOf(population: number | null): "large" | "medium" | "small" {
  if (population !== null && population >= MUNICIPALITY_GROUP_LIMITS.large) return "large";
  if (population !== null && population >= MUNICIPALITY_GROUP_LIMITS.medium) return "medium";
  return "small";
}

/**
 * Year-of-arrival group. The register has no arrival date (indicators.yaml lists none); the year the
 * integration management started (Case.imStart) stands in for it, and the tables say so.
 */
export function arrivalGroupOf(year: number): string {
  if (year <= 2015) return "to2015";
  if (year <= 2018) return "2016-2018";
  if (year <= 2021) return "2019-2021";
  if (year <= 2023) return "2022-2023";
  return "from2024";
}

type Current = { state: string; value: unknown } | undefined;
const known = (c: Current) => (c && c.state === "known" ? c.value : undefined);

/** S.DTNIV: no German and A1 together, B2 and higher together; unknown, not applicable and never recorded as "unknown". */
export function germanLevelOf(c: Current): string {
  const v = known(c);
  if (v === "keins" || v === "A1") return "none_a1";
  if (v === "A2") return "a2";
  if (v === "B1") return "b1";
  if (v === "B2" || v === "C1" || v === "C2") return "b2plus";
  return "unknown";
}

const HUMANITARIAN = new Set(["ae_25_1", "ae_25_2_gfk", "ae_25_2_subsidiaer", "ae_25_3", "ae_25_5", "ae_24", "ae_25a_25b", "ae_104c"]);

/** S.AUFST in legal groups: the humanitarian residence permits together, the rare ones under "other". */
export function residenceStatusOf(c: Current): string {
  const v = known(c);
  if (v === "gestattung") return "asylum_procedure";
  if (v === "duldung_60a") return "toleration";
  if (typeof v === "string" && HUMANITARIAN.has(v)) return "humanitarian";
  if (v === "niederlassung") return "settlement";
  if (v === "eu_freizuegigkeit") return "eu";
  if (v === "eingebuergert") return "naturalised";
  if (v === "ae_sonstige") return "other";
  return "unknown";
}

/** P.GESCHL: "divers" is so rare in a district that it is published together with "no answer" and unknown. */
export function sexOf(c: Current): string {
  const v = known(c);
  return v === "w" || v === "m" ? v : "other_unknown";
}

/** Age band on a date from P.GEBJ (birth year). */
export function ageBandAt(c: Current, at: Date): string {
  const v = known(c);
  return typeof v === "number" ? (ageBandOf(at.getUTCFullYear() - v) ?? "unknown") : "unknown";
}

/** P.STAAT: the first listed nationality (several are rare); only ever crossed with non-place variables. */
export function nationalityOf(c: Current): string {
  const v = known(c);
  return Array.isArray(v) && typeof v[0] === "string" ? v[0] : "unknown";
}
