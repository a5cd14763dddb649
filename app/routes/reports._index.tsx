import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { keyFigures, type KeyFigures } from "../reports/key-figures.server.ts";
import { FIRST_REPORT_YEAR, parseQuarter, quarterLabel, quarterOf } from "../reports/quarter.ts";
import { pageTitle } from "../i18n/title.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "export", "key-figures");
  const url = new URL(request.url);
  const now = new Date();
  const current = quarterOf(now);
  const years = Array.from({ length: current.year - FIRST_REPORT_YEAR + 1 }, (_, i) => current.year - i);
  const parsed = parseQuarter(url.searchParams.get("year"), url.searchParams.get("quarter"), now);
  const base = { title: pageTitle(request, "dashboard:reports.title"), years, minYear: FIRST_REPORT_YEAR, maxYear: current.year };
  if (!parsed.ok) {
    // A wrong period is a message on the page, not an error page.
    return json({ ...base, error: parsed.error, selected: { year: url.searchParams.get("year") ?? "", quarter: url.searchParams.get("quarter") ?? "" }, period: null, figures: null }, { status: 400 });
  }
  const { period } = parsed;
  const figures = await keyFigures(grant, period);
  return json({ ...base, error: null, selected: { year: String(period.year), quarter: String(period.quarter) }, period: { year: period.year, quarter: period.quarter, label: quarterLabel(period) }, figures });
}

export default function Reports() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const number = new Intl.NumberFormat(i18n.language);
  const decimal = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const cells = (f: KeyFigures) => (
    <>
      <td className="num">{number.format(f.personsAdvised)}</td>
      <td className="num">{number.format(f.contacts)}</td>
      <td className="num">{number.format(f.plans)}</td>
      <td className="num">{number.format(f.activeCases)}</td>
      <td className="num">{number.format(f.managers)}</td>
      <td className="num">{f.casesPerManager === null ? t("reports.none") : decimal.format(f.casesPerManager)}</td>
    </>
  );
  return (
    <>
      <h1>{t("reports.title")}</h1>
      <p className="muted">{t("reports.intro")}</p>
      <Form method="get" className="filters" aria-label={t("reports.period")}>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="report-year">{t("reports.year")}</label>
            <select id="report-year" name="year" defaultValue={data.selected.year} aria-invalid={data.error ? true : undefined} aria-describedby={data.error ? "report-error" : undefined}>
              {data.years.map((y) => (
                <option key={y} value={String(y)}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="report-quarter">{t("reports.quarter")}</label>
            <select id="report-quarter" name="quarter" defaultValue={data.selected.quarter} aria-invalid={data.error ? true : undefined} aria-describedby={data.error ? "report-error" : undefined}>
              {[1, 2, 3, 4].map((q) => (
                <option key={q} value={String(q)}>
                  {t("reports.quarterOption", { quarter: q })}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t("reports.show")}</button>
        </div>
      </Form>
      {data.error ? (
        <div className="form-error" role="alert" id="report-error">
          {data.error === "future" ? t("reports.future") : t("reports.invalid", { min: data.minYear, max: data.maxYear })}
        </div>
      ) : null}
      {data.period && data.figures ? (
        <>
          <div className="actions-row">
            <a href={`/reports/key-figures.csv?year=${data.period.year}&quarter=${data.period.quarter}`}>
              {t("reports.csv")} ({`${t("reports.csvName")}-${data.period.label}.csv`})
            </a>
          </div>
          <div className="table-wrap">
            <table className="report-table">
              <caption>{t("reports.caption", { period: data.period.label })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("reports.municipality")}</th>
                  <th scope="col">{t("reports.ags")}</th>
                  <th scope="col" className="num">{t("reports.personsAdvised")}</th>
                  <th scope="col" className="num">{t("reports.contacts")}</th>
                  <th scope="col" className="num">{t("reports.plans")}</th>
                  <th scope="col" className="num">{t("reports.activeCases")}</th>
                  <th scope="col" className="num">{t("reports.managers")}</th>
                  <th scope="col" className="num">{t("reports.casesPerManager")}</th>
                </tr>
              </thead>
              <tbody>
                {data.figures.rows.map((r) => (
                  <tr key={r.municipalityId}>
                    <th scope="row">{r.name}</th>
                    <td>{r.ags}</td>
                    {cells(r)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="sum-row">
                  <th scope="row">{t("reports.total")}</th>
                  <td />
                  {cells(data.figures.total)}
                </tr>
              </tfoot>
            </table>
          </div>
          <section className="definitions" aria-labelledby="definitions-title">
            <h2 id="definitions-title">{t("reports.definitions")}</h2>
            <ul>
              <li>{t("reports.defPersonsAdvised")}</li>
              <li>{t("reports.defContacts")}</li>
              <li>{t("reports.defPlans")}</li>
              <li>{t("reports.defActive")}</li>
              <li>{t("reports.defManagers")}</li>
            </ul>
          </section>
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
