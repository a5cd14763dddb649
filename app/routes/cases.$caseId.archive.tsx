import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { archiveCase, getCaseFields, reactivateCase } from "../cases/cases.server.ts";
import { archiveSchema } from "../cases/case-schemas.ts";
import { ARCHIVE_REASONS } from "../cases/case-fields.ts";
import { dateInputValue, todayInputValue, useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const row = await getCaseFields(grant, params.caseId ?? "");
  return json({ case: { id: row.id, status: row.status, imStart: dateInputValue(row.imStart), archiveReason: row.archiveReason, archivedAt: row.archivedAt } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const caseId = params.caseId ?? "";
  const form = await readForm(request, grant.user);
  const row = await getCaseFields(grant, caseId);
  if (form.get("intent") === "reactivate") {
    await reactivateCase(request, grant, caseId);
    return redirect(`/cases/${caseId}`);
  }
  const submission = parseWithZod(form, {
    schema: archiveSchema.refine((v) => v.archivedAt.getTime() >= row.imStart.getTime(), { path: ["archivedAt"], message: "cases:archive.beforeStart" }),
  });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await archiveCase(request, grant, caseId, { reason: submission.value.reason, archivedAt: submission.value.archivedAt });
  return redirect(`/cases/${caseId}`);
}

export default function ArchiveCase() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("cases");
  const formatDate = useFormatDate();
  const [form, fields] = useForm({
    id: "archive-case",
    lastResult,
    defaultValue: { archivedAt: todayInputValue() },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: archiveSchema }),
    shouldRevalidate: "onInput",
  });

  if (data.case.status === "archived") {
    return (
      <section aria-labelledby="reactivate-title">
        <h2 id="reactivate-title">{t("archive.reactivateTitle")}</h2>
        <p>
          {t("archive.archivedSince", {
            date: formatDate(data.case.archivedAt),
            reason: data.case.archiveReason ? t(`archiveReasons.${data.case.archiveReason}`) : "",
          })}
        </p>
        <p className="muted">{t("archive.reactivateHint")}</p>
        <Form method="post">
          <CsrfInput />
          <button type="submit" name="intent" value="reactivate">
            {t("archive.reactivate")}
          </button>
        </Form>
      </section>
    );
  }
  return (
    <section aria-labelledby="archive-title">
      <h2 id="archive-title">{t("archive.title")}</h2>
      <p className="muted">{t("archive.hint")}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="archive" />
        <FormErrors errors={form.errors} id={form.errorId} />
        <SelectField field={fields.reason} label={t("fields.archiveReason")} placeholder={t("form.choose")} options={ARCHIVE_REASONS.map((r) => ({ value: r, label: t(`archiveReasons.${r}`) }))} />
        <TextField field={fields.archivedAt} label={t("fields.archivedAt")} type="date" min={data.case.imStart} max={todayInputValue()} />
        <button type="submit" className="danger">
          {t("archive.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
