import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { dashboardModel, requireDashboardAccess, type GapRow } from "../dashboard/gaps.server.ts";
import { DIMENSIONS, MUNICIPALITY_TABLE_LIMIT, parseFilters } from "../dashboard/filters.ts";
import { Heatmap } from "../dashboard/heatmap.tsx";
import { pageTitle } from "../i18n/title.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { CASE_GROUPS } from "../cases/case-fields.ts";
import { formatShare, indicatorLabel } from "../indicators/format.ts";
import { useFormatDate } from "../cases/format.ts";
import { DEFAULT_THRESHOLD } from "../statistics/suppression.ts";
import { MAX_DEVIATION } from "../statistics/cell-key.ts";
import { caseScope, hasPermission } from "../permissions/permissions.server.ts";
import { countByMunicipality, findContradictions } from "../links/contradictions.server.ts";
import styles from "../styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const access = await requireDashboardAccess(request);
  const parsed = parseFilters(new URL(request.url));
  // The statistics roles see whole-district tables only (see dashboardModel).
  const filters = access.mode === "suppressed" ? { ...parsed, group: null } : parsed;
  const model = await dashboardModel(access, filters);
  // Story <-> number contradictions per municipality, for those who decide on them (never in the suppressed view).
  const contradictions =
    access.mode === "cases" && hasPermission(access.grant.user, "confirm", "passage-link")
      ? countByMunicipality(await findContradictions({ AND: [caseScope(access.grant), { status: "active" }, filters.group ? { group: filters.group } : {}] }))
      : null;
  return json({
    title: pageTitle(request, "dashboard:gaps.title"),
    mode: model.mode,
    // links to case lists only for those who may read cases, never in the suppressed view
    canLink: access.mode === "cases" && access.canReadCases,
    threshold: DEFAULT_THRESHOLD,
    maxDeviation: MAX_DEVIATION,
    filters,
    municipalities: model.municipalities.map((m) => ({ id: m.id, name: m.name })),
    indicators: model.indicators,
    release: model.release ?? null,
    contradictions: contradictions && model.municipalities.map((m) => ({ municipalityId: m.id, name: m.name, ...(contradictions.get(m.id) ?? { contradictions: 0, cases: 0 }) })),
  });
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  const formatDate = useFormatDate();
  const query = new URLSearchParams();
  if (data.filters.group) query.set("group", data.filters.group);
  if (data.filters.dimension) query.set("dimension", data.filters.dimension);
  const csvHref = `/dashboard.csv${query.size ? `?${query.toString()}` : ""}`;
  const hasData = data.municipalities.length > 0 && data.indicators.length > 0;
  // The whole district's table by municipality is some 800 rows (every indicator x 35 municipalities): too long to
  // read or scroll, and the heatmap above already gives that overview. Without a chosen dimension such a table shows
  // one row per indicator, each leading to its dimension's table by municipality.
  const byMunicipality = data.filters.dimension !== null || data.municipalities.length <= MUNICIPALITY_TABLE_LIMIT;
  return (
    <>
      <h1>{t("gaps.title")}</h1>
      <p className="muted">{data.mode === "suppressed" ? t("gaps.introSuppressed", { threshold: data.threshold }) : t("gaps.introCases")}</p>
      {data.release ? <p className="muted release-note">{t("common:release.note", { asOf: formatDate(data.release.asOf), next: formatDate(data.release.nextFrom) })}</p> : null}
      {data.release ? <p className="muted perturbation-note">{t("common:release.perturbed", { max: data.maxDeviation })}</p> : null}
      <Form method="get" className="filters" aria-label={t("gaps.filters")}>
        <div className="inline-fields">
          {data.mode === "cases" ? (
            <div className="field">
              <label htmlFor="filter-group">{t("gaps.group")}</label>
              <select id="filter-group" name="group" key={data.filters.group ?? ""} defaultValue={data.filters.group ?? ""}>
                <option value="">{t("groups.all")}</option>
                {CASE_GROUPS.map((g) => (
                  <option key={g} value={g}>
                    {t(`groups.${g}`)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="filter-dimension">{t("gaps.dimension")}</label>
            {/* keyed: a link to another dimension (the table's "by municipality") re-renders this page, and an uncontrolled
                select would keep showing the old choice */}
            <select id="filter-dimension" name="dimension" key={data.filters.dimension ?? ""} defaultValue={data.filters.dimension ?? ""}>
              <option value="">{t("gaps.allDimensions")}</option>
              {DIMENSIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`indicators:dimension.${d}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t("gaps.apply")}</button>
          <Link to="/dashboard">{t("gaps.reset")}</Link>
        </div>
      </Form>
      <div className="actions-row">
        <a href={csvHref}>
          {t("gaps.csv")}
        </a>
      </div>
      {!hasData ? (
        <p>{t("gaps.empty")}</p>
      ) : (
        <>
          <h2>{t("gaps.heatmapTitle")}</h2>
          <Heatmap
            rows={data.indicators.map((i) => ({ key: i.code, label: indicatorLabel(i, lang) }))}
            columns={data.municipalities.map((m) => ({ key: m.id, label: m.name }))}
            cells={data.indicators.map((i) => i.rows.map((r) => ({ knownShare: r.knownShare, staleShare: r.staleShare, total: r.total })))}
            threshold={data.threshold}
          />
          <h2 id="gap-table-title">{t("gaps.tableTitle")}</h2>
          {byMunicipality ? <GapTable /> : <SummaryTable />}
        </>
      )}
      {data.contradictions ? <Contradictions /> : null}
    </>
  );
}

function Contradictions() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const number = new Intl.NumberFormat(i18n.language);
  const rows = data.contradictions ?? [];
  const total = rows.reduce((sum, r) => sum + r.contradictions, 0);
  return (
    <section aria-labelledby="contradictions-title">
      <h2 id="contradictions-title">{t("contradictions.title")}</h2>
      <p className="muted">{t("contradictions.intro")}</p>
      <div className="table-wrap">
        <table className="gap-table contradictions-table">
          <caption>{t("contradictions.summaryCaption", { count: total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("gaps.municipality")}</th>
              <th scope="col" className="num">
                {t("contradictions.count")}
              </th>
              <th scope="col" className="num">
                {t("contradictions.cases")}
              </th>
              <th scope="col">{t("gaps.cases")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.municipalityId}>
                <th scope="row">{r.name}</th>
                <td className="num">{number.format(r.contradictions)}</td>
                <td className="num">{number.format(r.cases)}</td>
                <td className="links">
                  {r.contradictions ? (
                    <Link to={`/dashboard/contradictions?municipality=${r.municipalityId}`} aria-label={t("contradictions.showLabel", { municipality: r.name })}>
                      {t("contradictions.show")}
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A row's figures in the order of the table's columns: four counts, then two shares. */
const COUNTS = ["total", "current", "stale", "unknownOrMissing"] as const;
const SHARES = ["knownShare", "staleShare"] as const;

/** The six figures of a row, with withheld and not computable values said in words to screen readers. */
function useGapCells() {
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  const number = new Intl.NumberFormat(lang);
  const count = (v: number | null) =>
    v === null ? (
      <>
        <span aria-hidden="true">.</span>
        <span className="visually-hidden">{t("gaps.suppressedMark")}</span>
      </>
    ) : (
      number.format(v)
    );
  const share = (v: number | null, row: GapRow) => {
    const text = formatShare(v, lang);
    if (text !== null) return text;
    const none = row.total === 0;
    return (
      <>
        <span aria-hidden="true">{none ? "–" : "."}</span>
        <span className="visually-hidden">{none ? t("gaps.none") : t("gaps.notComputable")}</span>
      </>
    );
  };
  const cells = (row: GapRow) => (
    <>
      {COUNTS.map((k) => (
        <td key={k} className="num">
          {count(row[k])}
        </td>
      ))}
      {SHARES.map((k) => (
        <td key={k} className="num">
          {share(row[k], row)}
        </td>
      ))}
    </>
  );
  return cells;
}

function GapHead({ first, last }: { first: string; last: string | null }) {
  const { t } = useTranslation("dashboard");
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {[...COUNTS, ...SHARES].map((k) => (
          <th key={k} scope="col" className="num">
            {t(`gaps.${k}`)}
          </th>
        ))}
        {last ? <th scope="col">{last}</th> : null}
      </tr>
    </thead>
  );
}

/** One row per indicator with the district's (or the selection's) figures, each leading to its dimension's table. */
function SummaryTable() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  const cells = useGapCells();
  const href = (dimension: string | null, code: string) => {
    const q = new URLSearchParams({ dimension: dimension ?? "none" });
    if (data.filters.group) q.set("group", data.filters.group);
    return `/dashboard?${q.toString()}#ind-${code}`;
  };
  return (
    <>
      <p className="muted">{t("gaps.summaryIntro", { count: data.municipalities.length })}</p>
      <div className="table-wrap">
        <table className="gap-table summary-table">
          <caption>{data.mode === "suppressed" ? t("gaps.summaryCaptionDistrict") : t("gaps.summaryCaption")}</caption>
          <GapHead first={t("gaps.indicator")} last={t("gaps.byMunicipality")} />
          <tbody>
            {data.indicators.map((ind) => {
              const label = indicatorLabel(ind, lang);
              return (
                <tr key={ind.code}>
                  <th scope="row">
                    {label} <span className="muted">({ind.code})</span>
                  </th>
                  {cells(ind.sum)}
                  <td className="links">
                    <Link to={href(ind.dimension, ind.code)} aria-label={t("gaps.byMunicipalityLabel", { indicator: label })}>
                      {t("gaps.byMunicipality")}
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function GapTable() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  const columns = data.canLink ? 8 : 7;
  const cells = useGapCells();
  const extra = (params: Record<string, string>) => {
    const q = new URLSearchParams(params);
    if (data.filters.group) q.set("group", data.filters.group);
    return q.toString();
  };
  return (
    <div className="table-wrap">
      <table className="gap-table">
        <caption>{t("gaps.tableCaption")}</caption>
        <GapHead first={t("gaps.municipality")} last={data.canLink ? t("gaps.cases") : null} />
        {data.indicators.map((ind) => {
          const label = indicatorLabel(ind, lang);
          return (
            <tbody key={ind.code}>
              <tr>
                <th scope="rowgroup" colSpan={columns} id={`ind-${ind.code}`}>
                  {label} <span className="muted">({ind.code})</span>
                </th>
              </tr>
              {ind.rows.map((row, i) => {
                const m = data.municipalities[i]!;
                return (
                  <tr key={m.id}>
                    <th scope="row">{m.name}</th>
                    {cells(row)}
                    {data.canLink ? (
                      <td className="links">
                        {row.total ? (
                          <>
                            <Link to={`/dashboard/cell?${extra({ indicator: ind.code, municipality: m.id })}`} aria-label={t("gaps.showCasesLabel", { municipality: m.name, indicator: label })}>
                              {t("gaps.showCases")}
                            </Link>
                            <Link
                              to={`/cases?${extra({ indicator: ind.code, gap: "open", municipality: m.id, status: "active" })}`}
                              aria-label={t("gaps.openGapsLabel", { municipality: m.name, indicator: label })}
                            >
                              {t("gaps.openGaps")}
                            </Link>
                          </>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
              <tr className="sum-row">
                <th scope="row">{data.mode === "suppressed" ? t("gaps.sumDistrict") : t("gaps.sum")}</th>
                {cells(ind.sum)}
                {data.canLink ? <td /> : null}
              </tr>
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
