import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { ROLES, isRole } from "../permissions/roles.ts";
import { listUsers } from "../admin/users.server.ts";
import { formatDateTime } from "../admin/dates.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage", "users");
  const params = new URL(request.url).searchParams;
  const roleParam = params.get("role") ?? "";
  const role = isRole(roleParam) ? roleParam : undefined;
  const status = params.get("status") === "active" || params.get("status") === "inactive" ? params.get("status")! : "";
  const users = await listUsers({ role, active: status === "" ? undefined : status === "active" });
  return json({ users, filter: { role: role ?? "", status } });
}

export default function UserList() {
  const { users, filter } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  return (
    <>
      <h1>{t("users.title")}</h1>
      <div className="actions-row">
        <Link to="/admin/users/new" className="button">
          {t("users.new")}
        </Link>
      </div>
      <Form method="get" className="filters" aria-label={t("users.filterLabel")}>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="filter-role">{t("users.role")}</label>
            <select id="filter-role" name="role" defaultValue={filter.role}>
              <option value="">{t("users.allRoles")}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tc(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-status">{t("users.status")}</label>
            <select id="filter-status" name="status" defaultValue={filter.status}>
              <option value="">{t("users.allStatuses")}</option>
              <option value="active">{t("users.active")}</option>
              <option value="inactive">{t("users.inactive")}</option>
            </select>
          </div>
          <button type="submit">{tc("actions.filter")}</button>
          <Link to="/admin/users">{tc("actions.reset")}</Link>
        </div>
      </Form>
      <p className="muted" role="status">
        {tc("paging.total", { count: users.length })}
      </p>
      <div className="table-wrap">
        <table>
          <caption>{t("users.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("users.username")}</th>
              <th scope="col">{t("users.displayName")}</th>
              <th scope="col">{t("users.roles")}</th>
              <th scope="col">{t("users.municipalities")}</th>
              <th scope="col">{t("users.status")}</th>
              <th scope="col">{t("users.lastLogin")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <Link to={`/admin/users/${u.id}`}>{u.username}</Link>
                </th>
                <td>{u.displayName}</td>
                <td>{u.roles.map((r) => tc(`roles.${r}`)).join(", ")}</td>
                <td>{u.municipalities.length ? u.municipalities.join(", ") : tc("none")}</td>
                <td>
                  <span className={`badge ${u.active ? "active" : "inactive"}`}>{u.active ? t("users.active") : t("users.inactive")}</span>
                </td>
                <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt, i18n.language) : t("users.never")}</td>
              </tr>
            ))}
            {users.length === 0 ? (
              <tr>
                <td colSpan={6}>{t("users.none")}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
