import { FilterForm, FilterSelect } from "../components/forms.tsx";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { listInterviews, parseInterviewListQuery } from "../interviews/interviews.server.ts";
import { getWithdrawal } from "../withdrawal/withdraw.server.ts";
import { INTERVIEW_STATUSES } from "../interviews/interview-fields.ts";
import { dateInputValue, useFormatDate } from "../cases/format.ts";
import { WithdrawalSummary } from "../interviews/withdrawal-summary.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/interviews.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "interview");
  const params = new URL(request.url).searchParams;
  const query = parseInterviewListQuery(params);
  const result = await listInterviews(query);
  // After a whole withdrawal the interview is gone; its minimal record (what was erased, counts) is shown here.
  const withdrawalId = params.get("withdrawal");
  const withdrawal = withdrawalId ? await getWithdrawal(withdrawalId) : null;
  return json({
    title: pageTitle(request, "interviews:list.title"),
    query: {
      page: result.page,
      status: query.status ?? "",
      case: query.casePseudonym ?? "",
      from: dateInputValue(query.from),
      to: dateInputValue(query.to),
    },
    rows: result.rows,
    total: result.total,
    pages: result.pages,
    withdrawal: withdrawal ? { scope: withdrawal.scope, parts: withdrawal.parts, status: withdrawal.status, erased: withdrawal.erased } : null,
    canWrite: hasPermission(grant.user, "write", "interview"),
  });
}

export default function InterviewList() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const location = useLocation();
  const { query } = data;

  const pageHref = (page: number) => {
    const params = new URLSearchParams(location.search);
    params.delete("withdrawal");
    params.set("page", String(page));
    return `?${params.toString()}`;
  };

  return (
    <>
      <h1>{t("list.title")}</h1>
      {data.withdrawal ? <WithdrawalSummary withdrawal={data.withdrawal} /> : null}
      {data.canWrite ? (
        <p className="actions-row">
          <Link to="/interviews/new" className="button">
            {t("list.new")}
          </Link>
        </p>
      ) : null}

      <FilterForm title={t("list.filters")} titleId="filters-title">
        <FilterSelect id="f-status" name="status" label={t("fields.status")} value={query.status} emptyLabel={t("list.all")} options={INTERVIEW_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} />
        <div className="field">
          <label htmlFor="f-case">{t("fields.case")}</label>
          <input id="f-case" name="case" defaultValue={query.case} key={`c-${query.case}`} maxLength={30} autoComplete="off" aria-describedby="f-case-hint" />
          <div id="f-case-hint" className="muted">
            {t("list.caseHint")}
          </div>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("list.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={query.from} key={`f-${query.from}`} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("list.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={query.to} key={`t-${query.to}`} />
        </div>
      </FilterForm>

      <p role="status">{t("list.count", { count: data.total })}</p>

      {data.rows.length === 0 ? (
        <p>{t("list.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t("list.caption", { page: query.page, pages: data.pages })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fields.code")}</th>
                <th scope="col">{t("fields.case")}</th>
                <th scope="col">{t("fields.date")}</th>
                <th scope="col">{t("fields.placeType")}</th>
                <th scope="col">{t("fields.languages")}</th>
                <th scope="col">{t("fields.interviewer")}</th>
                <th scope="col">{t("fields.status")}</th>
                <th scope="col" className="num">
                  {t("fields.recordings")}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/interviews/${r.id}`}>{r.code}</Link>
                  </th>
                  <td>{r.casePseudonym}</td>
                  <td>{formatDate(r.date)}</td>
                  <td>{t(`placeTypes.${r.placeType}`)}</td>
                  <td>{r.languages.map((l) => t(`languages.${l}`)).join(", ")}</td>
                  <td>{r.interviewer ?? tc("none")}</td>
                  <td>
                    <span className={`badge interview-${r.status}`}>{t(`statuses.${r.status}`)}</span>
                  </td>
                  <td className="num">{r.recordings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {data.pages > 1 ? (
        <nav className="pager" aria-label={t("list.paging")}>
          {query.page > 1 ? (
            <Link to={pageHref(query.page - 1)} rel="prev">
              {tc("paging.previous")}
            </Link>
          ) : (
            <span className="muted" aria-hidden="true">
              {tc("paging.previous")}
            </span>
          )}
          <span aria-current="page">{tc("paging.page", { page: query.page, pages: data.pages })}</span>
          {query.page < data.pages ? (
            <Link to={pageHref(query.page + 1)} rel="next">
              {tc("paging.next")}
            </Link>
          ) : (
            <span className="muted" aria-hidden="true">
              {tc("paging.next")}
            </span>
          )}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
