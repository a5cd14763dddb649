// CSV as German Excel opens it by double-click: ";" between fields, CRLF line ends, UTF-8 with BOM.

const BOM = "\uFEFF";

function field(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  // A leading = + - @ would make Excel evaluate the field as a formula (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+([.,]\d+)?$/.test(text) ? `'${text}` : text;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return BOM + rows.map((row) => row.map(field).join(";")).join("\r\n") + "\r\n";
}

/** A decimal number as German Excel reads it ("12,5"); null stays empty. */
export function csvDecimal(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return "";
  return value.toFixed(digits).replace(".", ",");
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
