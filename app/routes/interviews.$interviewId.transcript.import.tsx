import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { z } from "zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { readForm } from "../auth/csrf.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { findInterview, importTranscript, loadTranscript, playableRecordings } from "../transcripts/transcripts.server.ts";
import { detectFormat, parseTranscriptFile, TranscriptParseError } from "../transcripts/formats/index.server.ts";
import { IMPORT_FORMATS } from "../transcripts/formats/types.ts";
import { importSchema, MAX_IMPORT_BYTES } from "../transcripts/schemas.ts";
import { validationMessage } from "../utils/validation.ts";
import { CheckboxField } from "../interviews/interview-form-parts.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { db } from "../db/client.server.ts";

async function pageState(request: Request, interviewId: string) {
  const grant = await requirePermission(request, "write", "transcript");
  const interview = await findInterview(grant, interviewId);
  const [existing, recordings, gate, externalGate] = await Promise.all([
    loadTranscript(grant, interview.id),
    playableRecordings(grant, interview.id),
    mayProcess(interview.id, "transcription"),
    mayProcess(interview.id, "externalTranscription"),
  ]);
  return { grant, interview, existing, recordings, gate, externalGate };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { interview, existing, recordings, gate, externalGate } = await pageState(request, params.interviewId ?? "");
  // Codings follow a replaced text where its words stay; the person should know how many are at stake.
  const codings = existing ? await db.coding.count({ where: { interviewId: interview.id, orphaned: false } }) : 0;
  return json({
    interviewId: interview.id,
    existing: existing ? { version: existing.version, paragraphs: existing.paragraphs.length, checked: existing.checkedAt !== null, codings } : null,
    recordings: recordings.length,
    gate,
    externalAllowed: externalGate.ok,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { grant, interview, existing, gate, externalGate } = await pageState(request, params.interviewId ?? "");
  const schema = importSchema(existing !== null, externalGate.ok);
  // The whole form is read into memory: refuse what cannot be a transcript before reading it.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) {
    return json({ result: { status: "error" as const, error: { file: [validationMessage("transcripts:import.errors.tooLarge", { mb: MAX_IMPORT_BYTES / 1024 / 1024 })] } } }, { status: 413 });
  }
  const form = await readForm(request, grant.user);
  const submission = parseWithZod(form, { schema });
  if (!gate.ok) return json({ result: submission.reply({ formErrors: [`transcripts:gate.${gate.reason}`] }) }, { status: 403 });
  // A chosen file without content (Conform reads it as no file at all): say that it is empty.
  const raw = form.get("file");
  if (raw instanceof File && raw.name && raw.size === 0) {
    return json({ result: submission.reply({ fieldErrors: { file: [validationMessage("transcripts:import.errors.emptyFile", { name: raw.name })] }, hideFields: ["file"] }) }, { status: 400 });
  }
  if (submission.status !== "success") {
    const consentMissing = submission.error?.origin?.includes("transcripts:import.originExternalMissing");
    return json({ result: submission.reply({ hideFields: ["file"] }) }, { status: consentMissing ? 403 : 400 });
  }
  const { file, mergeSameSpeaker, replace, origin } = submission.value;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = submission.value.format === "auto" ? detectFormat(file.name, bytes) : submission.value.format;
  let paragraphs;
  try {
    paragraphs = await parseTranscriptFile(format, bytes, { mergeSameSpeaker: Boolean(mergeSameSpeaker) });
  } catch (error) {
    if (!(error instanceof TranscriptParseError)) throw error;
    // A format chosen by hand that the file is not (a .docx read as SRT): the choice is the problem.
    const detected = detectFormat(file.name, bytes);
    if (submission.value.format !== "auto" && detected !== format) {
      const message = validationMessage("transcripts:import.errors.formatMismatch", { chosen: format.toUpperCase(), detected: detected.toUpperCase() });
      return json({ result: submission.reply({ fieldErrors: { format: [message] }, hideFields: ["file"] }) }, { status: 422 });
    }
    const what = validationMessage(`transcripts:import.errors.${error.code}`, { format: format.toUpperCase() });
    // A file that is no text at all has no line to point to.
    const where = error.code === "notText" ? [] : [validationMessage(`transcripts:import.where.${format === "docx" ? "paragraph" : "line"}`, { line: error.line })];
    return json({ result: submission.reply({ fieldErrors: { file: [...where, what] }, hideFields: ["file"] }) }, { status: 422 });
  }
  const result = await importTranscript(request, grant, interview.id, paragraphs, { format, replace: Boolean(replace), origin });
  if (!result.ok) {
    // Someone created or changed the transcript meanwhile: ask again, now with the confirmation.
    const message = result.reason === "exists" ? "transcripts:import.confirmRequired" : "transcripts:save.conflict";
    return json({ result: submission.reply({ fieldErrors: { replace: [message] }, hideFields: ["file"] }) }, { status: 409 });
  }
  return redirect(`/interviews/${interview.id}/transcript?imported=${result.version}`);
}

export default function TranscriptImport() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("transcripts");
  const [form, fields] = useForm<z.input<ReturnType<typeof importSchema>>>({
    lastResult: actionData?.result,
    // The browser checks presence, size and the confirmation; the content is read on the server.
    onValidate: ({ formData }) => {
      // A chosen but empty file reads as "no file" here ("please choose a file"): the server names it as empty.
      const file = formData.get("file");
      if (file instanceof File && file.name && file.size === 0) return parseWithZod(formData, { schema: z.any() });
      return parseWithZod(formData, { schema: importSchema(data.existing !== null, data.externalAllowed) });
    },
    shouldValidate: "onSubmit",
  });
  const busy = navigation.state === "submitting";
  // The radios carry the error (once each, not also the fieldset); the hint goes while the error says the same.
  const originError = fields.origin.errors?.length ? fields.origin.errorId : undefined;
  const originInvalid = originError ? { "aria-invalid": true as const } : {};
  const externalMissingShown = fields.origin.errors?.includes("transcripts:import.originExternalMissing") ?? false;
  const externalHint = data.externalAllowed ? t("import.originExternalHint") : externalMissingShown ? null : t("import.originExternalMissing");
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t("import.title")}</h2>
      <p>{t("import.intro")}</p>
      <ul className="muted">
        <li>{t("import.formats.txt")}</li>
        <li>{t("import.formats.docx")}</li>
        <li>{t("import.formats.srt")}</li>
        <li>{t("import.formats.vtt")}</li>
      </ul>
      <p className="muted">{data.recordings ? t("import.withRecording", { count: data.recordings }) : t("import.withoutRecording")}</p>
      {!data.gate.ok ? (
        <p className="gate-note" role="note">
          {t(`gate.${data.gate.reason}`)}
        </p>
      ) : (
        <Form method="post" encType="multipart/form-data" className="card import-form" {...getFormProps(form)}>
          <CsrfInput />
          <FormErrors errors={form.errors} id={form.errorId} />
          <div className="field">
            <label htmlFor={fields.file.id}>{t("import.file")}</label>
            <div id={`${fields.file.id}-hint`} className="muted">
              {t("import.fileHint", { mb: 20 })}
            </div>
            <input {...getInputProps(fields.file, { type: "file", ariaDescribedBy: `${fields.file.id}-hint` })} accept=".txt,.docx,.srt,.vtt,text/plain,text/vtt,application/x-subrip,application/vnd.openxmlformats-officedocument.wordprocessingml.document" />
            <ErrorText id={fields.file.errorId} errors={fields.file.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.format.id}>{t("import.format")}</label>
            <select {...getSelectProps(fields.format)} defaultValue="auto">
              <option value="auto">{t("import.formatAuto")}</option>
              {IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`export.formats.${f}`)}
                </option>
              ))}
            </select>
            <ErrorText id={fields.format.errorId} errors={fields.format.errors} />
          </div>
          <fieldset>
            <legend>{t("import.origin")}</legend>
            <label className="checkbox-row">
              <input type="radio" name={fields.origin.name} value="own" defaultChecked={fields.origin.initialValue === "own"} {...originInvalid} aria-describedby={originError} />
              {t("import.originOwn")}
            </label>
            <label className="checkbox-row">
              <input
                type="radio"
                name={fields.origin.name}
                value="external"
                defaultChecked={fields.origin.initialValue === "external"}
                {...originInvalid}
                aria-describedby={[externalHint ? `${fields.origin.id}-external-hint` : null, originError].filter(Boolean).join(" ") || undefined}
              />
              {t("import.originExternal")}
            </label>
            {externalHint ? (
              <div id={`${fields.origin.id}-external-hint`} className="muted">
                {externalHint}
              </div>
            ) : null}
            <ErrorText id={fields.origin.errorId} errors={fields.origin.errors} />
          </fieldset>
          <CheckboxField field={fields.mergeSameSpeaker} label={t("import.mergeSameSpeaker")} hint={t("import.mergeSameSpeakerHint")} />
          {data.existing ? (
            <div className="replace-warning">
              <p>
                <strong>{t("import.existing", { count: data.existing.paragraphs, version: data.existing.version })}</strong>{" "}
                {data.existing.checked ? t("import.existingChecked") : null}
              </p>
              {data.existing.codings ? <p>{t("import.existingCodings", { count: data.existing.codings })}</p> : null}
              <CheckboxField field={fields.replace} label={t("import.replace")} hint={t("import.replaceHint")} />
            </div>
          ) : null}
          <button type="submit" disabled={busy}>
            {busy ? t("import.busy") : t("import.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
