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
import { INTERVIEW_FORM_FIELDS, allowedStatuses, interviewFormValues, type InterviewFormField } from "../interviews/interview-fields.ts";
import { CheckboxField, InterviewMetadataFields } from "../interviews/interview-form-parts.tsx";
import { dateInputValue } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { BaseInputs, ChangedMeanwhile, KeptTheirs, refusalKey } from "../components/changed-meanwhile.tsx";
import { readBase } from "../utils/field-merge.ts";
import { ErasureGroundField } from "../consent/erasure-ground-field.tsx";
import { useFormatDate } from "../cases/format.ts";

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
    base: interviewFormValues(interview),
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
  // A refused save keeps the form it came from (and the person's entries), even though the interview has changed.
  const formVersion = String(form.get("version") ?? "");
  const base = readBase(form, INTERVIEW_FORM_FIELDS);
  type Conflict = { conflicts: InterviewFormField[]; current: Record<InterviewFormField, string>; nextBase: Record<InterviewFormField, string>; proposed: Record<InterviewFormField, string> };
  // The interpreter's name as typed goes back with a refusal (to the person who typed it), so nothing typed is lost.
  const typed = { interpreterName: String(form.get("interpreterName") ?? ""), removeInterpreter: form.get("removeInterpreter") === "on", ground: String(form.get("ground") ?? ""), note: String(form.get("note") ?? "") };
  const refused = (result: ReturnType<typeof submission.reply>, status: number, conflict: Conflict | null = null) =>
    json({ result, saved: false as const, formVersion, base: conflict?.nextBase ?? base, conflict, typed, keptTheirs: [] as InterviewFormField[] }, { status });
  const submission = parseWithZod(form, { schema: editInterviewSchema(researchers.map((r) => r.id)) });
  if (submission.status !== "success") return refused(submission.reply(), 400);
  const result = await updateInterview(request, grant, interviewId, submission.value, base);
  if (!result.ok && result.error === "changed-meanwhile") return refused(submission.reply(), 409, result);
  if (!result.ok) return refused(submission.reply({ fieldErrors: { status: ["interviews:validation.status"] } }), 400);
  return json({ result: submission.reply(), saved: true as const, formVersion, base: null, conflict: null, keptTheirs: result.keptTheirs });
}

export default function EditInterview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const i = data.interview;
  const conflict = actionData?.conflict;
  const version = actionData && !actionData.saved ? actionData.formVersion : i.version;
  const label: Record<InterviewFormField, string> = { date: "fields.date", placeType: "fields.placeType", languages: "fields.languages", interviewerId: "fields.interviewer", durationMinutes: "fields.durationField", status: "fields.status" };
  const shown: Record<InterviewFormField, (v: string) => string> = {
    date: formatDate,
    placeType: (v) => t(`placeTypes.${v}`),
    languages: (v) => (v ? v.split(",").map((l) => t(`languages.${l}`)).join(", ") : ""),
    interviewerId: (v) => data.researchers.find((r) => r.id === v)?.displayName ?? "",
    durationMinutes: (v) => v,
    status: (v) => t(`statuses.${v}`),
  };
  const formId = conflict ? `edit-interview-${i.id}-${refusalKey(conflict.proposed)}` : `edit-interview-${i.id}-${version}`;
  const [form, fields] = useForm({
    id: formId,
    lastResult: actionData?.saved || conflict ? undefined : actionData?.result,
    defaultValue: conflict
      ? { ...conflict.proposed, languages: conflict.proposed.languages.split(",").filter(Boolean), interpreterName: actionData.typed.interpreterName, removeInterpreter: actionData.typed.removeInterpreter ? "on" : undefined, ground: actionData.typed.ground, note: actionData.typed.note }
      : { date: i.date, placeType: i.placeType, languages: i.languages, interviewerId: i.interviewerId, durationMinutes: i.durationMinutes, status: i.status },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: editInterviewSchema() }),
    shouldRevalidate: "onInput",
  });
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">{t("edit.title")}</h2>
      {actionData?.saved && actionData.keptTheirs.length ? <KeptTheirs labels={actionData.keptTheirs.map((f) => t(label[f]))} /> : null}
      {actionData?.saved && !actionData.keptTheirs.length ? (
        <p className="notice" role="status">
          {tc("saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} key={formId}>
        <CsrfInput />
        <input type="hidden" name="version" value={version} readOnly />
        <BaseInputs values={actionData?.base ?? data.base} />
        {conflict ? <ChangedMeanwhile rows={conflict.conflicts.map((f) => ({ label: t(label[f]), value: shown[f](conflict.current[f]) }))} /> : null}
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
            {i.interpreterPresent ? (
              <>
                <CheckboxField field={fields.removeInterpreter} label={t("edit.interpreterRemove")} />
                <ErasureGroundField ground={fields.ground} note={fields.note} ifDeleting groundHint={t("edit.interpreterGroundHint")} />
              </>
            ) : null}
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
