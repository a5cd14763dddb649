// CSV in the reader's spreadsheet format, opened by double-click: German readers get German Excel's (";" between
// fields, decimal comma), everyone else the international one ("," and a decimal point). CRLF line ends, UTF-8
// with BOM. Every CSV download writes through here (the audit log's streamed export too).

const BOM = "\uFEFF";

export type CsvFormat = { separator: ";" | ","; decimal: "," | "." };

const GERMAN: CsvFormat = { separator: ";", decimal: "," };
const INTERNATIONAL: CsvFormat = { separator: ",", decimal: "." };

/** The format for a reader's language (i18n language code). */
export function csvFormat(language: string): CsvFormat {
  return language === "de" ? GERMAN : INTERNATIONAL;
}

export type CsvCell = string | number | Date | null | undefined;

function field(value: CsvCell, format: CsvFormat): string {
  const text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  // A leading = + - @ would make Excel evaluate the field as a formula (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+([.,]\d+)?$/.test(text) ? `'${text}` : text;
  return safe.includes(format.separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line, with its CRLF. */
export function csvLine(cells: CsvCell[], format: CsvFormat): string {
  return `${cells.map((c) => field(c, format)).join(format.separator)}\r\n`;
}

export function toCsv(rows: CsvCell[][], format: CsvFormat): string {
  return BOM + rows.map((row) => csvLine(row, format)).join("");
}

/** A decimal number as the reader's spreadsheet reads it ("12,5" or "12.5"); null stays empty. */
export function csvDecimal(value: number | null, format: CsvFormat, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return "";
  return value.toFixed(digits).replace(".", format.decimal);
}

export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
