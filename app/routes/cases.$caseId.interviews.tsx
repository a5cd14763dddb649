import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { caseInterviews } from "../interviews/interviews.server.ts";
import { useFormatDate } from "../cases/format.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

// The case side learns only that interviews exist (code, date, status): research and case management stay
// visibly separate (Art. 7(4) GDPR), and interview content is the research side's alone.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const interviews = await caseInterviews(grant, params.caseId ?? "");
  return json({ interviews });
}

export default function CaseInterviews() {
  const { interviews } = useLoaderData<typeof loader>();
  const { t } = useTranslation("interviews");
  const formatDate = useFormatDate();
  return (
    <section aria-labelledby="case-interviews-title">
      <h2 id="case-interviews-title">{t("caseTab.title")}</h2>
      <p className="muted">{t("caseTab.hint")}</p>
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
