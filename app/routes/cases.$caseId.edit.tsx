import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { getCaseFields, municipalityOptions, updateCase } from "../cases/cases.server.ts";
import { caseFieldsSchema } from "../cases/case-schemas.ts";
import { CASE_GROUPS } from "../cases/case-fields.ts";
import { dateInputValue, todayInputValue } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const row = await getCaseFields(grant, params.caseId ?? "");
  const municipalities = await municipalityOptions(grant, { activeOnly: true, keepId: row.municipalityId });
  return json({ case: { id: row.id, municipalityId: row.municipalityId, group: row.group, imStart: dateInputValue(row.imStart) }, municipalities });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const caseId = params.caseId ?? "";
  const row = await getCaseFields(grant, caseId);
  const form = await readForm(request, grant.user);
  const municipalities = await municipalityOptions(grant, { activeOnly: true, keepId: row.municipalityId });
  const submission = parseWithZod(form, { schema: caseFieldsSchema(municipalities.map((m) => m.id)) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await updateCase(request, grant, caseId, submission.value);
  return redirect(`/cases/${caseId}`);
}

export default function EditCase() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation();
  const [form, fields] = useForm({
    id: "edit-case",
    lastResult,
    defaultValue: { municipalityId: data.case.municipalityId, group: data.case.group, imStart: data.case.imStart },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: caseFieldsSchema() }),
    shouldRevalidate: "onBlur",
  });
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">{t("edit.title")}</h2>
      <p className="muted">{t("edit.pseudonymStays")}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
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
