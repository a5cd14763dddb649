import type { LoaderFunctionArgs } from "@remix-run/node";
import { dashboardModel, requireDashboardAccess, type GapRow } from "../dashboard/gaps.server.ts";
import { parseFilters } from "../dashboard/filters.ts";
import { serverT } from "../i18n/title.server.ts";
import { indicatorLabel } from "../indicators/format.ts";
import { csvDecimal, csvFormat, csvResponse, toCsv } from "../statistics/csv.ts";
import { SUPPRESSED_MARK } from "../statistics/suppression.ts";
import { MAX_DEVIATION } from "../statistics/cell-key.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** The dashboard table as CSV: the same figures, suppressed in the same way for the statistics roles. */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const access = await requireDashboardAccess(request);
  const filters = parseFilters(new URL(request.url));
  const model = await dashboardModel(access, filters);
  const { t, language } = serverT(request);
  const format = csvFormat(language);
  const count = (v: number | null) => (v === null ? SUPPRESSED_MARK : v);
  // a share: percent with one decimal; "." when not computable from published cells, empty without cases
  const share = (v: number | null, row: GapRow) => (v !== null ? csvDecimal(v * 100, format) : row.total === 0 ? "" : SUPPRESSED_MARK);
  const line = (code: string, label: string, ags: string, name: string, row: GapRow) => [
    code,
    label,
    ags,
    name,
    count(row.total),
    count(row.current),
    count(row.stale),
    count(row.unknownOrMissing),
    share(row.knownShare, row),
    share(row.staleShare, row),
  ];
  const rows: (string | number)[][] = [
    [
      "Code",
      t("dashboard:gaps.indicator"),
      t("dashboard:reports.ags"),
      t("dashboard:gaps.municipality"),
      t("dashboard:gaps.total"),
      t("dashboard:gaps.current"),
      t("dashboard:gaps.stale"),
      t("dashboard:gaps.unknownOrMissing"),
      `${t("dashboard:gaps.knownShare")} (%)`,
      `${t("dashboard:gaps.staleShare")} (%)`,
    ],
  ];
  const sumLabel = model.mode === "suppressed" ? t("dashboard:gaps.sumDistrict") : t("dashboard:gaps.sum");
  for (const ind of model.indicators) {
    const label = indicatorLabel(ind, language);
    ind.rows.forEach((row, i) => {
      const m = model.municipalities[i]!;
      rows.push(line(ind.code, label, m.ags, m.name, row));
    });
    rows.push(line(ind.code, label, "", sumLabel, ind.sum));
  }
  // The statistics roles' figures are perturbed (ADR 0021), and a spreadsheet separated from the page must say so.
  if (model.mode === "suppressed") rows.push([], [t("common:release.perturbed", { max: MAX_DEVIATION })]);
  // The suppressed figures are named by the day they were fixed ("Stand"), live ones by today.
  const day = (model.release?.asOf ?? new Date()).toISOString().slice(0, 10);
  return csvResponse(toCsv(rows, format), `${t("dashboard:gaps.csvName")}-${day}.csv`);
});

// No ErrorBoundary and no default export: either would turn this resource route into a page, and the
// CSV would be wrapped in the app's HTML.
