// Reference data every install needs: municipalities (with AGS), indicator definitions and the starting codebook.
// Idempotent: re-running updates labels and keeps what admins changed in the app (staleness, active).
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import YAML from "yaml";
import type { Db, Prisma } from "../../app/db/client.server.ts";
import { seedCodebook } from "./codebook.ts";
import { NEVER_STALE_MONTHS } from "../../app/indicators/staleness.ts";

const dir = path.join(path.dirname(url.fileURLToPath(import.meta.url)), "reference");
const readYaml = (file: string) => YAML.parse(fs.readFileSync(path.join(dir, file), "utf8"));

type RawMunicipality = { ags: string; name: string; type: string; population: number; association: string | null };
type RawIndicator = { code: string; de: string; en: string; type: string; dim?: string; values?: unknown; range?: [number, number]; LM?: string; evidence?: string[]; extra?: Record<string, string[]> };

// Details a value may carry (indicators.yaml `evidence` and `extra`): one choice each, except the kinds of
// association (one person may be in a sports club and a cultural one).
const MULTIPLE_QUALIFIERS = new Set(["art"]);
function qualifiersOf(raw: RawIndicator): string | null {
  const list = [
    ...(raw.evidence ? [{ key: "evidence", values: raw.evidence.map(String), multiple: false }] : []),
    ...Object.entries(raw.extra ?? {})
      .filter(([, values]) => Array.isArray(values))
      .map(([key, values]) => ({ key, values: values.map(String), multiple: MULTIPLE_QUALIFIERS.has(key) })),
  ];
  return list.length ? JSON.stringify(list) : null;
}

// The shared domain file spells some umlauts as oe/ue; the UI shows the proper German words.
const UMLAUT_WORDS: Record<string, string> = {
  Staatsangehoerigkeit: "Staatsangehörigkeit",
  Einbuergerung: "Einbürgerung",
  Hoechster: "Höchster",
  Zugehoerigkeit: "Zugehörigkeit",
};
const germanLabel = (s: string) => s.replace(/[A-Za-z]+/g, (w) => UMLAUT_WORDS[w] ?? w);

const PERMANENT_FACTS = new Set(["P.GEBJ", "P.GESCHL", "S.EINB"]);

export function indicatorRows() {
  const doc = readYaml("indicators.yaml") as { hard: RawIndicator[]; soft: RawIndicator[] };
  const rows = [];
  let order = 0;
  for (const [category, list] of [["hard", doc.hard], ["soft", doc.soft]] as const) {
    for (const raw of list) {
      // The municipality is a field of the case itself, not a snapshot.
      if (raw.code === "P.ORT") continue;
      let allowed: string[] | null = Array.isArray(raw.values) ? raw.values.map(String) : null;
      if (raw.code === "S.BILD") allowed = ["0", "1", "2", "3", "4", "5", "6", "7", "8"]; // ISCED 2011 levels
      const [min, max] = raw.range ?? (raw.code === "P.GEBJ" ? [1900, 2100] : [null, null]);
      rows.push({
        code: raw.code,
        labelDe: germanLabel(raw.de),
        labelEn: raw.en,
        category,
        dimension: raw.dim ?? null,
        type: raw.type,
        allowedValues: allowed ? JSON.stringify(allowed) : null,
        minValue: min,
        maxValue: max,
        qualifiers: qualifiersOf(raw),
        lmCode: raw.LM ?? null,
        // Facts that do not change (birth year, sex, a naturalisation date) never go stale: 12 months made the gap
        // views mostly noise. Admins can change it; the seed keeps what they set.
        stalenessMonths: PERMANENT_FACTS.has(raw.code) ? NEVER_STALE_MONTHS : 12,
        sortOrder: order++,
      });
    }
  }
  return rows;
}

export function municipalityRows(): RawMunicipality[] {
  return (readYaml("municipalities.yaml") as { municipalities: RawMunicipality[] }).municipalities;
}

/** Municipalities, indicator definitions and the codebook, in one transaction: one commit instead of one per row
 * (a few hundred), and a start interrupted midway leaves nothing half-made. */
export async function seedReference(db: Db) {
  await db.$transaction((tx) => seedReferenceIn(tx), { maxWait: 60_000, timeout: 600_000 });
}

async function seedReferenceIn(db: Prisma.TransactionClient) {
  for (const m of municipalityRows()) {
    await db.municipality.upsert({
      where: { ags: m.ags },
      create: { ags: m.ags, name: m.name, type: m.type, population: m.population, association: m.association },
      update: { name: m.name, type: m.type, population: m.population, association: m.association },
    });
  }
  for (const row of indicatorRows()) {
    const { code, ...rest } = row;
    await db.indicatorDefinition.upsert({
      where: { code },
      create: row,
      update: { labelDe: rest.labelDe, labelEn: rest.labelEn, category: rest.category, dimension: rest.dimension, type: rest.type, allowedValues: rest.allowedValues, minValue: rest.minValue, maxValue: rest.maxValue, qualifiers: rest.qualifiers, lmCode: rest.lmCode },
    });
  }
  await seedCodebook(db);
}
