// The starting codebook (reference/codebook.yaml, a copy of ../shared/domain/codebook.yaml): a root code per
// dimension (STR, KUL, SOZ, IDE), a root for the cross-cutting codes (X), and their codes with colour, examples and
// the special-category flag (X.GES). Idempotent by key: missing codes are created; codes that exist keep what
// researchers made of them (name, colour, place), and a seeded code that was deleted or merged away in the app (the
// audit log says so) is not brought back.
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import YAML from "yaml";
import type { Prisma } from "../../app/db/client.server.ts";
import { DIMENSION_COLOURS, SPECIAL_CATEGORY_COLOUR, childColour } from "../../app/coding/colours.ts";

const file = path.join(path.dirname(url.fileURLToPath(import.meta.url)), "reference", "codebook.yaml");

type RawCode = { code: string; de: string; en: string; ex?: string; desc?: string; sensitive?: boolean };
type RawDimension = { code: string; label: { de: string; en: string }; aka?: string; codes: RawCode[] };

// The shared domain file spells umlauts as ae/oe/ue; the UI shows proper German.
const UMLAUT_WORDS: Record<string, string> = {
  Beschaeftigung: "Beschäftigung",
  Pruefungen: "Prüfungen",
  Zugehoerigkeit: "Zugehörigkeit",
  Identitaet: "Identität",
  Rueckkehrorientierung: "Rückkehrorientierung",
  Zukunftsplaene: "Zukunftspläne",
  Unterstuetzung: "Unterstützung",
  Behoerdenerfahrung: "Behördenerfahrung",
};
export const germanName = (s: string) => s.replace(/[A-Za-zÄÖÜäöüß]+/g, (w) => UMLAUT_WORDS[w] ?? w);

export type SeedCode = {
  key: string;
  parentKey: string | null;
  name: string;
  nameEn: string;
  description: string;
  examples: string[];
  colour: string;
  specialCategory: boolean;
  position: number;
};

/** The codes of the YAML file as rows, parents before their children. */
export function codebookRows(): SeedCode[] {
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { dimensions: RawDimension[]; cross_cutting: RawCode[] };
  const roots: { key: string; de: string; en: string; description: string; codes: RawCode[] }[] = [
    ...doc.dimensions.map((d) => ({
      key: d.code,
      de: d.label.de,
      en: d.label.en,
      description: d.aka ? `Dimension nach Esser/Heckmann (auch: ${d.aka}).` : "",
      codes: d.codes,
    })),
    { key: "X", de: "Querschnittscodes", en: "Cross-cutting codes", description: "Themen quer zu den vier Dimensionen, häufig in der Forschung zu Migrationsbiografien.", codes: doc.cross_cutting },
  ];
  const rows: SeedCode[] = [];
  roots.forEach((root, rootIndex) => {
    rows.push({ key: root.key, parentKey: null, name: root.de, nameEn: root.en, description: root.description, examples: [], colour: DIMENSION_COLOURS[root.key]!, specialCategory: false, position: rootIndex });
    root.codes.forEach((c, i) => {
      const specialCategory = c.sensitive === true;
      rows.push({
        key: c.code,
        parentKey: root.key,
        name: germanName(c.de),
        nameEn: c.en,
        description: c.desc ?? "",
        examples: c.ex ? [c.ex] : [],
        colour: specialCategory ? SPECIAL_CATEGORY_COLOUR : childColour(root.key, i, root.codes.length),
        specialCategory,
        position: i,
      });
    });
  });
  return rows;
}

/** Keys of seeded codes that were deleted or merged away in the app: not to be seeded again. */
async function removedKeys(db: Prisma.TransactionClient): Promise<Set<string>> {
  const rows = await db.auditLog.findMany({ where: { action: { in: ["code.delete", "code.merge"] } }, select: { detail: true } });
  const keys = new Set<string>();
  for (const row of rows) {
    try {
      const detail = JSON.parse(row.detail ?? "{}") as { key?: unknown };
      if (typeof detail.key === "string") keys.add(detail.key);
    } catch {
      // not ours
    }
  }
  return keys;
}

export async function seedCodebook(db: Prisma.TransactionClient): Promise<{ created: number }> {
  const removed = await removedKeys(db);
  const ids = new Map<string, string>();
  let created = 0;
  for (const row of codebookRows()) {
    if (removed.has(row.key)) continue;
    const parentId = row.parentKey ? ids.get(row.parentKey) : null;
    if (row.parentKey && !parentId) continue; // its root was removed in the app
    const { key, parentKey: _parent, examples, ...data } = row;
    const before = await db.code.findUnique({ where: { key }, select: { id: true } });
    const code = await db.code.upsert({
      where: { key },
      create: { key, ...data, examples: JSON.stringify(examples), parentId },
      update: {},
      select: { id: true },
    });
    if (!before) created++;
    ids.set(key, code.id);
  }
  return { created };
}
