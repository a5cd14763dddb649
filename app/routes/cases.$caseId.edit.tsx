import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { caseFormValues, getCaseFields, municipalityOptions, updateCase } from "../cases/cases.server.ts";
import { caseFieldsSchema } from "../cases/case-schemas.ts";
import { CASE_FORM_FIELDS, CASE_GROUPS, caseFieldLabel, type CaseGroup } from "../cases/case-fields.ts";
import { todayInputValue, useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { BaseInputs, ChangedMeanwhile, refusalKey } from "../components/changed-meanwhile.tsx";
import { readBase } from "../utils/field-merge.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const row = await getCaseFields(grant, params.caseId ?? "");
  const municipalities = await municipalityOptions(grant, { activeOnly: true, keepId: row.municipalityId });
  return json({ case: { id: row.id, ...caseFormValues({ ...row, group: row.group as CaseGroup }) }, municipalities });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const caseId = params.caseId ?? "";
  const row = await getCaseFields(grant, caseId);
  const form = await readForm(request, grant.user);
  const municipalities = await municipalityOptions(grant, { activeOnly: true, keepId: row.municipalityId });
  const submission = parseWithZod(form, { schema: caseFieldsSchema(municipalities.map((m) => m.id)) });
  // A refused form keeps the values it was loaded with as its base, even when the page's data is newer by then.
  const base = readBase(form, CASE_FORM_FIELDS);
  if (submission.status !== "success") return json({ result: submission.reply(), base, conflict: null }, { status: 400 });
  const saved = await updateCase(request, grant, caseId, submission.value, base);
  // Both changed a field: nothing saved, the entries stay in the form beside what was saved meanwhile.
  if ("conflicts" in saved) return json({ result: submission.reply(), base: saved.nextBase, conflict: saved }, { status: 409 });
  return redirect(saved.keptTheirs.length ? `/cases/${caseId}?kept=${saved.keptTheirs.join(",")}` : `/cases/${caseId}`);
}

export default function EditCase() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const conflict = actionData?.conflict;
  const shown = { municipalityId: (v: string) => data.municipalities.find((m) => m.id === v)?.name ?? v, group: (v: string) => t(`groups.${v}`), imStart: formatDate };
  const formId = conflict ? refusalKey(conflict.proposed) : "edit-case";
  const [form, fields] = useForm({
    id: formId,
    lastResult: conflict ? undefined : actionData?.result,
    defaultValue: conflict?.proposed ?? { municipalityId: data.case.municipalityId, group: data.case.group, imStart: data.case.imStart },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: caseFieldsSchema() }),
    shouldRevalidate: "onInput",
  });
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">{t("edit.title")}</h2>
      <p className="muted">{t("edit.pseudonymStays")}</p>
      <Form method="post" {...getFormProps(form)} key={formId}>
        <CsrfInput />
        <BaseInputs values={actionData?.base ?? { municipalityId: data.case.municipalityId, group: data.case.group, imStart: data.case.imStart }} />
        {conflict ? <ChangedMeanwhile rows={conflict.conflicts.map((f) => ({ label: t(caseFieldLabel(f)), value: shown[f](conflict.current[f]) }))} /> : null}
        <FormErrors errors={form.errors} id={form.errorId} />
        <SelectField field={fields.municipalityId} label={t("fields.municipality")} options={data.municipalities.map((m) => ({ value: m.id, label: m.name }))} />
        <SelectField field={fields.group} label={t("fields.group")} options={CASE_GROUPS.map((g) => ({ value: g, label: t(`groups.${g}`) }))} />
        <TextField field={fields.imStart} label={t("fields.imStart")} type="date" max={todayInputValue()} />
        <div className="actions-row">
          <button type="submit">{tc("actions.save")}</button>
          <Link to={`/cases/${data.case.id}`} className="button secondary">
            {tc("actions.cancel")}
          </Link>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
