import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { householdOf, linkHousehold, unlinkHousehold } from "../cases/household.server.ts";
import { householdLinkSchema } from "../cases/case-schemas.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { notFound } from "../utils/responses.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const caseId = params.caseId ?? "";
  const household = await householdOf(grant, caseId);
  return json({ caseId, inHousehold: household.householdId !== null, members: household.members });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const caseId = params.caseId ?? "";
  const form = await readForm(request, grant.user);
  const household = await householdOf(grant, caseId);
  if (form.get("intent") === "unlink") {
    const memberId = String(form.get("memberId") ?? "");
    // Only members of this case's household, as the caller sees it.
    if (!household.members.some((m) => m.id === memberId)) throw notFound();
    await unlinkHousehold(request, grant, memberId);
    return json({ intent: "unlink" as const, result: null, saved: true });
  }
  const submission = parseWithZod(form, { schema: householdLinkSchema });
  if (submission.status !== "success") return json({ intent: "link" as const, result: submission.reply(), saved: false }, { status: 400 });
  const linked = await linkHousehold(request, grant, caseId, submission.value.pseudonym);
  if (!linked.ok) {
    return json({ intent: "link" as const, result: submission.reply({ fieldErrors: { pseudonym: [`cases:household.errors.${linked.error}`] } }), saved: false }, { status: 400 });
  }
  return json({ intent: "link" as const, result: submission.reply({ resetForm: true }), saved: true });
}

export default function CaseHousehold() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("cases");
  const [form, fields] = useForm({
    id: "link-household",
    lastResult: actionData?.intent === "link" ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: householdLinkSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <div className="grid-2">
      <section aria-labelledby="household-title">
        <h2 id="household-title">{t("household.title")}</h2>
        {actionData?.saved ? (
          <p className="notice" role="status">
            {actionData.intent === "link" ? t("household.linked") : t("household.unlinked")}
          </p>
        ) : null}
        {data.inHousehold ? (
          <>
            <p className="muted">{t("household.scopeHint")}</p>
            <table>
              <caption className="visually-hidden">{t("household.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("fields.pseudonym")}</th>
                  <th scope="col">{t("fields.status")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("household.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">
                      {m.id === data.caseId ? (
                        <>
                          {m.pseudonym} <span className="muted">({t("household.thisCase")})</span>
                        </>
                      ) : (
                        <Link to={`/cases/${m.id}`}>{m.pseudonym}</Link>
                      )}
                    </th>
                    <td>{t(`statuses.${m.status}`)}</td>
                    <td>
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        <input type="hidden" name="memberId" value={m.id} />
                        <button type="submit" name="intent" value="unlink" className="link-button" aria-label={t("household.unlinkLabel", { pseudonym: m.pseudonym })}>
                          {t("household.unlink")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p className="muted">{t("household.none")}</p>
        )}
      </section>
      <section className="card" aria-labelledby="link-title">
        <h2 id="link-title">{t("household.link")}</h2>
        <p className="muted">{t("household.linkHint")}</p>
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="link" />
          <FormErrors errors={form.errors} id={form.errorId} />
          <TextField field={fields.pseudonym} label={t("household.otherPseudonym")} placeholder="LOE-2024-0001" autoComplete="off" />
          <button type="submit">{t("household.linkSubmit")}</button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
