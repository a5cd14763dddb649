// The cell key method (CKM) of the 2022 German census (Destatis; ABS TableBuilder): every case has a fixed random
// record key in [0, 1) (record-key.server.ts), a published count's cell key is the fractional part of the sum of
// the keys of the cases it counts, and a perturbation table (p-table) turns (count, cell key) into a small noise.
// The same cases give the same cell key, so the same figure in every table and every month: repeating a query
// or comparing two tables does not average the noise away, while the difference of two months' releases is no
// longer the exact net change (ADR 0021). Pure (no database).
import { DEFAULT_THRESHOLD } from "./suppression.ts";

/** Largest change of a published count (the p-table's D). */
export const MAX_DEVIATION = 2;
/** Variance of the noise of counts far from the threshold (the p-table's V). */
export const NOISE_VARIANCE = 1;
/** No published count becomes 1..4 (the p-table's js): the suppression never publishes those, nor may the noise. */
export const SMALLEST_PERTURBED = DEFAULT_THRESHOLD;

/** Probabilities in sixteenths, so the lookup intervals are exact. */
const STEPS = 16;

/** One row of the p-table: noise -> probability (sixteenths). */
type Row = ReadonlyMap<number, number>;

/**
 * The p-table. Each row is a distribution of the noise with mean 0 (unbiased) and |noise| <= 2:
 * - 0 stays 0 (an empty cell says nothing about anyone, and CKM never invents persons);
 * - 5 stays 5: it may not fall below 5 and must not rise on average either;
 * - 6 goes to 5..8 (variance 0.875, as close to 1 as the bound at 5 allows);
 * - from 7 on, the noise is binomial(4, 1/2) - 2: -2..+2 with 1, 4, 6, 4, 1 sixteenths (variance 1).
 * 1..4 have no row: suppression hides them before any perturbation (ADR 0021).
 */
const ZERO: Row = new Map([[0, 16]]);
const FIVE: Row = new Map([[0, 16]]);
const SIX: Row = new Map([[-1, 6], [0, 5], [1, 4], [2, 1]]);
const GENERAL: Row = new Map([[-2, 1], [-1, 4], [0, 6], [1, 4], [2, 1]]);

/** The noise distribution of a published count: noise -> probability. */
export function pTableRow(count: number): Map<number, number> {
  const row = rowOf(count);
  return new Map([...row].map(([noise, sixteenths]) => [noise, sixteenths / STEPS]));
}

function rowOf(count: number): Row {
  if (!Number.isInteger(count) || count < 0) throw new Error("cell key: counts must be non-negative integers");
  if (count === 0) return ZERO;
  if (count < SMALLEST_PERTURBED) throw new Error("cell key: a count of 1-4 is suppressed, never published");
  if (count === SMALLEST_PERTURBED) return FIVE;
  if (count === SMALLEST_PERTURBED + 1) return SIX;
  return GENERAL;
}

/** Record keys are multiples of 2^-31 (record-key.server.ts): cell keys are taken on that grid. */
const KEY_GRID = 2 ** 31;

/**
 * The cell key of a sum of record keys: its fractional part, on the record keys' grid. A sum read back from
 * PostgreSQL, or a difference of such sums, can come out a few ulps off the grid (-5.55e-17 for an empty cell,
 * seen in CI): its plain fractional part was 1 - 5.55e-17, which rounds to 1, outside every p-table interval.
 */
export function cellKey(keySum: number): number {
  const units = Math.round(keySum * KEY_GRID);
  return (((units % KEY_GRID) + KEY_GRID) % KEY_GRID) / KEY_GRID;
}

/** The published value of a count whose cases' record keys add up to `keySum`. */
export function perturb(count: number, keySum: number): number {
  const key = cellKey(keySum);
  let upTo = 0;
  // The noises in ascending order take consecutive intervals of [0, 1); the cell key falls into one.
  for (const [noise, sixteenths] of [...rowOf(count)].sort((a, b) => a[0] - b[0])) {
    upTo += sixteenths;
    if (key * STEPS < upTo) return count + noise;
  }
  throw new Error(`cell key: no p-table interval for count ${count}, key sum ${keySum}`);
}

/** A table's key sums, shaped like its counts: cells, row totals, column totals, grand total. */
export type KeySums = { cells: number[][]; rowTotals: number[]; columnTotals: number[]; grandTotal: number };

/** Sums of the record keys of an additive table (each contributor counted in one cell and its totals). */
export function additiveKeySums(cells: number[][]): KeySums {
  const cols = cells[0]?.length ?? 0;
  return {
    cells,
    rowTotals: cells.map((row) => row.reduce((a, b) => a + b, 0)),
    columnTotals: Array.from({ length: cols }, (_, c) => cells.reduce((a, row) => a + row[c]!, 0)),
    grandTotal: cells.flat().reduce((a, b) => a + b, 0),
  };
}

type Figures = { cells: (number | null)[][]; rowTotals: (number | null)[]; columnTotals: (number | null)[]; grandTotal: number | null };

/**
 * Perturbs every published value of a suppressed table (null stays null), totals as cells of their own: the
 * figures then need not add up, which is how the census publishes them.
 */
export function perturbFigures<T extends Figures>(table: T, keys: KeySums): T {
  const one = (v: number | null, key: number) => (v === null ? null : perturb(v, key));
  return {
    ...table,
    cells: table.cells.map((row, r) => row.map((v, c) => one(v, keys.cells[r]![c]!))),
    rowTotals: table.rowTotals.map((v, r) => one(v, keys.rowTotals[r]!)),
    columnTotals: table.columnTotals.map((v, c) => one(v, keys.columnTotals[c]!)),
    grandTotal: one(table.grandTotal, keys.grandTotal),
  };
}
