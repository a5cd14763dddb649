import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { cellCases } from "../dashboard/cell.server.ts";
import { parseFilters } from "../dashboard/filters.ts";
import { serverT } from "../i18n/title.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { badgeClass, formatDay, indicatorLabel } from "../indicators/format.ts";
import styles from "../styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const url = new URL(request.url);
  const { group } = parseFilters(url);
  const cell = await cellCases(grant, { indicator: url.searchParams.get("indicator") ?? "", municipalityId: url.searchParams.get("municipality") ?? "", group });
  const { t, language } = serverT(request);
  return json({
    title: `${t("dashboard:cell.title", { indicator: indicatorLabel(cell.indicator, language), municipality: cell.municipality.name })} – Lebenswege`,
    canWrite: hasPermission(grant.user, "write", "case"),
    group,
    municipality: cell.municipality,
    indicator: { code: cell.indicator.code, labelDe: cell.indicator.labelDe, labelEn: cell.indicator.labelEn },
    cases: cell.cases,
  });
}

export default function DashboardCell() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  const indicator = indicatorLabel(data.indicator, lang);
  const municipality = data.municipality.name;
  const back = data.group ? `/dashboard?group=${data.group}` : "/dashboard";
  return (
    <>
      <h1>{t("cell.title", { indicator, municipality })}</h1>
      <p className="muted">
        {t("cell.intro")} {data.group ? `${t("gaps.group")}: ${t(`groups.${data.group}`)}.` : null}
      </p>
      <div className="actions-row">
        <Link to={back}>{t("cell.back")}</Link>
      </div>
      <p>{t("cell.count", { count: data.cases.length })}</p>
      {data.cases.length === 0 ? (
        <p>{t("cell.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="gap-table">
            <caption>{t("cell.caption", { indicator, municipality })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("cell.pseudonym")}</th>
                <th scope="col">{t("cell.state")}</th>
                <th scope="col">{t("cell.observedAt")}</th>
                <th scope="col">{t("indicators:snapshots.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.cases.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/cases/${c.id}`}>{c.pseudonym}</Link>
                  </th>
                  <td>
                    <span className={badgeClass(c.state)}>{t(`indicators:gap.${c.state}`)}</span>
                  </td>
                  <td>{formatDay(c.observedAt, lang)}</td>
                  <td className="links">
                    <Link to={`/cases/${c.id}/snapshots/${encodeURIComponent(data.indicator.code)}`} aria-label={t("indicators:snapshots.historyOf", { label: `${indicator}, ${c.pseudonym}` })}>
                      {t("indicators:snapshots.history")}
                    </Link>
                    {data.canWrite ? (
                      <Link to={`/cases/${c.id}/snapshots?indicator=${encodeURIComponent(data.indicator.code)}#record`} aria-label={t("cell.recordLabel", { pseudonym: c.pseudonym })}>
                        {t("cell.record")}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
