import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { caseInterviews } from "../interviews/interviews.server.ts";
import { useFormatDate } from "../cases/format.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { mayRecontact, recontactState } from "../consent/gates.server.ts";
import { auditView } from "../audit/audit.server.ts";

// The case side learns only that interviews exist (code, date, status): research and case management stay
// visibly separate (Art. 7(4) GDPR), and interview content is the research side's alone.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const caseId = params.caseId ?? "";
  const interviews = await caseInterviews(grant, caseId);
  // Whether research may approach the person again, for arranging a follow-up: the state and the day of the deciding
  // consent or withdrawal only (recontactState). A read of consent: logged like the consent page's (ADR 0016).
  const recontact = recontactState(await mayRecontact(caseId));
  if (recontact) await auditView(request, grant.user, { action: "consent.view", entity: "case", entityId: caseId, detail: { part: "recontact" } });
  return json({ interviews, recontact });
}

export default function CaseInterviews() {
  const { interviews, recontact } = useLoaderData<typeof loader>();
  const { t } = useTranslation("interviews");
  const formatDate = useFormatDate();
  return (
    <section aria-labelledby="case-interviews-title">
      <h2 id="case-interviews-title">{t("caseTab.title")}</h2>
      <p className="muted">{t("caseTab.hint")}</p>
      {recontact ? (
        <p className="recontact-state" role="note">
          <strong>{t("caseTab.recontact.label")}:</strong> {t(`caseTab.recontact.${recontact.state}`)}
          {recontact.date ? ` (${t("caseTab.recontact.decided", { date: formatDate(`${recontact.date}T00:00:00Z`) })})` : ""}
          <br />
          <span className="muted small">{t("caseTab.recontact.hint")}</span>
        </p>
      ) : null}
      {interviews.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("caseTab.caption", { count: interviews.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fields.code")}</th>
                <th scope="col">{t("fields.date")}</th>
                <th scope="col">{t("fields.status")}</th>
              </tr>
            </thead>
            <tbody>
              {interviews.map((i) => (
                <tr key={i.code}>
                  <th scope="row">{i.code}</th>
                  <td>{formatDate(i.date)}</td>
                  <td>{t(`statuses.${i.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t("caseTab.none")}</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
