import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { SubmitButton } from "../components/forms.tsx";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createNarrative, isResearchGrant, listNarratives, narratableCases } from "../narratives/narratives.server.ts";
import { useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/narratives.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "narrative");
  const research = isResearchGrant(grant);
  const canWrite = hasPermission(grant.user, "write", "narrative");
  return json({
    title: pageTitle(request, "narratives:list.title"),
    research,
    rows: await listNarratives(grant),
    cases: research && canWrite ? await narratableCases() : [],
    canWrite,
  });
}

const CreateSchema = z.object({ caseId: z.string().min(1), title: z.string().trim().min(1).max(200) });

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "narrative");
  const form = await readForm(request, grant.user);
  const parsed = CreateSchema.safeParse({ caseId: form.get("caseId"), title: form.get("title") });
  if (!parsed.success) return json({ error: "errors.title" }, { status: 400 });
  const created = await createNarrative(request, grant, parsed.data.caseId, parsed.data.title);
  return redirect(`/narratives/${created.id}/compose`);
}

export default function NarrativeList() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("narratives");
  const formatDate = useFormatDate();
  return (
    <>
      <h1>{t("list.title")}</h1>
      <p className="muted">{data.research ? t("list.intro") : t("list.introReleased")}</p>
      {data.rows.length ? (
        <div className="table-wrap">
          <table>
            <caption>{t("list.caption", { count: data.rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("list.titleColumn")}</th>
                {data.research ? <th scope="col">{t("list.case")}</th> : null}
                {data.research ? <th scope="col">{t("list.status")}</th> : null}
                <th scope="col">{data.research ? t("list.updated") : t("list.released")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/narratives/${r.id}`}>{r.title}</Link>
                  </td>
                  {data.research ? <td>{r.case?.pseudonym}</td> : null}
                  {data.research ? (
                    <td>
                      <span className={`badge status-${r.status}`}>{t(`statuses.${r.status}`)}</span>
                    </td>
                  ) : null}
                  <td>{formatDate(data.research ? r.updatedAt : r.releasedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{data.research ? t("list.none") : t("list.noneReleased")}</p>
      )}
      {data.research && data.canWrite ? (
        <section className="card" aria-labelledby="new-narrative-title">
          <h2 id="new-narrative-title">{t("create.title")}</h2>
          {data.cases.length ? (
            <Form method="post">
              <CsrfInput />
              {actionData?.error ? (
                <p className="form-error" role="alert">
                  {t(actionData.error)}
                </p>
              ) : null}
              <div className="field">
                <label htmlFor="new-case">{t("create.case")}</label>
                <select id="new-case" name="caseId" required defaultValue="">
                  <option value="">{t("create.choose")}</option>
                  {data.cases.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.pseudonym}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="new-title">{t("create.name")}</label>
                <div id="new-title-hint" className="muted">
                  {t("create.nameHint")}
                </div>
                <input id="new-title" name="title" required maxLength={200} aria-describedby="new-title-hint" />
              </div>
              <SubmitButton>{t("create.submit")}</SubmitButton>
            </Form>
          ) : (
            <p className="muted">{t("create.noCases")}</p>
          )}
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
