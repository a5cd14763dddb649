import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { userCounts } from "../admin/users.server.ts";
import { municipalityCounts } from "../admin/municipalities.server.ts";
import { indicatorCounts } from "../admin/indicators.server.ts";
import { auditCounts } from "../admin/audit-query.server.ts";
import { backupStatus } from "../admin/backup-status.server.ts";
import { formatDateTime, formatNumber } from "../admin/dates.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "manage", "users");
  const [users, municipalities, indicators, audit, backup] = await Promise.all([
    userCounts(),
    hasPermission(grant.user, "manage", "municipalities") ? municipalityCounts() : null,
    hasPermission(grant.user, "manage", "indicators") ? indicatorCounts() : null,
    hasPermission(grant.user, "read", "audit") ? auditCounts() : null,
    hasPermission(grant.user, "read", "audit") ? backupStatus() : null,
  ]);
  return json({ users, municipalities, indicators, audit, backup });
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
      {data.backup ? (
        <section className="card" aria-labelledby="backup-status">
          <h2 id="backup-status">{t("overview.backup.title")}</h2>
          {data.backup.database === "postgres" ? (
            <p>{t("overview.backup.postgres")}</p>
          ) : data.backup.lastBackup ? (
            <p>
              {t(data.backup.lastBackup.complete ? "overview.backup.last" : "overview.backup.lastIncomplete", { at: formatDateTime(data.backup.lastBackup.at, i18n.language) })}{" "}
              <Link to="/admin/audit?action=backup.">{t("overview.backup.inAudit")}</Link>
            </p>
          ) : (
            <p className="form-error">{t("overview.backup.none")}</p>
          )}
          <p>
            {data.backup.journal.entries > 0
              ? t("overview.backup.journal", { count: data.backup.journal.entries, file: data.backup.journal.file, at: formatDateTime(data.backup.journal.lastAt!, i18n.language) })
              : t(data.backup.journal.exists ? "overview.backup.journalEmpty" : "overview.backup.journalMissing", { file: data.backup.journal.file })}
          </p>
          {data.backup.journal.besideDatabase ? <p className="form-error">{t("overview.backup.journalBeside")}</p> : null}
          <p className="muted">{t("overview.backup.howTo")}</p>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
