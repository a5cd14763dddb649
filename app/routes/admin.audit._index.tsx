import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { audit } from "../audit/audit.server.ts";
import { db } from "../db/client.server.ts";
import { auditFilterQuery, auditPage, caseCondition, latestAuditId, parseAuditFilter } from "../admin/audit-query.server.ts";
import { formatDateTime, formatNumber } from "../admin/dates.ts";
import { FormErrors } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { AUDIT_ACTIONS, AUDIT_ENTITIES, auditActionKey, auditEntityKey } from "../audit/actions.ts";
import { readableRows } from "../audit/detail.server.ts";
import { auditSystemActor } from "../audit/detail.ts";
import { AuditDetailView, AuditValue } from "../audit/detail-view.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "audit");
  const params = new URL(request.url).searchParams;
  const { filter, errors } = parseAuditFilter(params);
  if (filter.case && !(await caseCondition(filter.case))) errors.push(`admin:audit.unknownCase|${JSON.stringify({ pseudonym: filter.case })}`);
  const requestedPage = Number(params.get("page") ?? "1");
  // Rows up to the newest entry before this view, so the view's own entry does not shift the pages.
  const upTo = await latestAuditId();
  const page = await auditPage(filter, requestedPage, upTo);
  await audit(request, grant.user, { action: "audit.view", entity: "audit", detail: { filter, page: page.page } });
  const usernames = await db.user.findMany({ select: { username: true }, orderBy: { username: "asc" } });
  // The page shows details and objects readably; the stored JSON and ids go out only in the CSV export.
  const readable = await readableRows(page.rows, grant.user);
  return json({
    ...page,
    rows: page.rows.map((r, i) => ({ ...r, detail: readable[i]?.detail ?? null, entityRef: readable[i]?.entity ?? null, system: r.username === null ? auditSystemActor(r.action, r.detail) : null })),
    filter,
    errors,
    query: auditFilterQuery(filter).toString(),
    usernames: usernames.map((u) => u.username),
  });
}

export default function AuditLog() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const pageLink = (page: number) => {
    const params = new URLSearchParams(data.query);
    if (page > 1) params.set("page", String(page));
    const qs = params.toString();
    return qs ? `?${qs}` : "?";
  };
  const f = data.filter;
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <p className="muted">{t("audit.intro")}</p>
      <Form method="get" className="filters" aria-label={t("audit.filterLabel")}>
        <FormErrors errors={data.errors} />
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="audit-user">{t("audit.user")}</label>
            <input id="audit-user" name="user" type="text" list="audit-usernames" defaultValue={f.user ?? ""} autoComplete="off" spellCheck={false} />
            <datalist id="audit-usernames">
              {data.usernames.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="audit-action">{t("audit.action")}</label>
            <div id="audit-action-hint" className="muted">
              {t("audit.actionHint")}
            </div>
            <input id="audit-action" name="action" type="text" list="audit-actions" defaultValue={f.action ?? ""} aria-describedby="audit-action-hint" autoComplete="off" spellCheck={false} />
            <datalist id="audit-actions">
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a} label={t(auditActionKey(a)!)} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="audit-entity">{t("audit.entity")}</label>
            <select id="audit-entity" name="entity" defaultValue={f.entity ?? ""}>
              <option value="">{t("audit.allEntities")}</option>
              {AUDIT_ENTITIES.map((e) => (
                <option key={e} value={e}>
                  {t(auditEntityKey(e)!)}
                </option>
              ))}
              {f.entity && !auditEntityKey(f.entity) ? <option value={f.entity}>{f.entity}</option> : null}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-entity-id">{t("audit.entityId")}</label>
            <input id="audit-entity-id" name="entityId" type="text" defaultValue={f.entityId ?? ""} spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor="audit-case">{t("audit.case")}</label>
            <div id="audit-case-hint" className="muted">
              {t("audit.caseHint")}
            </div>
            <input id="audit-case" name="case" type="text" defaultValue={f.case ?? ""} aria-describedby="audit-case-hint" autoComplete="off" spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">{t("audit.from")}</label>
            <input id="audit-from" name="from" type="date" defaultValue={f.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t("audit.to")}</label>
            <input id="audit-to" name="to" type="date" defaultValue={f.to ?? ""} />
          </div>
          <button type="submit">{tc("actions.filter")}</button>
          <Link to="/admin/audit">{tc("actions.reset")}</Link>
        </div>
      </Form>
      <div className="actions-row">
        <p className="muted" role="status">
          {tc("paging.total", { count: data.total })}
        </p>
        <a className="button secondary" href={`/admin/audit.csv${data.query ? `?${data.query}` : ""}`}>
          {t("audit.exportCsv")}
        </a>
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t("audit.tableRegion")}>
        <table>
          <caption>{t("audit.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("audit.columns.atLocal")}</th>
              <th scope="col">{t("audit.columns.username")}</th>
              <th scope="col">{t("audit.columns.action")}</th>
              <th scope="col">{t("audit.columns.entity")}</th>
              <th scope="col">{t("audit.columns.entityId")}</th>
              <th scope="col">{t("audit.columns.detail")}</th>
              <th scope="col">{t("audit.columns.ip")}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => {
              const actionKey = auditActionKey(r.action);
              const entityKey = auditEntityKey(r.entity);
              return (
                <tr key={r.id}>
                  <th scope="row">
                    <time dateTime={r.at}>{formatDateTime(r.at, i18n.language)}</time>
                  </th>
                  <td>{r.username ?? <span className="muted">{t(r.system ?? "audit.anonymous")}</span>}</td>
                  <td>
                    {actionKey ? (
                      <>
                        {t(actionKey)}
                        <br />
                        <code className="muted">{r.action}</code>
                      </>
                    ) : (
                      <code>{r.action}</code>
                    )}
                  </td>
                  <td>{entityKey ? t(entityKey) : r.entity}</td>
                  <td>{r.entityRef ? <AuditValue value={r.entityRef} /> : tc("none")}</td>
                  <td className="detail">{r.detail ? <AuditDetailView detail={r.detail} /> : tc("none")}</td>
                  <td>{r.ip ?? tc("none")}</td>
                </tr>
              );
            })}
            {data.rows.length === 0 ? (
              <tr>
                <td colSpan={7}>{t("audit.none")}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {data.pages > 1 ? (
        <nav className="pager" aria-label={t("audit.paging")}>
          {data.page > 1 ? <Link to={pageLink(data.page - 1)}>{tc("paging.previous")}</Link> : null}
          <span>{tc("paging.page", { page: formatNumber(data.page, i18n.language), pages: formatNumber(data.pages, i18n.language) })}</span>
          {data.page < data.pages ? <Link to={pageLink(data.page + 1)}>{tc("paging.next")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
