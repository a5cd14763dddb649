import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { getInterviewHeader } from "../interviews/interviews.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { listMemos } from "../memos/memos.server.ts";
import { MemoList } from "../memos/memo-list.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/memos-notes.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "memo");
  const interview = await getInterviewHeader(params.interviewId ?? "");
  const [result, gate] = await Promise.all([listMemos({ interviewId: interview.id }), mayProcess(interview.id, "analysis")]);
  return json({ interviewId: interview.id, caseId: interview.caseId, casePseudonym: interview.case.pseudonym, rows: result.rows, total: result.total, hidden: result.hidden, canWrite: hasPermission(grant.user, "write", "memo"), analysisAllowed: gate.ok });
}

export default function InterviewMemos() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("memos");
  return (
    <section aria-labelledby="interview-memos-title">
      <h2 id="interview-memos-title">{t("interview.title")}</h2>
      {data.canWrite ? (
        data.analysisAllowed ? (
          <p className="actions-row">
            <Link to={`/memos/new?interviewId=${encodeURIComponent(data.interviewId)}`} className="button">
              {t("interview.new")}
            </Link>
            <Link to={`/memos/new?caseId=${encodeURIComponent(data.caseId)}`} className="button secondary">
              {t("interview.newCase", { pseudonym: data.casePseudonym })}
            </Link>
          </p>
        ) : (
          <p className="muted">{t("interview.noAnalysisConsent")}</p>
        )
      ) : null}
      <p role="status">{t("list.count", { count: data.total })}</p>
      {data.hidden ? <p className="muted">{t("list.hidden", { count: data.hidden })}</p> : null}
      <MemoList rows={data.rows} headingLevel={3} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
