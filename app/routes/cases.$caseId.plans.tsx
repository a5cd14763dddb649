import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createPlan, listPlans, updatePlanAreaStatus } from "../cases/plans.server.ts";
import { requireCaseInScope } from "../cases/cases.server.ts";
import { chosenAreas, planAreaStatusSchema, planSchema } from "../cases/case-schemas.ts";
import { PLAN_AREAS, PLAN_STATUSES } from "../cases/case-fields.ts";
import { sortAreas, todayInputValue, useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors, SubmitButton, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const plans = await listPlans(grant, params.caseId ?? "");
  return json({ plans, canWrite: hasPermission(grant.user, "write", "case") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const caseId = params.caseId ?? "";
  const form = await readForm(request, grant.user);
  await requireCaseInScope(grant, caseId);
  if (form.get("intent") === "update-area") {
    const submission = parseWithZod(form, { schema: planAreaStatusSchema });
    if (submission.status !== "success") return json({ intent: "update-area" as const, result: submission.reply(), saved: false }, { status: 400 });
    await updatePlanAreaStatus(request, grant, caseId, submission.value.areaId, submission.value.status);
    return json({ intent: "update-area" as const, result: null, saved: true });
  }
  const submission = parseWithZod(form, { schema: planSchema });
  if (submission.status !== "success") return json({ intent: "create" as const, result: submission.reply(), saved: false }, { status: 400 });
  await createPlan(request, grant, caseId, { drawnUpAt: submission.value.drawnUpAt, areas: chosenAreas(submission.value.areas) });
  return json({ intent: "create" as const, result: submission.reply({ resetForm: true }), saved: true });
}

export default function CasePlans() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("cases");
  const formatDate = useFormatDate();
  const [form, fields] = useForm({
    id: "new-plan",
    lastResult: actionData?.intent === "create" ? actionData.result : undefined,
    defaultValue: { drawnUpAt: todayInputValue() },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: planSchema }),
    shouldRevalidate: "onInput",
  });
  const areaFields = fields.areas.getFieldset();
  return (
    <>
      <h2>{t("plans.title")}</h2>
      {actionData?.saved ? (
        <p className="notice" role="status">
          {actionData.intent === "create" ? t("plans.created") : t("plans.statusChanged")}
        </p>
      ) : null}
      {data.plans.length === 0 ? <p className="muted">{t("plans.none")}</p> : null}
      {data.plans.map((plan, index) => {
        const date = formatDate(plan.drawnUpAt);
        return (
          <section key={plan.id} className="card plan-card" aria-labelledby={`plan-${plan.id}`}>
            <h3 id={`plan-${plan.id}`}>
              {t("plans.planOf", { date })}
              {index === 0 ? <span className="muted"> ({t("plans.current")})</span> : null}
            </h3>
            <table>
              <caption className="visually-hidden">{t("plans.planOf", { date })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("plans.area")}</th>
                  <th scope="col">{t("plans.status")}</th>
                  {data.canWrite ? <th scope="col">{t("plans.changeStatus")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {sortAreas(plan.areas).map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{t(`planAreas.${a.area}`)}</th>
                    <td>{t(`planStatuses.${a.status}`)}</td>
                    {data.canWrite ? (
                      <td>
                        <Form method="post" className="inline-fields">
                          <CsrfInput />
                          <input type="hidden" name="areaId" value={a.id} />
                          <label htmlFor={`status-${a.id}`} className="visually-hidden">
                            {t("plans.newStatusFor", { area: t(`planAreas.${a.area}`), date })}
                          </label>
                          <select id={`status-${a.id}`} name="status" defaultValue={a.status} key={a.status}>
                            {PLAN_STATUSES.map((s) => (
                              <option key={s} value={s}>
                                {t(`planStatuses.${s}`)}
                              </option>
                            ))}
                          </select>
                          <button type="submit" name="intent" value="update-area" className="secondary">
                            {t("plans.saveStatus")}
                            <span className="visually-hidden"> ({t(`planAreas.${a.area}`)})</span>
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}

      {data.canWrite ? (
        <section className="card" aria-labelledby="new-plan-title">
          <h2 id="new-plan-title">{t("plans.new")}</h2>
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <FormErrors errors={form.errors} id={form.errorId} />
            <TextField field={fields.drawnUpAt} label={t("plans.drawnUpAt")} type="date" max={todayInputValue()} />
            <fieldset aria-describedby={fields.areas.errors?.length ? `${fields.areas.id}-hint ${fields.areas.errorId}` : `${fields.areas.id}-hint`}>
              <legend>{t("plans.areas")}</legend>
              <p id={`${fields.areas.id}-hint`} className="muted">
                {t("plans.areasHint")}
              </p>
              <div className="area-grid">
                {PLAN_AREAS.map((area) => {
                  const field = areaFields[area];
                  const props = getSelectProps(field);
                  return (
                    <div className="field" key={area}>
                      <label htmlFor={field.id}>{t(`planAreas.${area}`)}</label>
                      <select {...props} key={props.key}>
                        <option value="">{t("plans.notInPlan")}</option>
                        {PLAN_STATUSES.map((s) => (
                          <option key={s} value={s}>
                            {t(`planStatuses.${s}`)}
                          </option>
                        ))}
                      </select>
                      <ErrorText id={field.errorId} errors={field.errors} />
                    </div>
                  );
                })}
              </div>
              <ErrorText id={fields.areas.errorId} errors={fields.areas.errors} />
            </fieldset>
            <SubmitButton>{t("plans.submit")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
