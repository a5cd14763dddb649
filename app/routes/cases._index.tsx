import { FilterForm, FilterSelect } from "../components/forms.tsx";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { filterMunicipalities, gapIndicators, listCases, parseCaseListQuery } from "../cases/case-list.server.ts";
import { GAP_FILTERS, type SortKey } from "../cases/case-list.ts";
import { CASE_GROUPS, CASE_STATUSES } from "../cases/case-fields.ts";
import { useFormatDate } from "../cases/format.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { pageTitle } from "../i18n/title.server.ts";
import { indicatorLabel } from "../indicators/format.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const [municipalities, indicators] = await Promise.all([filterMunicipalities(grant), gapIndicators()]);
  const query = await parseCaseListQuery(new URL(request.url).searchParams, { municipalityIds: municipalities.map((m) => m.id), indicators });
  const result = await listCases(grant, query, { gapCountIndicators: indicators });
  // A hard indicator named by a drill-down is offered in the select too, so the form shows what is filtered.
  const indicatorOptions = query.indicator && !indicators.some((i) => i.id === query.indicator!.id) ? [...indicators, query.indicator] : indicators;
  return json({
    title: pageTitle(request, "cases:list.title"),
    query: {
      page: result.page,
      sort: query.sort,
      dir: query.dir,
      municipality: query.municipalityId ?? "",
      q: query.pseudonym ?? "",
      status: query.status ?? "",
      group: query.group ?? "",
      indicator: query.indicator?.code ?? "",
      gap: query.gap ?? "",
    },
    municipalities,
    indicators: indicatorOptions.map((i) => ({ code: i.code, labelDe: i.labelDe, labelEn: i.labelEn })),
    gapIndicatorCount: indicators.length,
    rows: result.rows,
    total: result.total,
    pages: result.pages,
    canWrite: hasPermission(grant.user, "write", "case"),
  });
}

const COLUMNS: { key: SortKey | null; label: string; num?: boolean }[] = [
  { key: "pseudonym", label: "fields.pseudonym" },
  { key: "municipality", label: "fields.municipality" },
  { key: null, label: "fields.group" },
  { key: "start", label: "fields.imStart" },
  { key: "status", label: "fields.status" },
  { key: null, label: "fields.openGaps", num: true },
];

export default function CaseList() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("cases");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const location = useLocation();
  const { query } = data;
  const label = (i: { labelDe: string; labelEn: string }) => indicatorLabel(i, i18n.language);

  const hrefWith = (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) params.delete(k);
      else params.set(k, v);
    }
    const s = params.toString();
    return s ? `?${s}` : location.pathname;
  };
  const sortHref = (key: SortKey) => hrefWith({ sort: key, dir: query.sort === key && query.dir === "asc" ? "desc" : "asc", page: null });
  const activeIndicator = data.indicators.find((i) => i.code === query.indicator);

  return (
    <>
      <h1>{t("list.title")}</h1>
      {data.canWrite ? (
        <p className="actions-row">
          <Link to="/cases/new" className="button">
            {t("list.new")}
          </Link>
        </p>
      ) : null}

      <FilterForm title={t("list.filters")} titleId="filters-title" keep={{ sort: query.sort, dir: query.dir }}>
        <div className="field">
          <label htmlFor="f-q">{t("list.pseudonymSearch")}</label>
          <input id="f-q" name="q" type="search" defaultValue={query.q} key={`q-${query.q}`} maxLength={30} autoComplete="off" spellCheck={false} placeholder="LOE-2016-0003" />
        </div>
        <FilterSelect id="f-municipality" name="municipality" label={t("fields.municipality")} value={query.municipality} emptyLabel={t("list.allMunicipalities")} options={data.municipalities.map((m) => ({ value: m.id, label: m.name }))} />
        <FilterSelect id="f-status" name="status" label={t("fields.status")} value={query.status} emptyLabel={t("list.all")} options={CASE_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} />
        <FilterSelect id="f-group" name="group" label={t("fields.group")} value={query.group} emptyLabel={t("list.all")} options={CASE_GROUPS.map((g) => ({ value: g, label: t(`groups.${g}`) }))} />
        <div className="field">
          <label htmlFor="f-indicator">{t("list.indicator")}</label>
          <select id="f-indicator" name="indicator" defaultValue={query.indicator} key={`i-${query.indicator}`}>
            <option value="">{t("list.noGapFilter")}</option>
            {data.indicators.map((i) => (
              <option key={i.code} value={i.code}>
                {label(i)} ({i.code})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-gap">{t("list.gapKind")}</label>
          <select id="f-gap" name="gap" defaultValue={query.gap || "open"} key={`k-${query.gap}`} aria-describedby="f-gap-hint">
            {GAP_FILTERS.map((g) => (
              <option key={g} value={g}>
                {t(`gaps.${g}`)}
              </option>
            ))}
          </select>
          <div id="f-gap-hint" className="muted">
            {t("list.gapKindHint")}
          </div>
        </div>
      </FilterForm>

      <p role="status">
        {t("list.count", { count: data.total })}
        {activeIndicator ? ` ${t("list.gapFilterActive", { indicator: label(activeIndicator), gap: t(`gaps.${query.gap}`) })}` : null}
      </p>

      {data.rows.length === 0 ? (
        <p>{t("list.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t("list.caption", { page: query.page, pages: data.pages })}</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const sorted = c.key !== null && query.sort === c.key;
                  return (
                    <th key={c.label} scope="col" className={c.num ? "num" : undefined} aria-sort={sorted ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
                      {c.key ? (
                        <Link to={sortHref(c.key)} aria-label={`${t(c.label)}, ${t("list.sortBy")}`}>
                          {t(c.label)}
                          {sorted ? <span aria-hidden="true">{query.dir === "asc" ? " ▲" : " ▼"}</span> : null}
                        </Link>
                      ) : (
                        t(c.label)
                      )}
                      {c.num ? (
                        <span className="visually-hidden"> {t("list.openGapsHint", { count: data.gapIndicatorCount })}</span>
                      ) : null}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/cases/${r.id}`}>{r.pseudonym}</Link>
                  </th>
                  <td>{r.municipality}</td>
                  <td>{t(`groups.${r.group}`)}</td>
                  <td>{formatDate(r.imStart)}</td>
                  <td>
                    <span className={`badge ${r.status}`}>{t(`statuses.${r.status}`)}</span>
                  </td>
                  <td className="num">{r.openGaps}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{t("list.openGapsHint", { count: data.gapIndicatorCount })}</p>

      {data.pages > 1 ? (
        <nav className="pager" aria-label={t("list.paging")}>
          {query.page > 1 ? (
            <Link to={hrefWith({ page: String(query.page - 1) })} rel="prev">
              {tc("paging.previous")}
            </Link>
          ) : (
            <span className="muted" aria-hidden="true">{tc("paging.previous")}</span>
          )}
          <span aria-current="page">{tc("paging.page", { page: query.page, pages: data.pages })}</span>
          {query.page < data.pages ? (
            <Link to={hrefWith({ page: String(query.page + 1) })} rel="next">
              {tc("paging.next")}
            </Link>
          ) : (
            <span className="muted" aria-hidden="true">{tc("paging.next")}</span>
          )}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
