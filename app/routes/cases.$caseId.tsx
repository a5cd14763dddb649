import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { getCaseHeader, getResearchCaseHeader, isLinkedCase } from "../cases/cases.server.ts";
import { requireUser } from "../auth/session.server.ts";
import { auditView } from "../audit/audit.server.ts";
import { TabNav, type Tab } from "../components/tab-nav.tsx";
import { currentTab, inNamespace, joinTitle, metaT } from "../i18n/meta.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/cases.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

// The tab's name first (the overview is the case itself), so every tab has its own title.
export const meta: MetaFunction<typeof loader> = ({ data, location, matches }) => {
  if (!data) return [{ title: joinTitle() }];
  const tab = currentTab(caseTabs(data), location.pathname);
  const t = metaT(matches);
  return [{ title: joinTitle(tab && !tab.end ? t(inNamespace(tab.label, "cases")) : null, data.case.pseudonym) }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Who keeps the register reads the case. Researchers (who know a case from its interviews) get the header and
  // only the research-side tabs: narratives, and timeline/notes where the person consented to linking (those
  // routes check it again in their own queries).
  const registerView = hasPermission(user, "read", "case");
  const grant = registerView ? await requirePermission(request, "read", "case") : await requirePermission(request, "read", "interview");
  const row = registerView ? await getCaseHeader(grant, params.caseId ?? "") : await getResearchCaseHeader(params.caseId ?? "");
  await auditView(request, grant.user, { action: "case.view", entity: "case", entityId: row.id, detail: { access: registerView ? grant.access : "research" } });
  const linked = registerView || (hasPermission(user, "read", "timeline") && (await isLinkedCase(await requirePermission(request, "read", "timeline"), row.id)));
  return json({
    registerView,
    case: { id: row.id, pseudonym: row.pseudonym, status: row.status, municipality: row.municipality.name },
    canWrite: hasPermission(grant.user, "write", "case"),
    canReadIdentity: hasPermission(grant.user, "read", "identity"),
    canReadTimeline: linked && hasPermission(grant.user, "read", "timeline"),
    canReadNotes: linked && hasPermission(grant.user, "read", "note"),
    canReadNarratives: hasPermission(grant.user, "read", "narrative") && hasPermission(grant.user, "read", "interview"),
  });
}

type CaseLayoutData = { registerView: boolean; case: { id: string; status: string }; canWrite: boolean; canReadIdentity: boolean; canReadTimeline: boolean; canReadNotes: boolean; canReadNarratives: boolean };

/** The case's tabs the user may use (labels: keys of the "cases" namespace unless they name their own). */
function caseTabs(data: CaseLayoutData): Tab[] {
  const c = data.case;
  const base = `/cases/${c.id}`;
  return [
    { to: base, label: "tabs.overview", end: true, show: data.registerView },
    { to: `${base}/snapshots`, label: "tabs.indicators", show: data.registerView },
    { to: `${base}/contacts`, label: "tabs.contacts", show: data.registerView },
    { to: `${base}/plans`, label: "tabs.plans", show: data.registerView },
    { to: `${base}/interviews`, label: "interviews:caseTab.tab", show: data.registerView },
    { to: `${base}/timeline`, label: "timeline:tab", show: data.canReadTimeline },
    { to: `${base}/notes`, label: "notes:tab", show: data.canReadNotes },
    { to: `${base}/narratives`, label: "narratives:caseTab", show: data.canReadNarratives },
    { to: `${base}/household`, label: "tabs.household", show: data.canWrite },
    { to: `${base}/identity`, label: "tabs.identity", show: data.canReadIdentity },
    { to: `${base}/edit`, label: "tabs.edit", show: data.canWrite },
    { to: `${base}/archive`, label: c.status === "archived" ? "tabs.reactivate" : "tabs.archive", show: data.canWrite },
  ];
}

export default function CaseLayout() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("cases");
  const c = data.case;
  // No prefetching: hovering the identity tab must not count as (and log) a view.
  const tabs = caseTabs(data);
  return (
    <>
      <div className="case-header">
        <h1>
          <span className="visually-hidden">{t("case.headingPrefix")} </span>
          {c.pseudonym}
        </h1>
        <span>{c.municipality}</span>
        <span className={`badge ${c.status}`}>{t(`statuses.${c.status}`)}</span>
      </div>
      <TabNav tabs={tabs} label={t("tabs.label", { pseudonym: c.pseudonym })} t={t} />
      <div className="case-body">
        <Outlet />
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
