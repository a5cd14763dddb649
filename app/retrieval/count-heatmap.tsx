// Inline SVG heatmap of counts (rows x columns), readable without colour: every cell prints its number, the
// shade only repeats it. It is an image with a label; the same numbers are in the table next to it.
const PALETTE = ["#ffffff", "#e3eef8", "#c5dbef", "#9cc0e2", "#7ba9d6"]; // each keeps 4.5:1 with the text colour
const LABEL_W = 200;
const CELL_W = 58;
const CELL_H = 30;
const HEADER_H = 110;

export function shadeOf(value: number, max: number): string {
  if (value <= 0 || max <= 0) return PALETTE[0]!;
  return PALETTE[Math.min(PALETTE.length - 1, 1 + Math.floor(((value - 1) / max) * (PALETTE.length - 1)))]!;
}

export function CountHeatmap({
  label,
  rows,
  columns,
  counts,
  cellTitle,
  locale,
}: {
  label: string;
  rows: { key: string; label: string }[];
  columns: { key: string; label: string }[];
  counts: number[][];
  cellTitle: (row: string, column: string, value: string) => string;
  locale: string;
}) {
  const max = Math.max(0, ...counts.flat());
  const number = new Intl.NumberFormat(locale);
  const width = LABEL_W + columns.length * CELL_W + 90;
  const height = HEADER_H + rows.length * CELL_H + 8;
  return (
    // Focusable, so a keyboard can scroll a wide heatmap (WCAG 2.1.1).
    <figure className="count-heatmap" tabIndex={0} role="group" aria-label={label}>
      <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} xmlns="http://www.w3.org/2000/svg">
        {columns.map((col, c) => (
          <text key={col.key} className="chm-col" transform={`translate(${LABEL_W + c * CELL_W + CELL_W / 2}, ${HEADER_H - 6}) rotate(-45)`}>
            {col.label}
          </text>
        ))}
        {rows.map((row, r) => (
          <g key={row.key}>
            <text className="chm-row" x={4} y={HEADER_H + r * CELL_H + CELL_H / 2 + 4}>
              {row.label}
            </text>
            {columns.map((col, c) => {
              const value = counts[r]?.[c] ?? 0;
              const x = LABEL_W + c * CELL_W;
              const y = HEADER_H + r * CELL_H;
              return (
                <g key={col.key}>
                  <title>{cellTitle(row.label, col.label, number.format(value))}</title>
                  <rect x={x + 1} y={y + 1} width={CELL_W - 2} height={CELL_H - 2} fill={shadeOf(value, max)} stroke="#c9d0d8" />
                  <text className="chm-value" x={x + CELL_W / 2} y={y + CELL_H / 2 + 5} textAnchor="middle">
                    {value ? number.format(value) : "–"}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </figure>
  );
}
