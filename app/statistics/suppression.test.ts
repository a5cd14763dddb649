import { describe, expect, it } from "vitest";
import { asGrid, derivablePositions, suppressMargin, suppressTable, type SuppressedTable } from "./suppression.ts";

type Grid = (number | null)[][];

/** The published grid with margins: rows of cells + row total, then the column totals + grand total. */
function gridOf(cells: number[][]): number[][] {
  const withRowTotals = cells.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const cols = (cells[0]?.length ?? 0) + 1;
  const totals = Array.from({ length: cols }, (_, c) => withRowTotals.reduce((s, row) => s + row[c]!, 0));
  return [...withRowTotals, totals];
}

/**
 * The attacker's first try: every row and every column equation (including the totals row and the totals
 * column) with exactly one unknown gives that unknown away by subtraction. Returns what it recovers.
 */
function recomputableBySubtraction(published: Grid, truth: number[][]): { at: [number, number]; value: number }[] {
  const rows = published.length - 1;
  const cols = published[0]!.length - 1;
  const found: { at: [number, number]; value: number }[] = [];
  const lines: [number, number][][] = [];
  for (let r = 0; r <= rows; r++) lines.push(Array.from({ length: cols + 1 }, (_, c) => [r, c]));
  for (let c = 0; c <= cols; c++) lines.push(Array.from({ length: rows + 1 }, (_, r) => [r, c]));
  for (const line of lines) {
    const unknown = line.filter(([r, c]) => published[r]![c] === null);
    if (unknown.length !== 1) continue;
    const [ur, uc] = unknown[0]!;
    const [tr, tc] = line[line.length - 1]!;
    const terms = line.slice(0, -1);
    // total = sum(terms): solve for the one unknown
    const known = (p: [number, number]) => published[p[0]]![p[1]]!;
    const value = ur === tr && uc === tc ? terms.reduce((s, p) => s + known(p), 0) : known([tr, tc]) - terms.filter(([r, c]) => r !== ur || c !== uc).reduce((s, p) => s + known(p), 0);
    expect(value).toBe(truth[ur]![uc]); // the equation really recovers the true value
    found.push({ at: [ur, uc], value });
  }
  return found;
}

/** Every invariant the dashboard relies on. */
function expectProtected(cells: number[][], table: SuppressedTable, threshold = 5) {
  const truth = gridOf(cells);
  const published = asGrid(table);
  // published values are the true ones
  published.forEach((row, r) => row.forEach((v, c) => v !== null && expect(v).toBe(truth[r]![c])));
  // every small cell and every small total is suppressed; zeros are small only in the sense of "0", never primary
  truth.forEach((row, r) => row.forEach((v, c) => v > 0 && v < threshold && expect(published[r]![c]).toBeNull()));
  // no single equation gives a suppressed value away
  expect(recomputableBySubtraction(published, truth)).toEqual([]);
  // nor does any combination of equations
  const hidden = published.map((row) => row.map((v) => v === null));
  expect(derivablePositions(truth, hidden)).toEqual([]);
}

/** What a naive implementation publishes: primary suppression only. */
function primaryOnly(cells: number[][], threshold = 5): Grid {
  return gridOf(cells).map((row) => row.map((v) => (v > 0 && v < threshold ? null : v)));
}

/** Naive complementary suppression that only looks at the rows, once. */
function rowsOnly(cells: number[][], threshold = 5): Grid {
  const grid = primaryOnly(cells, threshold);
  const truth = gridOf(cells);
  for (let r = 0; r < cells.length; r++) {
    const row = grid[r]!;
    if (row.slice(0, -1).filter((v) => v === null).length === 1) {
      let best = -1;
      row.slice(0, -1).forEach((v, c) => v !== null && v > 0 && (best < 0 || v < truth[r]![best]!) && (best = c));
      if (best >= 0) row[best] = null;
    }
  }
  return grid;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("suppressTable", () => {
  it("publishes a table without small cells unchanged, and never suppresses a zero", () => {
    const cells = [
      [0, 10, 7],
      [12, 0, 9],
    ];
    const t = suppressTable(cells);
    expect(asGrid(t)).toEqual(gridOf(cells));
  });

  it("protects a row with a single small cell, which the row total would give away", () => {
    const cells = [
      [3, 20, 30],
      [12, 25, 40],
      [15, 18, 22],
    ];
    const naive = recomputableBySubtraction(primaryOnly(cells), gridOf(cells));
    expect(naive).toContainEqual({ at: [0, 0], value: 3 }); // 53 - 20 - 30
    const t = suppressTable(cells);
    expect(t.cells[0]![0]).toBeNull();
    expect(t.primary[0]![0]).toBe(true);
    expectProtected(cells, t);
  });

  it("needs a second round when protecting the rows leaves a column with one suppressed cell", () => {
    // (0,0) = 2 pulls in the smallest partner in row 0, (0,1) = 6; column 1 then holds a single
    // suppressed cell, recomputable from the column total, unless a second round protects it.
    const cells = [
      [2, 6, 30, 40],
      [9, 25, 35, 20],
      [8, 30, 11, 60],
    ];
    const naive = recomputableBySubtraction(rowsOnly(cells), gridOf(cells));
    expect(naive.map((f) => f.at)).toContainEqual([0, 1]);
    const t = suppressTable(cells);
    expect(t.cells[0]![1]).toBeNull();
    expectProtected(cells, t);
  });

  it("keeps going when fixing the rows breaks the columns and fixing those breaks rows again", () => {
    const cells = [
      [1, 7, 50, 9],
      [6, 2, 8, 70],
      [40, 9, 3, 10],
      [30, 60, 12, 4],
    ];
    const naiveRows = recomputableBySubtraction(rowsOnly(cells), gridOf(cells));
    expect(naiveRows.length).toBeGreaterThan(0);
    expectProtected(cells, suppressTable(cells));
  });

  it("suppresses the total of a row or column whose base is under the threshold", () => {
    const cells = [
      [1, 2, 0],
      [10, 12, 9],
      [11, 0, 14],
    ];
    const t = suppressTable(cells);
    expect(t.rowTotals[0]).toBeNull(); // 3 cases in all
    expect(t.cells[0]![2]).toBe(0);
    expectProtected(cells, t);
    const thin = [
      [1, 0],
      [2, 0],
      [0, 20],
    ];
    const u = suppressTable(thin);
    expect(u.columnTotals[0]).toBeNull(); // 3
    expectProtected(thin, u);
  });

  it("protects a cell that two equations together give away, though every line has two suppressed cells", () => {
    // Two blocks of suppressed cells joined by one cell (1,2): adding rows 0 and 1 and subtracting columns
    // 0 and 1 leaves exactly that cell.
    const cells = [
      [3, 4, 20, 30, 25],
      [2, 1, 6, 40, 33],
      [22, 28, 3, 2, 21],
      [31, 26, 1, 4, 27],
    ];
    const truth = gridOf(cells);
    const hidden = truth.map((row, r) => row.map((_, c) => (r < 2 && c < 2) || (r >= 2 && r < 4 && c >= 2 && c < 4) || (r === 1 && c === 2)));
    const published = truth.map((row, r) => row.map((v, c) => (hidden[r]![c] ? null : v)));
    expect(recomputableBySubtraction(published, truth)).toEqual([]); // the naive checker is satisfied
    expect(derivablePositions(truth, hidden)).toEqual([[1, 2]]);
    expectProtected(cells, suppressTable(cells));
  });

  it("uses a different threshold when asked", () => {
    const cells = [
      [3, 8, 9],
      [7, 6, 5],
    ];
    const t = suppressTable(cells, { threshold: 3 });
    expect(t.cells[0]![0]).toBe(3);
    expect(asGrid(t)).toEqual(gridOf(cells));
    expectProtected(cells, suppressTable(cells, { threshold: 10 }), 10);
  });

  it("refuses malformed input", () => {
    expect(() => suppressTable([[1, 2], [3]])).toThrow();
    expect(() => suppressTable([[1, -2]])).toThrow();
    expect(() => suppressTable([[1.5, 2]])).toThrow();
  });

  it("protects hundreds of random tables", () => {
    const rand = rng(42);
    for (let n = 0; n < 300; n++) {
      const rows = 2 + Math.floor(rand() * 7);
      const cols = 2 + Math.floor(rand() * 4);
      const cells = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() < 0.35 ? Math.floor(rand() * 5) : Math.floor(rand() * 40))));
      expectProtected(cells, suppressTable(cells));
    }
  });
});

describe("locked row totals shared by several tables", () => {
  it("keeps the given row totals and still protects every cell", () => {
    const rand = rng(7);
    for (let n = 0; n < 150; n++) {
      const rows = 2 + Math.floor(rand() * 10);
      const cells = Array.from({ length: rows }, () => Array.from({ length: 3 }, () => (rand() < 0.3 ? Math.floor(rand() * 5) : Math.floor(rand() * 30))));
      const margin = suppressMargin(cells.map((row) => row.reduce((a, b) => a + b, 0)));
      const t = suppressTable(cells, { lockedRowTotals: margin });
      t.rowTotals.forEach((v, r) => expect(v === null).toBe(margin.suppressed[r]));
      expect(t.grandTotal === null).toBe(margin.grandTotalSuppressed);
      expectProtected(cells, t);
    }
  });

  it("protects the margin itself: one small municipality is not recomputable from the district total", () => {
    const margin = suppressMargin([40, 3, 25, 60]);
    expect(margin.suppressed).toEqual([false, true, true, false]);
    expect(margin.grandTotalSuppressed).toBe(false);
  });
});

describe("places listed whether or not anyone lives there", () => {
  it("hides a place with 0 like one with a few, in the margin and in every cell of its row, and nothing can be recomputed", () => {
    const totals = [40, 0, 2, 25, 0];
    const margin = suppressMargin(totals, 5, { zerosSmall: true });
    expect(margin.suppressed[1]).toBe(true);
    expect(margin.suppressed[2]).toBe(true);
    expect(margin.suppressed[4]).toBe(true);
    // the hidden places together are not 0 nor small: a published place was added as their partner
    const hiddenSum = totals.reduce((sum, v, i) => sum + (margin.suppressed[i] ? v : 0), 0);
    expect(hiddenSum === 0 || hiddenSum >= 5).toBe(true);
    expect(hiddenSum).toBeGreaterThan(0);
    const cells = [
      [30, 6, 4],
      [0, 0, 0],
      [2, 0, 0],
      [20, 0, 5],
      [0, 0, 0],
    ];
    const table = suppressTable(cells, { lockedRowTotals: margin, hiddenRows: margin.suppressed });
    expect(table.cells[1]).toEqual([null, null, null]);
    expect(table.cells[2]).toEqual([null, null, null]);
    const hidden = asGrid(table).map((row) => row.map((v) => v === null));
    const grid = [...cells.map((r) => [...r, r.reduce((a, b) => a + b, 0)]), [52, 6, 9, 67]];
    expect(derivablePositions(grid, hidden)).toEqual([]);
  });
});
