import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { db } from "../db/client.server.ts";
import { getInterviewFields, researcherOptions, updateInterview } from "../interviews/interviews.server.ts";
import { editInterviewSchema } from "../interviews/interview-schemas.ts";
import { allowedStatuses } from "../interviews/interview-fields.ts";
import { CheckboxField, InterviewMetadataFields } from "../interviews/interview-form-parts.tsx";
import { dateInputValue } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

const conflict = () => new Response("conflict", { status: 409, statusText: "Conflict" });

/** Researchers, plus the current interviewer if they no longer are one (so the form stays valid). */
async function interviewerChoices(currentId: string | null) {
  const researchers = await researcherOptions();
  if (!currentId || researchers.some((r) => r.id === currentId)) return researchers;
  const current = await db.user.findUnique({ where: { id: currentId }, select: { id: true, displayName: true } });
  return current ? [...researchers, current] : researchers;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "write", "interview");
  const interview = await getInterviewFields(params.interviewId ?? "");
  // A withdrawn interview is frozen until its withdrawal has erased it.
  if (interview.status === "withdrawn") throw conflict();
  const researchers = await interviewerChoices(interview.interviewerId);
  return json({
    interview: {
      id: interview.id,
      date: dateInputValue(interview.date),
      placeType: interview.placeType,
      languages: interview.languages,
      interviewerId: interview.interviewerId ?? "",
      durationMinutes: interview.durationMinutes === null ? "" : String(interview.durationMinutes),
      status: interview.status,
      interpreterPresent: interview.interpreterPresent,
      // Changes after a save, so the form is rebuilt from the saved values (and the statuses now allowed).
      version: interview.updatedAt.toISOString(),
    },
    researchers,
    statuses: allowedStatuses(interview.status),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "interview");
  const interviewId = params.interviewId ?? "";
  const form = await readForm(request, grant.user);
  const current = await getInterviewFields(interviewId);
  const researchers = await interviewerChoices(current.interviewerId);
  const submission = parseWithZod(form, { schema: editInterviewSchema(researchers.map((r) => r.id)) });
  if (submission.status !== "success") return json({ result: submission.reply({ hideFields: ["interpreterName"] }), saved: false }, { status: 400 });
  const result = await updateInterview(request, grant, interviewId, submission.value);
  if (!result.ok) return json({ result: submission.reply({ fieldErrors: { status: ["interviews:validation.status"] }, hideFields: ["interpreterName"] }), saved: false }, { status: 400 });
  return json({ result: submission.reply(), saved: true });
}

export default function EditInterview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const i = data.interview;
  const [form, fields] = useForm({
    id: `edit-interview-${i.id}-${i.version}`,
    lastResult: actionData?.saved ? undefined : actionData?.result,
    defaultValue: { date: i.date, placeType: i.placeType, languages: i.languages, interviewerId: i.interviewerId, durationMinutes: i.durationMinutes, status: i.status },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: editInterviewSchema() }),
    shouldRevalidate: "onBlur",
  });
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">{t("edit.title")}</h2>
      {actionData?.saved ? (
        <p className="notice" role="status">
          {tc("saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} key={i.version}>
        <CsrfInput />
        <FormErrors errors={form.errors} id={form.errorId} />
        <div className="grid-2">
          <fieldset>
            <legend>{t("new.interviewData")}</legend>
            <InterviewMetadataFields fields={fields} researchers={data.researchers} />
            <SelectField field={fields.status} label={t("fields.status")} hint={t("edit.statusHint")} options={data.statuses.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} />
          </fieldset>
          <fieldset>
            <legend>{t("new.identityData")}</legend>
            <p className="identity-hint">{t("interpreter.encryptedHint")}</p>
            <p>
              {t("fields.interpreterPresent")}: <strong>{i.interpreterPresent ? tc("yes") : tc("no")}</strong>
            </p>
            <TextField field={fields.interpreterName} label={i.interpreterPresent ? t("edit.interpreterReplace") : t("fields.interpreterName")} hint={i.interpreterPresent ? t("edit.interpreterKeepHint") : undefined} autoComplete="off" />
            {i.interpreterPresent ? <CheckboxField field={fields.removeInterpreter} label={t("edit.interpreterRemove")} /> : null}
          </fieldset>
        </div>
        <div className="actions-row">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {tc("actions.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
