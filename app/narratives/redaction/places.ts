// Places a narrative must not name: every municipality of the district (a town narrows little alone, but with an
// origin, a profession and a year it finds the person), the district's regions and landscapes, and the
// neighbouring places people commute or move to. The municipalities come from the register (Municipality, the
// domain file ../shared/domain/municipalities.yaml); regions and neighbours are listed here.
import { fold, originalSpan, spellingPattern } from "./fold.ts";
import type { Hit, RedactionCategory } from "./types.ts";

/** A municipality of the district as the register holds it. */
export type DistrictMunicipality = { name: string; type: string; population: number | null };

/** Municipalities with fewer inhabitants keep their own category, "kleine Gemeinde" (Wembach 304, Fröhnd 487, Utzenfeld 596; Schönau 2,504 is a "municipality"). */
export const SMALL_MUNICIPALITY_MAX_POPULATION = 2000;

/** "[Stadt im Landkreis]" for a Stadt or Große Kreisstadt, "[Gemeinde im Landkreis]" otherwise (the register's type). */
export const municipalityPlaceholder = (type: string) => (/stadt/iu.test(type) ? "[Stadt im Landkreis]" : "[Gemeinde im Landkreis]");

// Each replacement has the gender of what it replaces, so the article in front still fits: "im ganzen Wiesental"
// -> "im ganzen [Tal im Landkreis]" (das Tal), "am Dinkelberg" -> "am [Höhenzug im Landkreis]" (der Höhenzug).
// Sources: de.wikipedia.org/wiki/Landkreis_Lörrach, section Geographie (Wiesental, Markgräfler Hügelland,
// Dinkelberg, Hochrheintal, Belchen, Feldberg); robertbock.de/3le/ueber-die-region/ueber-den-landkreis-loerrach
// (Markgräflerland, Dreiländereck, Herzogenhorn); the Kandertal after the GVV Vorderes Kandertal of the
// municipality register. Derived forms ("Markgräfler Wein", "Wiesentäler") count as well.
export type PlaceTerm = { pattern: string; replacement: string; derived?: string[] };

export const DISTRICT_REGIONS: PlaceTerm[] = [
  { pattern: "Wiesental", replacement: "[Tal im Landkreis]", derived: ["Wiesentäler"] },
  { pattern: "Kandertal", replacement: "[Tal im Landkreis]", derived: ["Kandertäler"] },
  { pattern: "Hochrheintal", replacement: "[Tal im Landkreis]" },
  { pattern: "Markgräflerland", replacement: "[Gebiet im Landkreis]", derived: ["Markgräfler"] },
  { pattern: "Markgräfler Hügelland", replacement: "[Gebiet im Landkreis]" },
  { pattern: "Dreiländereck", replacement: "[Gebiet im Landkreis]" },
  { pattern: "Dinkelberg", replacement: "[Höhenzug im Landkreis]" },
  { pattern: "Belchen", replacement: "[Berg in der Region]" },
  { pattern: "Feldberg", replacement: "[Berg in der Region]" },
  { pattern: "Herzogenhorn", replacement: "[Berg in der Region]" },
];

// Named places just outside the district that narrow where someone lives or works (a cross-border job in Basel,
// a clinic in Freiburg). Karlsruhe (the state's first reception centre, where nearly everyone arrives) and far
// cities are left: they narrow nothing.
export const NEIGHBOUR_PLACES: PlaceTerm[] = [
  { pattern: "Basel", replacement: "[Stadt in der Nachbarschaft]", derived: ["Basler"] },
  { pattern: "Riehen", replacement: "[Ort in der Nachbarschaft]" },
  { pattern: "Saint-Louis", replacement: "[Stadt in der Nachbarschaft]" },
  { pattern: "Huningue", replacement: "[Ort in der Nachbarschaft]" },
  { pattern: "Freiburg", replacement: "[Stadt in der Nachbarschaft]", derived: ["Freiburger"] },
  { pattern: "Müllheim", replacement: "[Stadt in der Nachbarschaft]" },
  { pattern: "Bad Säckingen", replacement: "[Stadt in der Nachbarschaft]" },
  { pattern: "Waldshut-Tiengen", replacement: "[Stadt in der Nachbarschaft]" },
  { pattern: "Waldshut", replacement: "[Stadt in der Nachbarschaft]" },
  { pattern: "Wehr", replacement: "[Stadt in der Nachbarschaft]" },
];

// Names that are also ordinary words ("mit Steinen", "die Hasel blüht", "zur Wehr setzen", "unter dem Belchen"
// is a place but "Wehr" alone is not) count only after a word that introduces a place.
const ALSO_A_WORD = new Set(["steinen", "hasel", "wehr", "wieden"]);
const PLACE_LEAD = /(?:^|[^\p{L}])(?:in|nach|aus|bei|von|ab|bis|über|um|Richtung|Gemeinde|Stadt|Ort)\s+$/iu;

const hit = (text: string, start: number, end: number, category: RedactionCategory, suggestion: string): Hit => ({ start, end, text: text.slice(start, end), category, source: "pattern", suggestion });

// Compiled once per list of names (the register changes rarely; the detectors run on every segment).
const compiled = new Map<string, RegExp>();

/** Every whole-word occurrence (folded, spelled with or without umlauts) of the names, with their inflected forms. */
function findNames(text: string, names: readonly string[], suffixes: string): { start: number; end: number; name: string }[] {
  if (!names.length) return [];
  const f = fold(text);
  const out: { start: number; end: number; name: string }[] = [];
  const sorted = [...names].sort((a, b) => b.length - a.length);
  const body = sorted.map((n) => `(${spellingPattern(n).replace(/ /g, "\\s+")})`).join("|");
  const source = `(?<![\\p{L}\\p{N}])(?:${body})(?:${suffixes})?(?![\\p{L}\\p{N}])`;
  let re = compiled.get(source);
  if (!re) compiled.set(source, (re = new RegExp(source, "gu")));
  for (const m of f.text.matchAll(re)) {
    const index = m.slice(1).findIndex((g) => g !== undefined);
    const name = sorted[index]!;
    const [s, e] = originalSpan(f, m.index, m.index + m[0].length);
    if (ALSO_A_WORD.has(fold(name).text) && !PLACE_LEAD.test(text.slice(Math.max(0, s - 20), s))) continue;
    out.push({ start: s, end: e, name });
  }
  return out;
}

// Inflected and derived forms: "Fröhnds", "die Lörracher Tafel", "eine Schopfheimerin".
const INFLECTED = "s|er|ern|erin|erinnen";

/** Every municipality of the district; the small ones keep their own category (municipality_small). */
export function districtMunicipalities(text: string, municipalities: readonly DistrictMunicipality[]): Hit[] {
  // Official suffixes like "(Baden)" are not spoken.
  const spoken = new Map(municipalities.map((m) => [m.name.replace(/\s*\(.*\)$/, ""), m]));
  return findNames(text, [...spoken.keys()], INFLECTED).map(({ start, end, name }) => {
    const m = spoken.get(name)!;
    const small = m.population !== null && m.population < SMALL_MUNICIPALITY_MAX_POPULATION;
    return hit(text, start, end, small ? "municipality_small" : "municipality", municipalityPlaceholder(m.type));
  });
}

function termHits(text: string, terms: readonly PlaceTerm[], category: RedactionCategory): Hit[] {
  const names = terms.flatMap((t) => [t.pattern, ...(t.derived ?? [])]);
  const of = new Map(terms.flatMap((t) => [t.pattern, ...(t.derived ?? [])].map((n) => [n, t] as const)));
  return findNames(text, names, "s").map(({ start, end, name }) => hit(text, start, end, category, of.get(name)!.replacement));
}

export const regions = (text: string) => termHits(text, DISTRICT_REGIONS, "region");
export const neighbourPlaces = (text: string) => termHits(text, NEIGHBOUR_PLACES, "place_outside");
