// Statistical disclosure control for tables of counts (pure, no database).
// Cells 1..threshold-1 are suppressed (primary); then further cells are suppressed (complementary) until no
// suppressed value can be recomputed from the published totals: every row and column equation holds either
// no suppressed term or at least two whose sum (known from a published total) is not small itself, and no
// suppressed value is determined by any combination of
// equations either (checked by linear algebra, since "two per line" alone can leave a cell that links two
// otherwise separate blocks of suppressed cells recomputable). Suppressed values are shown as "." (the
// convention of German official statistics).

export type SuppressionOptions = {
  /** Smallest count that may be published; 1..threshold-1 are suppressed. Default 5. */
  threshold?: number;
  /**
   * Row totals (and the grand total) decided once for a base that several tables share, e.g. active cases per
   * municipality, which is the same in every indicator's table. They are taken as given and never suppressed
   * further, so no two tables publish the same total differently. Compute them with suppressMargin().
   */
  lockedRowTotals?: { suppressed: boolean[]; grandTotalSuppressed: boolean };
  /**
   * Rows shown as "." throughout, zeros included: places whose total is hidden, so that a place without anyone and
   * one with a few persons look alike (a published 0 beside "." would tell them apart).
   */
  hiddenRows?: boolean[];
  /** Zeros count as small (hidden, and a hidden sum of 0 needs a partner): for the list of places itself. */
  zerosSmall?: boolean;
  /**
   * Totals hidden as if small although they are not: another publication gives away part of them, so the rest
   * would be a small count (commissioner.server.ts: "unknown" columns minus the dashboard's unknown figures).
   */
  hiddenTotals?: { rows?: readonly boolean[]; columns?: readonly boolean[] };
};

export type SuppressedTable = {
  /** null = suppressed */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  grandTotal: number | null;
  /** true where a cell was suppressed because it is small itself (not to protect another cell) */
  primary: boolean[][];
};

export const DEFAULT_THRESHOLD = 5;
export const SUPPRESSED_MARK = ".";

const isSmall = (v: number, threshold: number, zerosSmall = false) => (zerosSmall ? v >= 0 : v > 0) && v < threshold;

/**
 * The grid with margins: rows 0..R-1 and columns 0..C-1 are cells, column C holds row totals, row R holds
 * column totals, (R, C) is the grand total. Each row r (0..R) states sum(r, 0..C-1) = (r, C); each column c
 * (0..C) states sum(0..R-1, c) = (R, c).
 */
type Pos = readonly [number, number];
type Equation = { terms: Pos[]; total: Pos };

function equationsOf(rows: number, cols: number): Equation[] {
  const eqs: Equation[] = [];
  for (let r = 0; r <= rows; r++) eqs.push({ terms: Array.from({ length: cols }, (_, c) => [r, c] as const), total: [r, cols] });
  for (let c = 0; c <= cols; c++) eqs.push({ terms: Array.from({ length: rows }, (_, r) => [r, c] as const), total: [rows, c] });
  return eqs;
}

function withMargins(cells: number[][], cols: number): number[][] {
  const rows = cells.length;
  const grid = cells.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const totals = Array.from({ length: cols + 1 }, (_, c) => grid.reduce((sum, row) => sum + row[c]!, 0));
  return rows === 0 ? [totals] : [...grid, totals];
}

function validate(cells: number[][]): number {
  const cols = cells[0]?.length ?? 0;
  for (const row of cells) {
    if (row.length !== cols) throw new Error("suppression: every row needs the same number of columns");
    for (const v of row) if (!Number.isInteger(v) || v < 0) throw new Error("suppression: counts must be non-negative integers");
  }
  return cols;
}

/**
 * Suppression of a one-dimensional list of counts and its total (e.g. the municipality totals shared by
 * several tables): small values and a small total are suppressed, and a single suppressed value gets a partner.
 */
export function suppressMargin(values: number[], threshold = DEFAULT_THRESHOLD, options: Pick<SuppressionOptions, "zerosSmall"> = {}): { suppressed: boolean[]; grandTotalSuppressed: boolean } {
  const result = suppressTable(
    values.map((v) => [v]),
    { threshold, ...options },
  );
  return { suppressed: result.rowTotals.map((v, i) => v === null || result.cells[i]![0] === null), grandTotalSuppressed: result.grandTotal === null };
}

export function suppressTable(cells: number[][], options: SuppressionOptions = {}): SuppressedTable {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const cols = validate(cells);
  const rows = cells.length;
  const grid = withMargins(cells, cols);
  const equations = equationsOf(rows, cols);
  const hidden = grid.map((row) => row.map(() => false));
  const locked = grid.map((row) => row.map(() => false));
  const isHidden = ([r, c]: Pos) => hidden[r]![c]!;
  const value = ([r, c]: Pos) => grid[r]![c]!;

  // Primary suppression: small cells, and totals whose base is small.
  const zerosSmall = options.zerosSmall ?? false;
  for (let r = 0; r <= rows; r++) for (let c = 0; c <= cols; c++) if (isSmall(grid[r]![c]!, threshold, zerosSmall)) hidden[r]![c] = true;
  options.hiddenTotals?.rows?.forEach((h, r) => h && r < rows && (hidden[r]![cols] = true));
  options.hiddenTotals?.columns?.forEach((h, c) => h && c < cols && (hidden[rows]![c] = true));
  if (options.hiddenRows) {
    if (options.hiddenRows.length !== rows) throw new Error("suppression: hiddenRows must have one entry per row");
    for (let r = 0; r < rows; r++) if (options.hiddenRows[r]) for (let c = 0; c < cols; c++) hidden[r]![c] = true;
  }
  const primary = cells.map((row, r) => row.map((_, c) => hidden[r]![c]!));
  if (options.lockedRowTotals) {
    const given = options.lockedRowTotals;
    if (given.suppressed.length !== rows) throw new Error("suppression: lockedRowTotals must have one entry per row");
    for (let r = 0; r < rows; r++) {
      if (isSmall(grid[r]![cols]!, threshold) && !given.suppressed[r]) throw new Error("suppression: a small row total cannot be published");
      hidden[r]![cols] = given.suppressed[r]!;
      locked[r]![cols] = true;
    }
    hidden[rows]![cols] = given.grandTotalSuppressed;
    locked[rows]![cols] = true;
  }

  const countHidden = (eq: Equation) => eq.terms.filter(isHidden).length + (isHidden(eq.total) ? 1 : 0);
  const open = (eq: Equation) => [...eq.terms, eq.total].filter((p) => !isHidden(p) && !locked[p[0]]![p[1]]!);

  // A cell whose other equation (row for a column, column for a row) already has exactly one suppressed
  // term protects two equations at once, so it wins among cells of the same size.
  const crossNeed = ([r, c]: Pos) => {
    const rowEq = equations[r]!;
    const colEq = equations[rows + 1 + c]!;
    return (countHidden(rowEq) === 1 ? 1 : 0) + (countHidden(colEq) === 1 ? 1 : 0);
  };

  // Smallest positive inner cell first (a zero partner would hide nothing: the suppressed sum stays small),
  // then zero cells, then totals.
  const rank = (p: Pos) => {
    const [r, c] = p;
    const inner = r < rows && c < cols;
    const v = value(p);
    return [inner ? (v > 0 ? 0 : 1) : 2, v, -crossNeed(p), r, c];
  };
  const pickSmallest = (candidates: Pos[]): Pos | undefined =>
    [...candidates].sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
      return 0;
    })[0];

  for (;;) {
    let changed = false;
    for (const eq of equations) {
      const n = countHidden(eq);
      // One suppressed term: the published total gives it away. Several suppressed terms whose sum (known
      // from the published total) is itself small: together they still reveal a small group of persons.
      const sumTooSmall = n >= 2 && !isHidden(eq.total) && isSmall(eq.terms.filter(isHidden).reduce((s, p) => s + value(p), 0), threshold, zerosSmall);
      if (n !== 1 && !sumTooSmall) continue;
      const pick = pickSmallest(open(eq));
      if (!pick) throw new Error("suppression: no cell left to protect a suppressed value");
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
    if (changed) continue;
    // Every line has 0 or >= 2 suppressed terms; now look for values recomputable by combining lines.
    const derivable = derivablePositions(grid, hidden);
    if (derivable.length === 0) break;
    const [r, c] = derivable[0]!;
    const neighbours = [...(r <= rows ? open(equations[r]!) : []), ...(c <= cols ? open(equations[rows + 1 + c]!) : [])];
    const pick = pickSmallest(neighbours) ?? pickSmallest(allOpen(grid, hidden, locked));
    if (!pick) throw new Error("suppression: no cell left to protect a suppressed value");
    hidden[pick[0]]![pick[1]] = true;
  }

  const show = (r: number, c: number) => (hidden[r]![c]! ? null : grid[r]![c]!);
  return {
    cells: cells.map((row, r) => row.map((_, c) => show(r, c))),
    rowTotals: cells.map((_, r) => show(r, cols)),
    columnTotals: Array.from({ length: cols }, (_, c) => show(rows, c)),
    grandTotal: show(rows, cols),
    primary,
  };
}

function allOpen(grid: number[][], hidden: boolean[][], locked: boolean[][]): Pos[] {
  const out: Pos[] = [];
  grid.forEach((row, r) => row.forEach((_, c) => !hidden[r]![c]! && !locked[r]![c]! && out.push([r, c])));
  return out;
}

/**
 * Suppressed positions of a grid with margins (see withMargins) whose value follows from the published
 * values through the row and column equations, by any linear combination of them. A value x_k is determined
 * exactly when the unit vector e_k lies in the row space of the equations restricted to suppressed terms.
 */
export function derivablePositions(grid: number[][], hidden: boolean[][]): Pos[] {
  const rows = grid.length - 1;
  const cols = (grid[0]?.length ?? 1) - 1;
  const vars: Pos[] = [];
  const index = grid.map((row) => row.map(() => -1));
  grid.forEach((row, r) =>
    row.forEach((_, c) => {
      if (hidden[r]![c]) {
        index[r]![c] = vars.length;
        vars.push([r, c]);
      }
    }),
  );
  if (vars.length === 0) return [];
  const matrix: number[][] = [];
  for (const eq of equationsOf(rows, cols)) {
    const line = new Array<number>(vars.length).fill(0);
    let any = false;
    for (const [r, c] of eq.terms) {
      const k = index[r]![c]!;
      if (k >= 0) {
        line[k] = 1;
        any = true;
      }
    }
    const t = index[eq.total[0]]![eq.total[1]]!;
    if (t >= 0) {
      line[t] = -1;
      any = true;
    }
    if (any) matrix.push(line);
  }
  // Reduced row echelon form. The equations form a network matrix (totally unimodular), so pivots stay
  // +-1 and the arithmetic stays exact in floating point.
  const pivotOfRow: number[] = [];
  let row = 0;
  for (let col = 0; col < vars.length && row < matrix.length; col++) {
    let p = row;
    while (p < matrix.length && Math.abs(matrix[p]![col]!) < 1e-9) p++;
    if (p === matrix.length) continue;
    [matrix[row], matrix[p]] = [matrix[p]!, matrix[row]!];
    const pivot = matrix[row]![col]!;
    for (let k = 0; k < vars.length; k++) matrix[row]![k]! /= pivot;
    for (let other = 0; other < matrix.length; other++) {
      if (other === row) continue;
      const factor = matrix[other]![col]!;
      if (Math.abs(factor) < 1e-9) continue;
      for (let k = 0; k < vars.length; k++) matrix[other]![k]! -= factor * matrix[row]![k]!;
    }
    pivotOfRow[row] = col;
    row++;
  }
  const out: Pos[] = [];
  for (let r = 0; r < row; r++) {
    const col = pivotOfRow[r]!;
    const alone = matrix[r]!.every((v, k) => k === col || Math.abs(v) < 1e-9);
    if (alone) out.push(vars[col]!);
  }
  return out;
}

/** Convenience: the suppressed table as a grid with margins (null = suppressed), for checks and export. */
export function asGrid(table: SuppressedTable): (number | null)[][] {
  return [...table.cells.map((row, r) => [...row, table.rowTotals[r]!]), [...table.columnTotals, table.grandTotal]];
}

/** Formats a published count, or the suppression mark. */
export function formatCount(value: number | null, locale = "de"): string {
  return value === null ? SUPPRESSED_MARK : new Intl.NumberFormat(locale).format(value);
}
