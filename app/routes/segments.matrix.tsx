import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { audit } from "../audit/audit.server.ts";
import { pageTitle } from "../i18n/title.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { codeMatrix, type CodeMatrix } from "../retrieval/matrix.server.ts";
import { MATRIX_ROWS, parseMatrixOptions } from "../retrieval/matrix-options.ts";
import { CountHeatmap } from "../retrieval/count-heatmap.tsx";
import { valueLabel } from "../indicators/format.ts";
import styles from "../styles/retrieval.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

/** Rows beyond this are shown in the table only; a heatmap of hundreds of cases helps nobody. */
const HEATMAP_MAX_ROWS = 60;

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "coding");
  const options = parseMatrixOptions(new URL(request.url));
  const matrix = await codeMatrix(grant, options);
  await audit(request, grant.user, { action: "coding.matrix", entity: "coding", detail: { rows: options.rows, level: options.level, dimension: options.dimension } });
  return json({ title: pageTitle(request, "retrieval:matrix.title"), matrix });
}

type Matrix = CodeMatrix;

function useLabels(matrix: Matrix) {
  const { t, i18n } = useTranslation("retrieval");
  const lang = i18n.language;
  const rowLabel = (row: Matrix["rows"][number]) => {
    if (!row.translate) return row.label;
    if (row.key === "unknown") return t("matrix.unknown");
    switch (matrix.options.rows) {
      case "group":
        return t(`groups.${row.key}`);
      case "ageBand":
        return t(`ageBands.${row.key}`);
      default:
        return valueLabel(t, matrix.options.rows, row.key);
    }
  };
  const columnLabel = (col: Matrix["columns"][number]) => col.label;
  const columnTitle = (col: Matrix["columns"][number]) => {
    if (matrix.options.level === "dimension") {
      const d = matrix.dimensions.find((x) => x.key === col.key);
      return d ? (lang === "en" && d.labelEn ? d.labelEn : d.label) : col.label;
    }
    return col.label;
  };
  return { rowLabel, columnLabel, columnTitle, lang, t };
}

export default function CodeMatrixPage() {
  const { matrix } = useLoaderData<typeof loader>();
  const { t, rowLabel, columnLabel, columnTitle, lang } = useLabels(matrix);
  const number = new Intl.NumberFormat(lang);
  const rows = matrix.rows.map((r) => ({ key: r.key, label: rowLabel(r) }));
  const columns = matrix.columns.map((c) => ({ key: c.key, label: columnLabel(c) }));
  return (
    <>
      <h1>{t("matrix.title")}</h1>
      <p className="muted">{t("matrix.intro")}</p>
      <div className="actions-row">
        <Link to="/segments">{t("matrix.back")}</Link>
      </div>
      <Form method="get" className="filters" aria-label={t("matrix.options")}>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="m-rows">{t("matrix.rows")}</label>
            <select id="m-rows" name="rows" defaultValue={matrix.options.rows}>
              {MATRIX_ROWS.map((r) => (
                <option key={r} value={r}>
                  {t(`matrix.rowOptions.${r.replace(".", "_")}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="m-level">{t("matrix.level")}</label>
            <select id="m-level" name="level" defaultValue={matrix.options.level}>
              <option value="dimension">{t("matrix.levels.dimension")}</option>
              <option value="code">{t("matrix.levels.code")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="m-dimension">{t("matrix.dimension")}</label>
            <select id="m-dimension" name="dimension" defaultValue={matrix.options.dimension ?? ""}>
              <option value="">{t("matrix.allDimensions")}</option>
              {matrix.dimensions.map((d) => (
                <option key={d.key} value={d.key}>
                  {d.key} {lang === "en" && d.labelEn ? d.labelEn : d.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t("matrix.apply")}</button>
        </div>
      </Form>

      <h2 id="freq-title">{t("matrix.frequencies")}</h2>
      {rows.length === 0 ? (
        <p>{t("matrix.empty")}</p>
      ) : (
        <>
          {rows.length <= HEATMAP_MAX_ROWS ? (
            <CountHeatmap
              label={t("matrix.heatmapLabel")}
              rows={rows}
              columns={columns}
              counts={matrix.counts}
              locale={lang}
              cellTitle={(row, column, value) => t("matrix.cellTitle", { row, column, value })}
            />
          ) : (
            <p className="muted">{t("matrix.tooManyRows", { count: rows.length })}</p>
          )}
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="freq-title">
            <table className="matrix-table" aria-labelledby="freq-title">
              <thead>
                <tr>
                  <th scope="col">{t(`matrix.rowOptions.${matrix.options.rows.replace(".", "_")}`)}</th>
                  {matrix.columns.map((c) => (
                    <th scope="col" className="num" key={c.key} title={columnTitle(c)}>
                      {columnLabel(c)}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    {t("matrix.total")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {matrix.rows.map((r, i) => (
                  <tr key={r.key}>
                    <th scope="row">{rowLabel(r)}</th>
                    {matrix.counts[i]!.map((v, c) => (
                      <td className="num" key={matrix.columns[c]!.key}>
                        {number.format(v)}
                      </td>
                    ))}
                    <td className="num">{number.format(matrix.rowTotals[i]!)}</td>
                  </tr>
                ))}
                <tr className="sum-row">
                  <th scope="row">{t("matrix.total")}</th>
                  {matrix.columnTotals.map((v, c) => (
                    <td className="num" key={matrix.columns[c]!.key}>
                      {number.format(v)}
                    </td>
                  ))}
                  <td className="num">{number.format(matrix.columnTotals.reduce((a, b) => a + b, 0))}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}

      <h2 id="cooc-title">{t("matrix.cooccurrence")}</h2>
      <p className="muted">{t("matrix.cooccurrenceIntro")}</p>
      {columns.length ? (
        <>
          <CountHeatmap
            label={t("matrix.cooccurrenceLabel")}
            rows={columns}
            columns={columns}
            counts={matrix.cooccurrence}
            locale={lang}
            cellTitle={(row, column, value) => t("matrix.pairTitle", { row, column, value })}
          />
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cooc-title">
            <table className="matrix-table" aria-labelledby="cooc-title">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t("matrix.code")}</span>
                  </th>
                  {matrix.columns.map((c) => (
                    <th scope="col" className="num" key={c.key} title={columnTitle(c)}>
                      {columnLabel(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {matrix.columns.map((c, i) => (
                  <tr key={c.key}>
                    <th scope="row" title={columnTitle(c)}>
                      {columnLabel(c)}
                    </th>
                    {matrix.cooccurrence[i]!.map((v, j) => (
                      <td className="num" key={matrix.columns[j]!.key}>
                        {number.format(v)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
