import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { SubmitButton } from "../components/forms.tsx";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { caseNarrativeState, createNarrative, listCaseNarratives, requireResearch } from "../narratives/narratives.server.ts";
import { useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/narratives.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

/** The case's narratives (research side: read:narrative:any); a case without interviews has none to write. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requireResearch(request, "read");
  const state = await caseNarrativeState(params.caseId ?? "", hasPermission(grant.user, "read", "case"));
  return json({ rows: await listCaseNarratives(state.caseId), narratable: state.narratable, canWrite: hasPermission(grant.user, "write", "narrative") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "narrative");
  const form = await readForm(request, grant.user);
  const title = String(form.get("title") ?? "").trim();
  if (!title || title.length > 200) return json({ error: "errors.title" }, { status: 400 });
  const created = await createNarrative(request, grant, params.caseId ?? "", title);
  return redirect(`/narratives/${created.id}/compose`);
}

export default function CaseNarratives() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("narratives");
  const formatDate = useFormatDate();
  return (
    <div className="grid-2">
      <section aria-labelledby="case-narratives-title">
        <h2 id="case-narratives-title">{t("list.title")}</h2>
        {data.rows.length ? (
          <ul>
            {data.rows.map((r) => (
              <li key={r.id}>
                <Link to={`/narratives/${r.id}`}>{r.title}</Link> <span className={`badge status-${r.status}`}>{t(`statuses.${r.status}`)}</span>{" "}
                <span className="muted">{formatDate(r.updatedAt)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("list.none")}</p>
        )}
      </section>
      {data.canWrite && data.narratable ? (
        <section className="card" aria-labelledby="case-new-narrative">
          <h2 id="case-new-narrative">{t("create.title")}</h2>
          <Form method="post">
            <CsrfInput />
            {actionData?.error ? (
              <p className="form-error" role="alert">
                {t(actionData.error)}
              </p>
            ) : null}
            <div className="field">
              <label htmlFor="case-narrative-title">{t("create.name")}</label>
              <input id="case-narrative-title" name="title" required maxLength={200} />
            </div>
            <SubmitButton>{t("create.submit")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
