import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { worklist } from "../dashboard/worklist.server.ts";
import { pageTitle } from "../i18n/title.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { formatDay, indicatorLabel } from "../indicators/format.ts";
import styles from "../styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "worklist");
  const url = new URL(request.url);
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  const list = await worklist(grant, { page: Number.isFinite(page) ? page : 1, municipalityId: url.searchParams.get("municipality") });
  return json({ title: pageTitle(request, "dashboard:worklist.title"), ...list });
}

const STATES = ["missing", "unknown", "stale"] as const;

export default function Worklist() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  const pageHref = (page: number) => {
    const q = new URLSearchParams();
    if (data.municipalityId) q.set("municipality", data.municipalityId);
    q.set("page", String(page));
    return `/worklist?${q.toString()}`;
  };
  return (
    <>
      <h1>{t("worklist.title")}</h1>
      <p className="muted">{t("worklist.intro")}</p>
      {data.municipalities.length > 1 ? (
        <Form method="get" className="filters">
          <div className="inline-fields">
            <div className="field">
              <label htmlFor="worklist-municipality">{t("worklist.municipality")}</label>
              <select id="worklist-municipality" name="municipality" defaultValue={data.municipalityId ?? ""}>
                <option value="">{t("worklist.allMunicipalities")}</option>
                {data.municipalities.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">{t("worklist.apply")}</button>
          </div>
        </Form>
      ) : null}
      <p role="status">{t("worklist.summary", { total: data.total, complete: data.complete })}</p>
      {data.cases.length === 0 ? (
        <p>{t("worklist.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="worklist-table">
            <caption>{t("worklist.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("worklist.pseudonym")}</th>
                <th scope="col">{t("worklist.municipality")}</th>
                <th scope="col">{t("worklist.lastUpdate")}</th>
                <th scope="col" className="num">
                  {t("worklist.open")}
                </th>
                <th scope="col">{t("worklist.openIndicators")}</th>
              </tr>
            </thead>
            <tbody>
              {data.cases.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/cases/${c.id}/snapshots`} aria-label={t("worklist.toSnapshotsLabel", { pseudonym: c.pseudonym })}>
                      {c.pseudonym}
                    </Link>
                  </th>
                  <td>{c.municipality}</td>
                  <td>{c.lastObservedAt ? formatDay(c.lastObservedAt, lang) : t("worklist.never")}</td>
                  <td className="num">{c.gaps.length}</td>
                  <td>
                    <ul className="gap-list">
                      {STATES.map((state) => {
                        const list = c.gaps.filter((g) => g.state === state);
                        if (!list.length) return null;
                        return (
                          <li key={state}>
                            <span className="state">{t("worklist.byState", { state: t(`indicators:gap.${state}`) })}</span>
                            {/* a stale value: the form starts from it, to confirm or change */}
                            {list.map((g, i) => (
                              <span key={g.code}>
                                {i > 0 ? ", " : null}
                                <Link to={`/cases/${c.id}/snapshots?indicator=${encodeURIComponent(g.code)}${g.state === "stale" ? "&from=last" : ""}#record`}>{indicatorLabel(g, lang)}</Link>
                              </span>
                            ))}
                          </li>
                        );
                      })}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.pageCount > 1 ? (
        <nav className="pager" aria-label={t("worklist.paging")}>
          {data.page > 1 ? <Link to={pageHref(data.page - 1)}>{t("common:paging.previous")}</Link> : null}
          <span aria-current="page">{t("common:paging.page", { page: data.page, pages: data.pageCount })}</span>
          {data.page < data.pageCount ? <Link to={pageHref(data.page + 1)}>{t("common:paging.next")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
