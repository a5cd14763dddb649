import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import adminStyles from "../styles/admin.css";
import { pageTitle } from "../i18n/title.server.ts";
import { currentTab, inNamespace, joinTitle, metaT } from "../i18n/meta.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminStyles }];

const SECTIONS = [
  { to: "/admin/users", label: "nav.users", permission: ["manage", "users"] },
  { to: "/admin/municipalities", label: "nav.municipalities", permission: ["manage", "municipalities"] },
  { to: "/admin/indicators", label: "nav.indicators", permission: ["manage", "indicators"] },
  { to: "/admin/audit", label: "nav.audit", permission: ["read", "audit"] },
  { to: "/admin/transcription", label: "nav.transcription", permission: ["manage", "transcription-queue"] },
] as const;

// The section first ("Benutzer – Verwaltung – Lebenswege"), so each admin page has its own title.
export const meta: MetaFunction<typeof loader> = ({ data, location, matches }) => {
  const section = currentTab(SECTIONS.map((s) => ({ to: s.to, label: s.label, show: true })), location.pathname);
  return [{ title: section && data ? `${metaT(matches)(inNamespace(section.label, "admin"))} – ${data.title}` : (data?.title ?? joinTitle()) }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "manage", "users");
  return json({ title: pageTitle(request, "common:nav.admin"), sections: SECTIONS.filter((s) => hasPermission(grant.user, s.permission[0], s.permission[1])).map((s) => s.to) });
}

export default function AdminLayout() {
  const { sections } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <>
      <nav className="admin-nav" aria-label={t("nav.label")}>
        <ul>
          <li>
            <NavLink to="/admin" end>
              {t("nav.overview")}
            </NavLink>
          </li>
          {SECTIONS.filter((s) => sections.includes(s.to)).map((s) => (
            <li key={s.to}>
              <NavLink to={s.to}>{t(s.label)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
