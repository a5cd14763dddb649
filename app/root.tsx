import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
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
          permissions: [...permissionsOf(user.roles)],
        }
      : null,
    csrfToken: user?.csrfToken ?? null,
    // For the page to keep a working person's session alive (auth/session-keep-alive.tsx).
    idleMinutes: user ? env().SESSION_IDLE_MINUTES : null,
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
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
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
