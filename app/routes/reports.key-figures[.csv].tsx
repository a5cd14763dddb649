import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { keyFigures } from "../reports/key-figures.server.ts";
import { parseQuarter, quarterLabel } from "../reports/quarter.ts";
import { serverT } from "../i18n/title.server.ts";
import { csvDecimal, csvFormat, csvResponse, toCsv } from "../statistics/csv.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** Key figures per municipality for one quarter, as CSV for Excel in the reader's format (UTF-8 with BOM). */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "export", "key-figures");
  const url = new URL(request.url);
  const parsed = parseQuarter(url.searchParams.get("year"), url.searchParams.get("quarter"));
  if (!parsed.ok) {
    // The report page explains what is wrong with the period.
    throw redirect(`/reports?${url.searchParams.toString()}`);
  }
  const { period } = parsed;
  const { rows, total } = await keyFigures(grant, period);
  const { t, language } = serverT(request);
  const format = csvFormat(language);
  const label = quarterLabel(period);
  const csv = toCsv([
    [
      t("dashboard:reports.periodLabel"),
      t("dashboard:reports.ags"),
      t("dashboard:reports.municipality"),
      t("dashboard:reports.personsAdvised"),
      t("dashboard:reports.contacts"),
      t("dashboard:reports.plans"),
      t("dashboard:reports.activeCases"),
      t("dashboard:reports.managers"),
      t("dashboard:reports.casesPerManager"),
    ],
    ...rows.map((r) => [label, r.ags, r.name, r.personsAdvised, r.contacts, r.plans, r.activeCases, r.managers, csvDecimal(r.casesPerManager, format)]),
    // The page's total row too (a manager of several municipalities counts once in it).
    [label, "", t("dashboard:reports.total"), total.personsAdvised, total.contacts, total.plans, total.activeCases, total.managers, csvDecimal(total.casesPerManager, format)],
  ], format);
  return csvResponse(csv, `${t("dashboard:reports.csvName")}-${label}.csv`);
});

// No ErrorBoundary and no default export: either would turn this resource route into a page, and the
// CSV would be wrapped in the app's HTML.
