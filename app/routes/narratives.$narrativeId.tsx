import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { narrativeHeader } from "../narratives/narratives.server.ts";
import { TabNav, type Tab } from "../components/tab-nav.tsx";
import { currentTab, inNamespace, joinTitle, metaT } from "../i18n/meta.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import caseStyles from "../styles/cases.css";
import styles from "../styles/narratives.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: caseStyles },
  { rel: "stylesheet", href: styles },
];
// The tab first on the research side ("Redaktion – <title> – ..."), so each tab has its own title.
export const meta: MetaFunction<typeof loader> = ({ data, location, matches }) => {
  const tab = data?.header ? currentTab(narrativeTabs(data.header.id), location.pathname) : undefined;
  return [{ title: tab && !tab.end ? `${metaT(matches)(inNamespace(tab.label, "narratives"))} – ${data!.title}` : (data?.title ?? joinTitle()) }];
};

function narrativeTabs(id: string): Tab[] {
  const base = `/narratives/${id}`;
  return [
    { to: base, label: "tabs.overview", end: true, show: true },
    { to: `${base}/compose`, label: "tabs.compose", show: true },
    { to: `${base}/redaction`, label: "tabs.redaction", show: true },
  ];
}

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
  const tabs = narrativeTabs(h.id);
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
