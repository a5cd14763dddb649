// The table-definition layer and the tables it publishes, against fixtures built to break naive suppression.
import { describe, expect, it } from "vitest";
import { DisclosureRefusal, TABLES, VARIABLES, defineTable, publishAdditive, publishPerColumn, type PublishedTable, type VariableKey } from "./tables.ts";
import { derivablePositions } from "./suppression.ts";

const def = (rows: VariableKey, columns: VariableKey) => ({ key: "t", rows, columns, population: "activeCases" as const });

/** Grid with margins of true values, and which positions the table hides. */
function truthAndHidden(cells: number[][], table: PublishedTable) {
  const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotals = cells[0]!.map((_, c) => cells.reduce((s, r) => s + r[c]!, 0));
  const truth = [...cells.map((r, i) => [...r, rowTotals[i]!]), [...colTotals, rowTotals.reduce((a, b) => a + b, 0)]];
  const published = [...table.cells.map((r, i) => [...r, table.rowTotals[i]!]), [...table.columnTotals, table.grandTotal]];
  return { truth, published, hidden: published.map((r) => r.map((v) => v === null)) };
}

/** Everything an attacker could do with the published table: every check fails loudly. */
function expectProtected(cells: number[][], table: PublishedTable, threshold = 5) {
  const { truth, published, hidden } = truthAndHidden(cells, table);
  published.forEach((row, r) => row.forEach((v, c) => v !== null && expect(v).toBe(truth[r]![c])));
  truth.forEach((row, r) => row.forEach((v, c) => v > 0 && v < threshold && expect(published[r]![c], `cell ${r},${c} = ${v}`).toBeNull()));
  expect(derivablePositions(truth, hidden)).toEqual([]);
  // the hidden cells of any line with a published total add up to a known sum: it must not be small either
  const lines: [number, number][][] = [];
  for (let r = 0; r < truth.length; r++) lines.push(truth[r]!.map((_, c) => [r, c]));
  for (let c = 0; c < truth[0]!.length; c++) lines.push(truth.map((_, r) => [r, c]));
  for (const line of lines) {
    const [tr, tc] = line[line.length - 1]!;
    if (hidden[tr]![tc]) continue;
    const sum = line.slice(0, -1).filter(([r, c]) => hidden[r]![c]).reduce((s, [r, c]) => s + truth[r]![c]!, 0);
    expect(sum === 0 || sum >= threshold, `hidden cells of a line sum to ${sum}`).toBe(true);
  }
}

describe("defineTable", () => {
  it("refuses every table that crosses nationality with a place, in either direction", () => {
    for (const place of ["municipality", "municipalityGroup"] as const) {
      for (const population of ["activeCases", "interviewedCases"] as const) {
        expect(() => defineTable({ key: "x", rows: "nationality", columns: place, population })).toThrow(DisclosureRefusal);
        expect(() => defineTable({ key: "x", rows: place, columns: "nationality", population })).toThrow(/nationality-by-place/);
      }
    }
    // every place variable is covered, not just the two named above
    const places = (Object.keys(VARIABLES) as VariableKey[]).filter((k) => VARIABLES[k].kind === "place");
    for (const place of places) expect(() => defineTable({ key: "x", rows: place, columns: "nationality", population: "interviewedCases" })).toThrow(DisclosureRefusal);
    // nationality with a non-place variable is allowed
    expect(defineTable(def("nationality", "caseGroup")).rows).toBe("nationality");
  });

  it("refuses place tables over active cases (the gap dashboard publishes those per municipality) and a variable with itself", () => {
    expect(() => defineTable(def("municipalityGroup", "caseGroup"))).toThrow(/place-of-active-cases/);
    expect(() => defineTable(def("sex", "sex"))).toThrow(/same-variable/);
  });

  it("publishing goes through the same checks, and every declared table passes them", () => {
    expect(() => publishAdditive({ key: "x", rows: "nationality", columns: "municipalityGroup", population: "interviewedCases" }, [[10]])).toThrow(DisclosureRefusal);
    expect(() => publishPerColumn({ key: "x", rows: "municipalityGroup", columns: "nationality", population: "interviewedCases" }, [[1]], [10])).toThrow(DisclosureRefusal);
    for (const t of TABLES) expect(defineTable(t)).toBe(t);
    expect(TABLES.some((t) => [t.rows, t.columns].includes("nationality"))).toBe(false);
  });
});

describe("publishAdditive", () => {
  const t = def("arrivalGroup", "germanLevel");

  it("hides a single small cell that the row total would give away, with a partner", () => {
    const cells = [
      [3, 20, 31, 12, 40],
      [15, 18, 22, 9, 30],
      [11, 14, 25, 16, 50],
    ];
    const p = publishAdditive(t, cells);
    expect(p.cells[0]![0]).toBeNull();
    expect(p.cells[0]!.filter((v) => v === null).length).toBeGreaterThanOrEqual(2);
    expectProtected(cells, p);
  });

  it("hides a third cell when two suppressed cells of a line sum to a small, known number", () => {
    // Row 0: 1 and 2 are both hidden (two per line, the naive rule is satisfied), but the row total tells
    // that together they are 3: three persons in a known pair of categories.
    const cells = [
      [1, 2, 30, 40, 25],
      [12, 9, 22, 19, 30],
      [11, 14, 25, 16, 50],
    ];
    const p = publishAdditive(t, cells);
    expect(p.cells[0]![0]).toBeNull();
    expect(p.cells[0]![1]).toBeNull();
    expect(p.cells[0]!.filter((v) => v === null).length).toBeGreaterThanOrEqual(3);
    expectProtected(cells, p);
  });

  it("never picks a zero as the partner of a small cell (a zero hides nothing)", () => {
    const cells = [
      [0, 4, 0, 30, 0],
      [7, 12, 9, 20, 8],
      [6, 10, 11, 25, 9],
    ];
    const p = publishAdditive(t, cells);
    expect(p.cells[0]![0]).toBe(0);
    expect(p.cells[0]![2]).toBe(0);
    expect(p.cells[0]![4]).toBe(0);
    expect(p.cells[0]![3]).toBeNull(); // the only positive partner in the row
    expectProtected(cells, p);
  });

  it("protects random tables of the declared shapes", () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 200; n++) {
      const cells = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => (rand() < 0.4 ? Math.floor(rand() * 5) : Math.floor(rand() * 30))));
      expectProtected(cells, publishAdditive(t, cells));
    }
  });
});

/**
 * What an attacker knows of column c: "with" where published, "without" = base - with where both are published,
 * the column's total and, from the grand total, the total "without". Each column must be a protected table.
 */
function expectColumnsProtected(withCounts: number[][], base: number[], p: PublishedTable, threshold = 5) {
  for (let c = 0; c < withCounts[0]!.length; c++) {
    const rows = base.length;
    const truth = [...base.map((b, r) => [withCounts[r]![c]!, b - withCounts[r]![c]!, b])];
    const withTotal = withCounts.reduce((s, row) => s + row[c]!, 0);
    const grand = base.reduce((a, b) => a + b, 0);
    truth.push([withTotal, grand - withTotal, grand]);
    // "without" is known exactly where both "with" and the base are
    const line = (withHidden: boolean, baseHidden: boolean) => [withHidden, withHidden || baseHidden, baseHidden];
    const hidden = [...base.map((_, r) => line(p.cells[r]![c] === null, p.rowTotals[r] === null)), line(p.columnTotals[c] === null, p.grandTotal === null)];
    truth.forEach((row, r) => row.forEach((v, k) => v > 0 && v < threshold && expect(hidden[r]![k], `column ${c}: ${r},${k} = ${v}`).toBe(true)));
    expect(derivablePositions(truth, hidden)).toEqual([]);
  }
}

describe("publishPerColumn (a person can count in several columns)", () => {
  const t = { key: "codes", rows: "municipalityGroup" as const, columns: "dimension" as const, population: "interviewedCases" as const };

  it("treats each column as 'with / without' over the row base: a small 'without' hides the 'with' too", () => {
    const base = [40, 25, 30];
    const withCounts = [
      [39, 20, 12, 30, 8], // 39 of 40: one person WITHOUT STR in the large towns is a small cell
      [10, 3, 12, 20, 9],
      [15, 16, 11, 25, 10],
    ];
    const p = publishPerColumn(t, withCounts, base);
    expect(p.cells[0]![0]).toBeNull();
    expect(p.cells[1]![1]).toBeNull();
    expect(p.rowTotals).toEqual([40, 25, 30]);
    expectColumnsProtected(withCounts, base, p);
  });

  it("suppresses a small base (persons per group) and protects it against the district total", () => {
    const withCounts = [
      [20, 10, 5, 8, 6],
      [2, 1, 0, 1, 0],
      [30, 22, 18, 9, 12],
    ];
    const base = [40, 3, 45];
    const p = publishPerColumn(t, withCounts, base);
    expect(p.rowTotals[1]).toBeNull();
    expect(p.rowTotals.filter((v) => v === null).length).toBeGreaterThanOrEqual(2);
    expect(p.cells[1]!.every((v) => v === null || v === 0)).toBe(true);
    expectColumnsProtected(withCounts, base, p);
  });

  it("protects random tables of this shape", () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 150; n++) {
      const base = [0, 1, 2].map(() => (rand() < 0.3 ? Math.floor(rand() * 8) : 5 + Math.floor(rand() * 40)));
      const withCounts = base.map((b) => [0, 1, 2, 3, 4].map(() => Math.floor(rand() * (b + 1))));
      expectColumnsProtected(withCounts, base, publishPerColumn(t, withCounts, base));
    }
  });

  it("publishes no zero that places a handful of interviewed persons (QA: 3 persons, a middle row of 0s)", () => {
    // 2 in the large towns, none in the middle-sized ones, 1 in a village: a published row of 0s said "the 3 live
    // in the large towns or the villages".
    const few = publishPerColumn(t, [[2, 1, 0, 1, 0], [0, 0, 0, 0, 0], [1, 0, 1, 0, 0]], [2, 0, 1]);
    expect([...few.cells.flat(), ...few.rowTotals, ...few.columnTotals, few.grandTotal].filter((v) => v !== null)).toEqual([]);
    // With enough persons the large towns publish; the empty group is still not told apart from a small one.
    const more = publishPerColumn(t, [[20, 10, 6, 8, 6], [0, 0, 0, 0, 0], [9, 5, 6, 7, 5]], [30, 0, 9]);
    expect(more.rowTotals).toEqual([30, null, null]);
    expect(more.cells[1]).toEqual([null, null, null, null, null]);
    expect(more.cells[2]).toEqual([null, null, null, null, null]);
    expect(more.grandTotal).toBe(39);
    expectColumnsProtected([[20, 10, 6, 8, 6], [0, 0, 0, 0, 0], [9, 5, 6, 7, 5]], [30, 0, 9], more);
  });

  it("refuses a column count larger than its base", () => {
    expect(() => publishPerColumn(t, [[5, 0, 0, 0, 0]], [4])).toThrow();
  });
});
