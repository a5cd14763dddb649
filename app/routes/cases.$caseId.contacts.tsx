import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { addContact, deleteContact, listContacts } from "../cases/contacts.server.ts";
import { requireCaseInScope } from "../cases/cases.server.ts";
import { contactSchema } from "../cases/case-schemas.ts";
import { CONTACT_KINDS } from "../cases/case-fields.ts";
import { todayInputValue, useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, SubmitButton, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { erasureSchema } from "../consent/erasure-grounds.ts";
import { ErasureForm } from "../consent/erasure-ground-field.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const contacts = await listContacts(grant, params.caseId ?? "");
  return json({ contacts, canWrite: hasPermission(grant.user, "write", "case") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const caseId = params.caseId ?? "";
  const form = await readForm(request, grant.user);
  await requireCaseInScope(grant, caseId);
  if (form.get("intent") === "delete") {
    const contactId = String(form.get("contactId") ?? "");
    const erasure = parseWithZod(form, { schema: erasureSchema });
    // No legal ground: nothing is deleted; this contact's form opens again with the message and the note as typed.
    if (erasure.status !== "success") return json({ intent: "delete" as const, contactId, result: erasure.reply(), saved: false }, { status: 400 });
    await deleteContact(request, grant, caseId, contactId, erasure.value);
    return json({ intent: "delete" as const, contactId, result: null, saved: true });
  }
  const submission = parseWithZod(form, { schema: contactSchema });
  if (submission.status !== "success") return json({ intent: "add" as const, result: submission.reply(), saved: false }, { status: 400 });
  const { date, kind, durationMinutes } = submission.value;
  await addContact(request, grant, caseId, { date, kind, durationMinutes });
  return json({ intent: "add" as const, result: submission.reply({ resetForm: true }), saved: true });
}

export default function CaseContacts() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const navigation = useNavigation();
  const refusedDelete = actionData?.intent === "delete" && !actionData.saved ? actionData : null;
  const [form, fields] = useForm({
    id: "add-contact",
    lastResult: actionData?.intent === "add" ? actionData.result : undefined,
    defaultValue: { date: todayInputValue() },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: contactSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <div className="grid-2">
      <section aria-labelledby="contacts-title">
        <h2 id="contacts-title">{t("contacts.title")}</h2>
        {actionData?.saved ? (
          <p className="notice" role="status">
            {actionData.intent === "delete" ? t("contacts.deleted") : t("contacts.added")}
          </p>
        ) : null}
        {data.contacts.length ? (
          <div className="table-wrap">
            <table>
              <caption>{t("contacts.caption", { count: data.contacts.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("contacts.date")}</th>
                  <th scope="col">{t("contacts.kind")}</th>
                  <th scope="col" className="num">
                    {t("contacts.duration")}
                  </th>
                  {data.canWrite ? (
                    <th scope="col">
                      <span className="visually-hidden">{t("contacts.actions")}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {data.contacts.map((k) => (
                  <tr key={k.id}>
                    <td>{formatDate(k.date)}</td>
                    <td>{t(`contactKinds.${k.kind}`)}</td>
                    <td className="num">{t("contacts.minutes", { count: k.durationMinutes })}</td>
                    {data.canWrite ? (
                      <td>
                        {/* Open again after a refused attempt, so the message is seen next to the field. */}
                        <details className="contact-delete" open={refusedDelete?.contactId === k.id || undefined}>
                          <summary aria-label={t("contacts.deleteLabel", { date: formatDate(k.date), kind: t(`contactKinds.${k.kind}`) })}>{tc("actions.delete")} …</summary>
                          <ErasureForm
                            id={`delete-contact-${k.id}`}
                            lastResult={refusedDelete?.contactId === k.id ? refusedDelete.result : undefined}
                            hidden={{ intent: "delete", contactId: k.id }}
                            confirm={t("contacts.deleteConfirm", { date: formatDate(k.date), kind: t(`contactKinds.${k.kind}`) })}
                            busy={navigation.formData?.get("contactId") === k.id}
                          />
                        </details>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("contacts.none")}</p>
        )}
      </section>
      {data.canWrite ? (
        <section className="card" aria-labelledby="add-contact-title">
          <h2 id="add-contact-title">{t("contacts.add")}</h2>
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="add" />
            <FormErrors errors={form.errors} id={form.errorId} />
            <TextField field={fields.date} label={t("contacts.date")} type="date" max={todayInputValue()} />
            <SelectField field={fields.kind} label={t("contacts.kind")} placeholder={t("form.choose")} options={CONTACT_KINDS.map((k) => ({ value: k, label: t(`contactKinds.${k}`) }))} />
            <TextField field={fields.durationMinutes} label={t("contacts.durationField")} type="number" min={5} max={600} inputMode="numeric" />
            <SubmitButton>{t("contacts.submit")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
