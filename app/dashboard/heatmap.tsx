// Inline SVG heatmap of known shares (indicators x municipalities). Readable without colour: every cell
// prints its share (and the stale share in brackets), suppressed cells show "." on a hatched ground, empty
// ones "–". It is an image (role="img"); the same figures, with the links, are in the table below it.
import { useTranslation } from "react-i18next";
import { formatShare } from "../indicators/format.ts";

export type HeatCell = { knownShare: number | null; staleShare: number | null; total: number | null };

const PALETTE = ["#f3f7fc", "#dbe8f5", "#bcd4ec", "#9cc0e2", "#7ba9d6"]; // all keep 4.5:1 with the text colour
const LABEL_W = 320;
const CELL_W = 78;
const CELL_H = 40;
const HEADER_H = 120;

export function binOf(share: number): number {
  return Math.min(PALETTE.length - 1, Math.floor(share * PALETTE.length));
}

/** `threshold`: the smallest published count; a hidden cell is below it or hidden to protect one that is. */
export function Heatmap({ rows, columns, cells, threshold }: { rows: { key: string; label: string }[]; columns: { key: string; label: string }[]; cells: HeatCell[][]; threshold: number }) {
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  const width = LABEL_W + columns.length * CELL_W + 110; // room for the last rotated column label
  const height = HEADER_H + rows.length * CELL_H + 8;
  return (
    <figure className="heatmap">
      <svg role="img" aria-label={t("gaps.heatmapLabel")} viewBox={`0 0 ${width} ${height}`} width={width} height={height} xmlns="http://www.w3.org/2000/svg">
        <defs>
          <pattern id="hm-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#ffffff" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#9aa3ad" strokeWidth="1.5" />
          </pattern>
        </defs>
        {columns.map((col, c) => (
          <text key={col.key} className="hm-col" transform={`translate(${LABEL_W + c * CELL_W + CELL_W / 2}, ${HEADER_H - 6}) rotate(-40)`}>
            {col.label}
          </text>
        ))}
        {rows.map((row, r) => (
          <g key={row.key}>
            <text className="hm-row" x={4} y={HEADER_H + r * CELL_H + CELL_H / 2 + 4}>
              {row.label}
            </text>
            {columns.map((col, c) => {
              const cell = cells[r]![c]!;
              const x = LABEL_W + c * CELL_W;
              const y = HEADER_H + r * CELL_H;
              const known = formatShare(cell.knownShare, lang);
              const stale = formatShare(cell.staleShare, lang);
              const none = cell.total === 0;
              const title = none
                ? t("gaps.cellTitleNone", { municipality: col.label, indicator: row.label })
                : known === null
                  ? t("gaps.cellTitleSuppressed", { municipality: col.label, indicator: row.label, threshold })
                  : stale === null
                    ? t("gaps.cellTitleStaleSuppressed", { municipality: col.label, indicator: row.label, known, total: cell.total ?? "." })
                    : t("gaps.cellTitle", { municipality: col.label, indicator: row.label, known, stale, total: cell.total ?? "." });
              const fill = none ? "#ffffff" : cell.knownShare === null ? "url(#hm-hatch)" : PALETTE[binOf(cell.knownShare)]!;
              return (
                <g key={col.key}>
                  <title>{title}</title>
                  <rect x={x + 1} y={y + 1} width={CELL_W - 2} height={CELL_H - 2} fill={fill} stroke="#c9d0d8" strokeDasharray={none ? "3 2" : undefined} />
                  <text className={known === null ? "hm-mark" : "hm-share"} x={x + CELL_W / 2} y={y + (known !== null && stale !== null && !none ? 17 : 26)} textAnchor="middle">
                    {none ? "–" : (known ?? ".")}
                  </text>
                  {!none && known !== null && stale !== null ? (
                    <text className="hm-stale" x={x + CELL_W / 2} y={y + 32} textAnchor="middle">
                      ({stale})
                    </text>
                  ) : null}
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption>
        <p className="muted">{t("gaps.heatmapHint")}</p>
        <ul className="hm-legend" aria-label={t("gaps.legend")}>
          {PALETTE.map((colour, i) => {
            const from = (i * 100) / PALETTE.length;
            const to = ((i + 1) * 100) / PALETTE.length;
            return (
              <li key={colour}>
                <span className="hm-swatch" style={{ background: colour }} aria-hidden="true" />
                {i === PALETTE.length - 1 ? t("gaps.legendBinLast", { from }) : t("gaps.legendBin", { from, to })}
              </li>
            );
          })}
          <li>
            <span className="hm-swatch hm-swatch-none" aria-hidden="true" />
            {t("gaps.legendNone")}
          </li>
          <li>
            <span className="hm-swatch hm-swatch-hatch" aria-hidden="true" />
            {t("gaps.legendSuppressed")}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
