// Drill-down of the dashboard's contradictions: passages whose value disagrees with the register at the
// passage's date, per case, for integration managers (own municipalities) and admins.
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { db, type Prisma } from "../db/client.server.ts";
import { caseScope, municipalityWhere, requirePermission } from "../permissions/permissions.server.ts";
import { findContradictions } from "../links/contradictions.server.ts";
import { observationText } from "../links/format.ts";
import { pageTitle } from "../i18n/title.server.ts";
import { notFound } from "../utils/responses.server.ts";
import { formatDay, indicatorLabel } from "../indicators/format.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "confirm", "passage-link");
  const wanted = new URL(request.url).searchParams.get("municipality");
  let municipality: { id: string; name: string } | null = null;
  if (wanted) {
    municipality = await db.municipality.findFirst({ where: { AND: [{ id: wanted }, municipalityWhere(grant)] }, select: { id: true, name: true } });
    if (!municipality) throw notFound();
  }
  // Active cases, like the dashboard's counts.
  const where: Prisma.CaseWhereInput = { AND: [caseScope(grant), { status: "active" }, municipality ? { municipalityId: municipality.id } : {}] };
  const list = await findContradictions(where);
  return json({
    title: pageTitle(request, "dashboard:contradictions.title"),
    municipality,
    rows: list
      .map((c) => ({ ...c, story: { ...c.story, date: c.story.date.toISOString() }, register: { ...c.register, observedAt: c.register.observedAt.toISOString() } }))
      .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym) || a.indicator.code.localeCompare(b.indicator.code)),
  });
}

export default function DashboardContradictions() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("dashboard");
  const lang = i18n.language;
  return (
    <>
      <h1>{data.municipality ? t("contradictions.titleIn", { municipality: data.municipality.name }) : t("contradictions.title")}</h1>
      <p className="muted">{t("contradictions.intro")}</p>
      <div className="actions-row">
        <Link to="/dashboard">{t("cell.back")}</Link>
      </div>
      {data.rows.length === 0 ? (
        <p>{t("contradictions.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="gap-table">
            <caption>{t("contradictions.caption", { count: data.rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("cell.pseudonym")}</th>
                <th scope="col">{t("gaps.indicator")}</th>
                <th scope="col">{t("contradictions.story")}</th>
                <th scope="col">{t("contradictions.register")}</th>
                <th scope="col">{t("contradictions.status")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.linkId}>
                  <th scope="row">
                    <Link to={`/cases/${r.caseId}/timeline#passage-${r.linkId}`}>{r.pseudonym}</Link>
                  </th>
                  <td>{indicatorLabel(r.indicator, lang)}</td>
                  <td>
                    <strong>{observationText(t, r.indicator, r.story.state, r.story.value, lang)}</strong> ({formatDay(r.story.date, lang)})
                    <br />
                    <q className="muted">{r.quote}</q>
                  </td>
                  <td>
                    <strong>{observationText(t, r.indicator, r.register.state, r.register.value, lang)}</strong> ({formatDay(r.register.observedAt, lang)})
                  </td>
                  <td>{t(`timeline:status.${r.status}`)}</td>
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
