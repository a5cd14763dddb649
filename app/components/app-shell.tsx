import { Form, NavLink, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "./csrf-input.tsx";
import { PageSkipLinks } from "./skip-links.tsx";
import { SessionKeepAlive } from "../auth/session-keep-alive.tsx";
import { LANGUAGES } from "../i18n/config.ts";
import { HeaderSearch } from "../search/header-search.tsx";
import searchStyles from "../styles/search.css";

const SEARCH = ["search:research:any", "search:counselling:any", "search:counselling:own", "search:narrative:released"];

type RootUser = { displayName: string; roles: string[]; permissions: string[] } | null;

const NAV: { to: string; label: string; permission: string[] }[] = [
  { to: "/cases", label: "nav.cases", permission: ["read:case:any", "read:case:own"] },
  { to: "/interviews", label: "nav.interviews", permission: ["read:interview:any"] },
  { to: "/worklist", label: "nav.worklist", permission: ["read:worklist:any", "read:worklist:own"] },
  { to: "/dashboard", label: "nav.dashboard", permission: ["read:dashboard:any", "read:dashboard:own", "read:statistics:suppressed"] },
  { to: "/codebook", label: "nav.codebook", permission: ["read:codebook:any"] },
  { to: "/segments", label: "nav.segments", permission: ["read:coding:any"] },
  { to: "/memos", label: "nav.memos", permission: ["read:memo:any"] },
  { to: "/narratives", label: "nav.narratives", permission: ["read:narrative:any", "read:narrative:released"] },
  { to: "/statistics", label: "nav.statistics", permission: ["read:statistics:suppressed"] },
  { to: "/exchange", label: "nav.exchange", permission: ["export:refi:any"] },
  { to: "/reports", label: "nav.reports", permission: ["export:key-figures:any", "export:key-figures:own"] },
  { to: "/admin", label: "nav.admin", permission: ["manage:users:any"] },
];

export function AppShell({ children }: { children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const data = useRouteLoaderData("root") as { user: RootUser; idleMinutes: number | null } | undefined;
  const user = data?.user ?? null;
  const location = useLocation();
  const can = (perms: string[]) => perms.some((p) => user?.permissions.includes(p));
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <PageSkipLinks />
      <header className="app-header">
        <a className="brand" href="/">
          {t("appName")}
        </a>
        {user ? (
          <nav aria-label={t("nav.main")} className="main-nav">
            <ul>
              {NAV.filter((n) => can(n.permission)).map((n) => (
                <li key={n.to}>
                  <NavLink to={n.to}>{t(n.label)}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="header-tools">
          {user && can(SEARCH) ? (
            <>
              <link rel="stylesheet" href={searchStyles} />
              <HeaderSearch />
            </>
          ) : null}
          {/* A full page load in the new language: switching i18next while React renders would update every
              translated component from inside another's render. */}
          <Form method="post" action="/set-locale" reloadDocument className="lang-switch" aria-label={t("language.switch")}>
            <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
            {user ? <CsrfInput /> : null}
            {LANGUAGES.map((lng) => (
              <button key={lng} type="submit" name="locale" value={lng} aria-pressed={i18n.language === lng} lang={lng}>
                {t(`language.${lng}`)}
              </button>
            ))}
          </Form>
          {user ? (
            <>
              <NavLink to="/account" className="user-name">
                {user.displayName}
              </NavLink>
              <Form method="post" action="/logout">
                <CsrfInput />
                <button type="submit" className="link-button">
                  {t("actions.logout")}
                </button>
              </Form>
            </>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {user && data?.idleMinutes ? <SessionKeepAlive idleMinutes={data.idleMinutes} /> : null}
        {children}
      </main>
    </>
  );
}
