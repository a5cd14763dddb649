import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { narrativeHeader } from "../narratives/narratives.server.ts";
import { TabNav } from "../components/tab-nav.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import caseStyles from "../styles/cases.css";
import styles from "../styles/narratives.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: caseStyles },
  { rel: "stylesheet", href: styles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

/** Header and tabs for the research side; the commissioner gets only released narratives (else 404) and no tabs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "narrative");
  const header = await narrativeHeader(grant, params.narrativeId ?? "");
  const title = pageTitle(request, "narratives:list.title");
  return json({ title: header ? `${header.title} – ${title}` : title, research: header !== null, header });
}

export default function NarrativeLayout() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("narratives");
  if (!data.header) return <Outlet />;
  const h = data.header;
  const base = `/narratives/${h.id}`;
  const tabs = [
    { to: base, label: "tabs.overview", end: true, show: true },
    { to: `${base}/compose`, label: "tabs.compose", show: true },
    { to: `${base}/redaction`, label: "tabs.redaction", show: true },
  ];
  return (
    <>
      <div className="case-header">
        <h1>{h.title}</h1>
        <span>
          {t("meta.case")}: {h.pseudonym}
        </span>
        <span className={`badge status-${h.status}`}>{t(`statuses.${h.status}`)}</span>
      </div>
      <TabNav tabs={tabs} label={t("tabs.label", { title: h.title })} t={t} />
      <div className="case-body">
        <Outlet />
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
