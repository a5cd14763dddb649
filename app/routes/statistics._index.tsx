import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageTitle } from "../i18n/title.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { publishedTables, requireStatisticsAccess } from "../statistics/commissioner.server.ts";
import { DEFAULT_THRESHOLD } from "../statistics/suppression.ts";
import { MAX_DEVIATION } from "../statistics/cell-key.ts";
import type { PublishedTable } from "../statistics/tables.ts";
import { BarChart } from "../statistics/bar-chart.tsx";
import { useFormatDate } from "../cases/format.ts";
import styles from "../styles/retrieval.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStatisticsAccess(request);
  const { figures: tables, asOf, nextFrom } = await publishedTables();
  return json({ title: pageTitle(request, "statistics:title"), tables, threshold: DEFAULT_THRESHOLD, maxDeviation: MAX_DEVIATION, asOf, nextFrom });
}

export default function Statistics() {
  const { tables, threshold, maxDeviation, asOf, nextFrom } = useLoaderData<typeof loader>();
  const { t } = useTranslation("statistics");
  const formatDate = useFormatDate();
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro", { threshold })}</p>
      <p className="muted">{t("rules")}</p>
      <p className="muted release-note">{t("common:release.note", { asOf: formatDate(asOf), next: formatDate(nextFrom) })}</p>
      <p className="muted perturbation-note">{t("common:release.perturbed", { max: maxDeviation })}</p>
      <div className="actions-row">
        <a href="/statistics.csv">
          {t("csvAll")}
        </a>
      </div>
      <nav aria-label={t("contents")}>
        <ul>
          {tables.map((table) => (
            <li key={table.key}>
              <a href={`#table-${table.key}`}>{t(`tables.${table.key}.title`)}</a>
            </li>
          ))}
        </ul>
      </nav>
      {tables.map((table) => (
        <StatisticsTable key={table.key} table={table} />
      ))}
    </>
  );
}

function StatisticsTable({ table }: { table: PublishedTable }) {
  const { t, i18n } = useTranslation("statistics");
  const lang = i18n.language;
  const number = new Intl.NumberFormat(lang);
  const category = (variable: string, key: string) => t(`categories.${variable}.${key}`);
  const titleId = `table-${table.key}`;
  const cell = (v: number | null) =>
    v === null ? (
      <>
        <span aria-hidden="true">.</span>
        <span className="visually-hidden">{t("suppressed")}</span>
      </>
    ) : (
      number.format(v)
    );
  const perColumn = table.shape === "perColumn";
  return (
    <section aria-labelledby={titleId} className="statistics-table">
      <h2 id={titleId}>{t(`tables.${table.key}.title`)}</h2>
      <p className="muted">{t(`tables.${table.key}.note`)}</p>
      <BarChart
        label={t("chartLabel", { title: t(`tables.${table.key}.title`) })}
        groups={table.rowKeys.map((k) => ({ key: k, label: category(table.rows, k) }))}
        series={table.columnKeys.map((k) => ({ key: k, label: category(table.columns, k) }))}
        values={table.cells}
        locale={lang}
        suppressedLabel={t("suppressed")}
      />
      {/* Its own name: the section is already a region named by the title (axe landmark-unique). */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t("tableLabel", { title: t(`tables.${table.key}.title`) })}>
        <table>
          <caption className="visually-hidden">{t(`tables.${table.key}.title`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`variables.${table.rows}`)}</th>
              {table.columnKeys.map((k) => (
                <th scope="col" className="num" key={k}>
                  {category(table.columns, k)}
                </th>
              ))}
              <th scope="col" className="num">
                {perColumn ? t("base") : t("total")}
              </th>
            </tr>
          </thead>
          <tbody>
            {table.rowKeys.map((rk, r) => (
              <tr key={rk}>
                <th scope="row">{category(table.rows, rk)}</th>
                {table.cells[r]!.map((v, c) => (
                  <td className="num" key={table.columnKeys[c]}>
                    {cell(v)}
                  </td>
                ))}
                <td className="num">{cell(table.rowTotals[r]!)}</td>
              </tr>
            ))}
            <tr className="sum-row">
              <th scope="row">{t("district")}</th>
              {table.columnTotals.map((v, c) => (
                <td className="num" key={table.columnKeys[c]}>
                  {cell(v)}
                </td>
              ))}
              <td className="num">{cell(table.grandTotal)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className="actions-row">
        <a href={`/statistics.csv?table=${encodeURIComponent(table.key)}`}>
          {t("csv", { title: t(`tables.${table.key}.title`) })}
        </a>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
