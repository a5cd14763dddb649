import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { userCounts } from "../admin/users.server.ts";
import { municipalityCounts } from "../admin/municipalities.server.ts";
import { indicatorCounts } from "../admin/indicators.server.ts";
import { auditCounts } from "../admin/audit-query.server.ts";
import { formatNumber } from "../admin/dates.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "manage", "users");
  const [users, municipalities, indicators, audit] = await Promise.all([
    userCounts(),
    hasPermission(grant.user, "manage", "municipalities") ? municipalityCounts() : null,
    hasPermission(grant.user, "manage", "indicators") ? indicatorCounts() : null,
    hasPermission(grant.user, "read", "audit") ? auditCounts() : null,
  ]);
  return json({ users, municipalities, indicators, audit });
}

export default function AdminOverview() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("admin");
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <>
      <h1>{t("overview.title")}</h1>
      <div className="counts">
        <section className="card" aria-labelledby="count-users">
          <h2 id="count-users">{t("nav.users")}</h2>
          <p className="big">{n(data.users.active)}</p>
          <p>{t("overview.activeOf", { active: n(data.users.active), total: n(data.users.total) })}</p>
          <p className="actions-row">
            <Link to="/admin/users">{t("overview.manageUsers")}</Link>
            <Link to="/admin/users/new">{t("users.new")}</Link>
          </p>
        </section>
        {data.municipalities ? (
          <section className="card" aria-labelledby="count-municipalities">
            <h2 id="count-municipalities">{t("nav.municipalities")}</h2>
            <p className="big">{n(data.municipalities.active)}</p>
            <p>{t("overview.activeOf", { active: n(data.municipalities.active), total: n(data.municipalities.total) })}</p>
            <p>
              <Link to="/admin/municipalities">{t("overview.manageMunicipalities")}</Link>
            </p>
          </section>
        ) : null}
        {data.indicators ? (
          <section className="card" aria-labelledby="count-indicators">
            <h2 id="count-indicators">{t("nav.indicators")}</h2>
            <p className="big">{n(data.indicators.active)}</p>
            <p>{t("overview.activeOf", { active: n(data.indicators.active), total: n(data.indicators.total) })}</p>
            <p>
              <Link to="/admin/indicators">{t("overview.manageIndicators")}</Link>
            </p>
          </section>
        ) : null}
        {data.audit ? (
          <section className="card" aria-labelledby="count-audit">
            <h2 id="count-audit">{t("nav.audit")}</h2>
            <p className="big">{n(data.audit.lastDay)}</p>
            <p>{t("overview.auditLastDay", { lastDay: n(data.audit.lastDay), total: n(data.audit.total) })}</p>
            <p>
              <Link to="/admin/audit">{t("overview.openAudit")}</Link>
            </p>
          </section>
        ) : null}
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
