import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { auditView } from "../audit/audit.server.ts";
import { wasWithdrawn } from "../withdrawal/withdraw.server.ts";
import { getInterviewHeader } from "../interviews/interviews.server.ts";
import { TabNav, type Tab } from "../components/tab-nav.tsx";
import { currentTab, inNamespace, joinTitle, metaT } from "../i18n/meta.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import caseStyles from "../styles/cases.css";
import styles from "../styles/interviews.css";
import { notAfterEndedSession } from "../auth/revalidate.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: caseStyles },
  { rel: "stylesheet", href: styles },
];

// The tab's name first (the overview is the interview itself), so every tab has its own title.
export const meta: MetaFunction<typeof loader> = ({ data, location, matches }) => {
  if (!data) return [{ title: joinTitle() }];
  const tab = currentTab(interviewTabs(data), location.pathname);
  const t = metaT(matches);
  return [{ title: joinTitle(tab && !tab.end ? t(inNamespace(tab.label, "interviews")) : null, data.interview.code) }];
};

export const shouldRevalidate = notAfterEndedSession;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "interview");
  const row = await getInterviewHeader(params.interviewId ?? "").catch(async (e: unknown) => {
    // Erased by a whole withdrawal: say so (410) rather than "does not exist" (a bookmark, the back button).
    if (e instanceof Response && e.status === 404 && (await wasWithdrawn(params.interviewId ?? ""))) throw new Response("withdrawn", { status: 410 });
    throw e;
  });
  await auditView(request, grant.user, { action: "interview.view", entity: "interview", entityId: row.id });
  return json({
    interview: { id: row.id, code: row.code, status: row.status, caseId: row.caseId, casePseudonym: row.case.pseudonym },
    canWrite: hasPermission(grant.user, "write", "interview"),
    canWithdraw: hasPermission(grant.user, "withdraw", "interview"),
    canReadMemos: hasPermission(grant.user, "read", "memo"),
    // Only who may open the case register gets a link to it (researchers see the pseudonym as text).
    canReadCase: hasPermission(grant.user, "read", "case"),
  });
}

type InterviewLayoutData = { interview: { id: string; status: string }; canWrite: boolean; canWithdraw: boolean; canReadMemos: boolean };

/** The interview's tabs the user may use (labels: keys of the "interviews" namespace unless they name their own). */
function interviewTabs(data: InterviewLayoutData): Tab[] {
  const i = data.interview;
  const base = `/interviews/${i.id}`;
  const withdrawn = i.status === "withdrawn";
  return [
    { to: base, label: "tabs.overview", end: true, show: true },
    { to: `${base}/consent`, label: "tabs.consent", show: true },
    { to: `${base}/transcription`, label: "tabs.transcription", show: !withdrawn },
    { to: `${base}/transcript`, label: "transcripts:nav.tab", show: true },
    { to: `${base}/memos`, label: "memos:interviewTab", show: data.canReadMemos },
    { to: `${base}/edit`, label: "tabs.edit", show: data.canWrite && !withdrawn },
    { to: `${base}/withdraw`, label: "tabs.withdraw", show: data.canWithdraw },
  ];
}

export default function InterviewLayout() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("interviews");
  const i = data.interview;
  const tabs = interviewTabs(data);
  return (
    <>
      <div className="case-header">
        <h1>
          <span className="visually-hidden">{t("interview.headingPrefix")} </span>
          {i.code}
        </h1>
        <span>
          {t("fields.case")}: {data.canReadCase ? <Link to={`/cases/${i.caseId}`}>{i.casePseudonym}</Link> : i.casePseudonym}
        </span>
        <span className={`badge interview-${i.status}`}>{t(`statuses.${i.status}`)}</span>
      </div>
      <TabNav tabs={tabs} label={t("tabs.label", { code: i.code })} t={t} />
      <div className="case-body">
        <Outlet />
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
