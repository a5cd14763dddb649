// The p-table and lookup of the cell key method (ADR 0021): each row a probability distribution with the stated
// maximum deviation and zero mean, zeros stay zero, no published value of 1-4, and the lookup draws the noises with
// the table's probabilities.
import { describe, expect, it } from "vitest";
import { MAX_DEVIATION, NOISE_VARIANCE, cellKey, pTableRow, perturb, perturbFigures } from "./cell-key.ts";

const counts = [0, ...Array.from({ length: 60 }, (_, i) => i + 5)];

describe("the p-table", () => {
  it("has rows that are probability distributions with |noise| <= 2, mean 0 and variance at most 1 (1 from 7 on)", () => {
    expect(MAX_DEVIATION).toBe(2);
    for (const n of counts) {
      const row = [...pTableRow(n)];
      expect(row.reduce((s, [, p]) => s + p, 0), `row ${n}`).toBeCloseTo(1, 12);
      for (const [noise, p] of row) {
        expect(p).toBeGreaterThan(0);
        expect(Math.abs(noise)).toBeLessThanOrEqual(MAX_DEVIATION);
        const published = n + noise;
        expect(published === 0 || published >= 5, `${n} -> ${published}`).toBe(true);
      }
      const mean = row.reduce((s, [noise, p]) => s + noise * p, 0);
      expect(mean, `mean of row ${n}`).toBeCloseTo(0, 12);
      const variance = row.reduce((s, [noise, p]) => s + noise * noise * p, 0);
      expect(variance).toBeLessThanOrEqual(NOISE_VARIANCE);
      if (n >= 7) expect(variance).toBeCloseTo(NOISE_VARIANCE, 12);
    }
    // a count that would be published with noise at all
    expect(pTableRow(20).get(2)).toBeGreaterThan(0);
    expect(pTableRow(20).get(-2)).toBeGreaterThan(0);
  });

  it("keeps zeros at zero whatever the key, and refuses counts of 1-4 (suppressed, never perturbed)", () => {
    for (let k = 0; k < 1000; k++) expect(perturb(0, k / 997)).toBe(0);
    for (const n of [1, 2, 3, 4]) expect(() => perturb(n, 0.5)).toThrow(/suppressed/);
    expect(() => perturb(-1, 0.5)).toThrow();
  });

  it("draws each noise with its probability over the cell keys, and the key is the fractional part of the sum", () => {
    for (const n of [5, 6, 7, 40]) {
      const steps = 1 << 14;
      const seen = new Map<number, number>();
      for (let k = 0; k < steps; k++) {
        const noise = perturb(n, 3 + k / steps) - n;
        seen.set(noise, (seen.get(noise) ?? 0) + 1);
      }
      for (const [noise, p] of pTableRow(n)) expect(seen.get(noise)! / steps, `${n}${noise >= 0 ? "+" : ""}${noise}`).toBeCloseTo(p, 10);
      expect([...seen.keys()].sort()).toEqual([...pTableRow(n).keys()].sort());
    }
    expect(cellKey(2.25)).toBe(0.25);
    // Sums a few ulps off the record keys' grid (PostgreSQL's sums, differences of sums) count as the grid point:
    // -5.55e-17 for an empty cell was read as the key 1, outside every interval (a 500 on /statistics in CI).
    expect(cellKey(-5.551115123125783e-17)).toBe(0);
    expect(perturb(0, -5.551115123125783e-17)).toBe(0);
    expect(cellKey(3 - 1e-15)).toBe(0);
    expect(perturb(40, 3 - 1e-15)).toBe(38);
    expect(cellKey(1.5 + 1e-15)).toBe(0.5);
    expect(perturb(40, 7.01)).toBe(perturb(40, 0.01));
    // lowest key: the most negative noise; highest: the most positive
    expect(perturb(40, 0)).toBe(38);
    expect(perturb(40, 0.999)).toBe(42);
  });

  it("perturbs totals as cells of their own and leaves suppressed figures suppressed", () => {
    const table = { cells: [[20, null], [0, 9]], rowTotals: [null, 9], columnTotals: [20, null], grandTotal: 29 };
    const out = perturbFigures(table, { cells: [[0.01, 0.5], [0.5, 0.01]], rowTotals: [0.5, 0.99], columnTotals: [0.99, 0.5], grandTotal: 0.5 });
    expect(out).toEqual({ cells: [[18, null], [0, 7]], rowTotals: [null, 11], columnTotals: [22, null], grandTotal: 29 });
  });
});
