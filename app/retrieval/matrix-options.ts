// Options of the code matrix page, shared by the page (form) and the server (parsing the URL).
export const MATRIX_ROWS = ["case", "municipality", "group", "ageBand", "P.GESCHL", "S.AUFST", "S.DTNIV"] as const;
export type MatrixRows = (typeof MATRIX_ROWS)[number];
export const MATRIX_LEVELS = ["dimension", "code"] as const;
export type MatrixLevel = (typeof MATRIX_LEVELS)[number];

export type MatrixOptions = { rows: MatrixRows; level: MatrixLevel; dimension: string | null };

export function parseMatrixOptions(url: URL): MatrixOptions {
  const rows = url.searchParams.get("rows");
  const level = url.searchParams.get("level");
  return {
    rows: (MATRIX_ROWS as readonly string[]).includes(rows ?? "") ? (rows as MatrixRows) : "case",
    level: level === "code" ? "code" : "dimension",
    dimension: url.searchParams.get("dimension")?.slice(0, 20) || null,
  };
}
