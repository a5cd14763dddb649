import type { LoaderFunctionArgs } from "@remix-run/node";
import { serverT } from "../i18n/title.server.ts";
import { publishedTables, requireStatisticsAccess } from "../statistics/commissioner.server.ts";
import { csvFormat, csvResponse, toCsv } from "../statistics/csv.ts";
import { SUPPRESSED_MARK } from "../statistics/suppression.ts";
import { MAX_DEVIATION } from "../statistics/cell-key.ts";
import { notFound, refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** One table (?table=key) or all of them, exactly as the page shows them: suppressed cells are ".", then the note on perturbation. */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  await requireStatisticsAccess(request);
  const key = new URL(request.url).searchParams.get("table");
  const { figures: all, asOf } = await publishedTables();
  const tables = key ? all.filter((t) => t.key === key) : all;
  if (!tables.length) throw notFound();
  const { t, language } = serverT(request);
  const v = (n: number | null) => (n === null ? SUPPRESSED_MARK : n);
  const rows: (string | number)[][] = [];
  for (const table of tables) {
    const category = (variable: string, k: string) => t(`statistics:categories.${variable}.${k}`);
    if (rows.length) rows.push([]);
    rows.push([t(`statistics:tables.${table.key}.title`)]);
    rows.push([t(`statistics:variables.${table.rows}`), ...table.columnKeys.map((k) => category(table.columns, k)), table.shape === "perColumn" ? t("statistics:base") : t("statistics:total")]);
    table.rowKeys.forEach((rk, r) => rows.push([category(table.rows, rk), ...table.cells[r]!.map(v), v(table.rowTotals[r]!)]));
    rows.push([t("statistics:district"), ...table.columnTotals.map(v), v(table.grandTotal)]);
  }
  // A spreadsheet separated from the page must say so too: the figures are perturbed (ADR 0021).
  rows.push([], [t("common:release.perturbed", { max: MAX_DEVIATION })]);
  // Named by the day the month's figures were fixed ("Stand"), not the download day.
  const day = asOf.toISOString().slice(0, 10);
  return csvResponse(toCsv(rows, csvFormat(language)), `${t("statistics:csvName")}${key ? `-${key}` : ""}-${day}.csv`);
});

// No ErrorBoundary and no default export: either would turn this resource route into a page.
