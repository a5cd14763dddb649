import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useLocation, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { getSessionUser } from "./auth/session.server.ts";
import { env } from "./env.server.ts";
import { languageOf } from "./i18n/language.server.ts";
import { permissionsOf } from "./permissions/roles.ts";
import { AppShell } from "./components/app-shell.tsx";
import { GeneralErrorBoundary } from "./components/error-boundary.tsx";
import { useNonce } from "./utils/nonce.tsx";
import appStyles from "./styles/app.css";
import { notAfterEndedSession } from "./auth/revalidate.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Lebenswege" }];

export const shouldRevalidate = notAfterEndedSession;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return json({
    locale: languageOf(request),
    user: user
      ? {
          id: user.id,
          displayName: user.displayName,
          roles: user.roles,
          // Signed in with a one-time password: no links to pages that would only send the user back to /account.
          permissions: user.mustChangePassword ? [] : [...permissionsOf(user.roles)],
        }
      : null,
    csrfToken: user?.csrfToken ?? null,
    // For the page to keep a working person's session alive (auth/session-keep-alive.tsx).
    idleMinutes: user ? env().SESSION_IDLE_MINUTES : null,
    // For upload forms to refuse a file over the limit before sending it (recordings/recording-upload.tsx).
    uploadMaxBytes: user ? env().UPLOAD_MAX_BYTES : null,
  });
}

export type RootData = ReturnType<typeof useLoaderData<typeof loader>>;
export const useRootData = () => useRouteLoaderData<typeof loader>("root");

function Document({ children, locale }: { children: React.ReactNode; locale: string }) {
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <RouteAnnouncer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * A page reached inside the app (no full page load) says so, as a browser's own page load would: its title in a
 * polite live region, and focus on its main heading (else <main>), so a screen reader reads on from there and Tab
 * goes on in the new page, not from the link left behind. Only when the path changes (or a link names a place on the
 * page): search-as-you-type, fetchers and a redirect back to the same page (?saved=1) leave focus where it is. A page that has put focus somewhere itself
 * (the transcript at a search hit) keeps it; a link to a place on the page (#id) puts focus there.
 */
function RouteAnnouncer() {
  const location = useLocation();
  const navigation = useNavigation();
  const [message, setMessage] = useState("");
  const path = useRef(location.pathname);
  const hash = useRef(location.hash);
  const focusedWhenLeaving = useRef<Element | null>(null);
  // Where focus was when the navigation began (the link followed, the header's search box).
  useEffect(() => {
    if (navigation.state !== "idle") focusedWhenLeaving.current ??= document.activeElement;
  }, [navigation.state]);
  useEffect(() => {
    const left = focusedWhenLeaving.current;
    if (navigation.state === "idle") focusedWhenLeaving.current = null;
    const pathChanged = location.pathname !== path.current;
    const hashChanged = location.hash !== hash.current;
    path.current = location.pathname;
    hash.current = location.hash;
    if (!pathChanged && !(hashChanged && location.hash)) return;
    const active = document.activeElement;
    if (!active || active === document.body || active === left || !active.isConnected) {
      // A link to a place on the new page (…#ind-S.DTNIV) lands there, as an anchor does: Tab goes on from it.
      const main = document.getElementById("main");
      const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
      const landing = target ?? main?.querySelector<HTMLElement>("h1") ?? main;
      if (landing && landing !== main && !landing.hasAttribute("tabindex") && landing.tabIndex < 0) landing.tabIndex = -1;
      landing?.focus();
    }
    if (pathChanged) setMessage(document.title);
  }, [location.pathname, location.hash, navigation.state]);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-route-announcer="">
      {message}
    </div>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  const { i18n } = useTranslation();
  if (i18n.language !== data.locale) void i18n.changeLanguage(data.locale);
  return (
    <Document locale={data.locale}>
      <AppShell>
        <Outlet />
      </AppShell>
    </Document>
  );
}

export function ErrorBoundary() {
  const data = useRootData();
  const { i18n } = useTranslation();
  return (
    <Document locale={data?.locale ?? i18n.language ?? "de"}>
      <AppShell>
        <GeneralErrorBoundary />
      </AppShell>
    </Document>
  );
}
