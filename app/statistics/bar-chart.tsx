// A simple horizontal grouped bar chart of a published table: one group per row category, one bar per column.
// Readable without colour: each bar carries its number, suppressed cells show "." and no bar, and the legend
// repeats the column order. The chart is an image with a label; the table under it has the same figures.
const COLOURS = ["#0b5cad", "#c25e00", "#1d6b32", "#7a3e9d", "#4f5862", "#a3161a", "#00707a", "#7a4b00"];
const LABEL_W = 340;
const BAR_H = 14;
const GAP = 10;
const PLOT_W = 420;

export type BarSeries = { key: string; label: string };

export function BarChart({
  label,
  groups,
  series,
  values,
  locale,
  suppressedLabel,
}: {
  label: string;
  groups: { key: string; label: string }[];
  series: BarSeries[];
  /** groups x series; null = suppressed */
  values: (number | null)[][];
  locale: string;
  suppressedLabel: string;
}) {
  const number = new Intl.NumberFormat(locale);
  const max = Math.max(1, ...values.flat().map((v) => v ?? 0));
  const groupH = series.length * BAR_H + GAP;
  const height = groups.length * groupH + 10;
  const width = LABEL_W + PLOT_W + 60;
  return (
    // A figure keeps its own role: with a figcaption, ARIA allows no other (axe aria-allowed-role).
    <figure className="bar-chart" tabIndex={0} aria-label={label}>
      <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} xmlns="http://www.w3.org/2000/svg">
        {groups.map((g, gi) => {
          const top = gi * groupH + 4;
          return (
            <g key={g.key}>
              <text className="bc-group" x={4} y={top + (series.length * BAR_H) / 2 + 4}>
                {g.label}
              </text>
              {series.map((s, si) => {
                const v = values[gi]?.[si] ?? null;
                const y = top + si * BAR_H;
                const w = v === null ? 0 : Math.max(v > 0 ? 1 : 0, (v / max) * PLOT_W);
                return (
                  <g key={s.key}>
                    <title>{`${g.label}, ${s.label}: ${v === null ? suppressedLabel : number.format(v)}`}</title>
                    <rect x={LABEL_W} y={y + 1} width={w} height={BAR_H - 2} fill={COLOURS[si % COLOURS.length]} />
                    <text className="bc-value" x={LABEL_W + w + 4} y={y + BAR_H - 3}>
                      {v === null ? "." : number.format(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line x1={LABEL_W} y1={0} x2={LABEL_W} y2={height} stroke="#4f5862" />
      </svg>
      <figcaption>
        <ul className="bc-legend">
          {series.map((s, si) => (
            <li key={s.key}>
              <span className="bc-swatch" style={{ background: COLOURS[si % COLOURS.length] }} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
