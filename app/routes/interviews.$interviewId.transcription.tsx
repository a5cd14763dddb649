import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { cancelTranscription, retryTranscription, startTranscription, transcriptionPage } from "../transcription/jobs.server.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { formatDateTime, formatDuration } from "../interviews/format.ts";
import { recordingsWithdrawnAt } from "../withdrawal/withdraw.server.ts";
import { choice, requiredText, validationMessage } from "../utils/validation.ts";
import { ENGINE_UNSUPPORTED, TRANSCRIPTION_LANGUAGES } from "../../transcription/languages.ts";
import { isActive, JobError, JobProgress, JobSummary, StatusBadge, useStatusAnnouncement, usePolling } from "../transcription/job-parts.tsx";
import styles from "../styles/transcription.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const StartSchema = z.object({
  intent: z.literal("start"),
  recordingId: requiredText(64),
  language: choice(TRANSCRIPTION_LANGUAGES),
});
const JobSchema = z.object({ intent: z.enum(["cancel", "retry"]), jobId: requiredText(64) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "interview");
  const data = await transcriptionPage(grant, params.interviewId ?? "");
  const recordingsWithdrawn = data.recordings.length ? null : await recordingsWithdrawnAt(params.interviewId ?? "");
  return json({ ...data, recordingsWithdrawn, canTranscribe: hasPermission(grant.user, "transcribe", "interview"), canSetUpModel: hasPermission(grant.user, "manage", "transcription-queue") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "transcribe", "interview");
  const interviewId = params.interviewId ?? "";
  const form = await readForm(request, grant.user);
  if (form.get("intent") === "start") {
    const submission = parseWithZod(form, { schema: StartSchema });
    if (submission.status !== "success") return json({ result: submission.reply(), done: null }, { status: 400 });
    const started = await startTranscription(request, grant, interviewId, submission.value);
    if (!started.ok) {
      // A consent refusal names the missing scope; the page translates the scope's name.
      if (started.error.startsWith("transcription:gate.")) return json({ result: submission.reply({ formErrors: [validationMessage(started.error, { scope: "transcription" })] }), done: null }, { status: 403 });
      return json({ result: submission.reply({ fieldErrors: { recordingId: [started.error] } }), done: null }, { status: 400 });
    }
    return json({ result: submission.reply({ resetForm: true }), done: started.created ? "transcription:start.started" : "transcription:start.alreadyRunning" });
  }
  const submission = parseWithZod(form, { schema: JobSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), done: null }, { status: 400 });
  if (submission.value.intent === "cancel") {
    await cancelTranscription(request, grant, submission.value.jobId, interviewId);
    return json({ result: submission.reply(), done: null });
  }
  const retried = await retryTranscription(request, grant, submission.value.jobId, interviewId);
  if (!retried.ok) {
    const message = retried.error.startsWith("transcription:gate.") ? validationMessage(retried.error, { scope: "transcription" }) : retried.error;
    return json({ result: submission.reply({ formErrors: [message] }), done: null }, { status: 409 });
  }
  return json({ result: submission.reply(), done: null });
}

function displayLanguage(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language", fallback: "code" }).of(code) ?? code;
  } catch {
    return code; // not a language code at all
  }
}

export default function InterviewTranscription() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("transcription");
  const { t: ti } = useTranslation("interviews");
  const latest = data.jobs[0];
  const active = latest && isActive(latest.status) ? latest : undefined;
  usePolling(Boolean(active));
  const announcement = useStatusAnnouncement(latest ? { id: latest.id, status: latest.status } : undefined);
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: StartSchema }),
    shouldRevalidate: "onInput",
    defaultValue: { recordingId: data.recordings[0]?.id ?? "", language: data.languageDefault.language },
  });
  // A detected language outside the interview list (whisper knows 99) is named by the browser's own list.
  const languageLabel = (code: string) => (code === "auto" ? t("languages.auto") : ti(`languages.${code}`, { defaultValue: displayLanguage(code, i18n.language) }));
  const languageList = (codes: readonly string[]) => new Intl.ListFormat(i18n.language, { type: "conjunction" }).format(codes.map(languageLabel));
  // Why the form preselects what it does, and, for a language whisper does not know, what happens instead.
  const preset = data.languageDefault;
  const presetHint =
    preset.reason === "single"
      ? preset.unsupported.length
        ? t("languageDefault.singleBeside", { language: languageLabel(preset.language), others: languageList(preset.unsupported) })
        : t("languageDefault.single", { language: languageLabel(preset.language) })
      : preset.reason === "multilingual" || preset.reason === "unsupported"
        ? t(`languageDefault.${preset.reason}`, { languages: languageList(preset.languages) })
        : t(`languageDefault.${preset.reason}`);
  const chosenLanguage = fields.language.value ?? preset.language;
  const chosenUnsupported = (ENGINE_UNSUPPORTED as readonly string[]).includes(chosenLanguage);
  const recordingName = (id: string) => data.recordings.find((r) => r.id === id)?.displayName ?? "–";
  const gate = data.gate;
  const busy = navigation.state !== "idle";
  const canStart = data.canTranscribe && gate.ok && !active && data.recordings.length > 0;
  const gateText = gate.ok ? "" : gate.reason === "withdrawn" ? t("gate.withdrawn") : t(`gate.${gate.reason}`, { scope: ti(`scopes.${gate.missing}`) });
  // A refusal's parameter `scope` is a consent scope id: put in its name before the message is translated.
  const formErrors = form.errors?.map((e) => {
    const [key, params] = e.split("|");
    const values = params ? (JSON.parse(params) as Record<string, string>) : {};
    return values.scope ? `${key}|${JSON.stringify({ ...values, scope: ti(`scopes.${values.scope}`) })}` : e;
  });

  return (
    <>
      <h2>{t("title")}</h2>
      <p className="muted">{t("intro")}</p>
      {/* Start, end and action results are announced; the page itself shows the job (polling would clear a notice). */}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement || (actionData?.done ? t(actionData.done.replace(/^transcription:/, "")) : "")}
      </p>

      {data.model.mode === "embedded" && !data.model.ok ? (
        <section className="model-notice" aria-labelledby="model-title">
          <h3 id="model-title">{t("model.title")}</h3>
          <p>{t(`model.${data.model.reason}`, { path: data.model.path ?? "" })}</p>
          {/* Only administrators can edit .env and restart; a researcher is told whom to ask. */}
          <p>{data.canSetUpModel ? t("model.howTo") : t("model.askAdmin")}</p>
          <p className="muted">{t("model.queuedMeanwhile")}</p>
        </section>
      ) : null}

      {!gate.ok ? (
        <p className="gate-note" role="note">
          {gateText}
        </p>
      ) : null}

      {active ? (
        <section className="card job-card" aria-labelledby="current-title">
          <h3 id="current-title">
            {t("current.title")} <StatusBadge status={active.status} />
          </h3>
          <p className="muted">
            {recordingName(active.recordingId)} · {languageLabel(active.language)}
            {active.durationMs ? ` · ${t("current.recordingLength", { duration: formatDuration(active.durationMs) })}` : ""}
            {active.attempts > 1 ? ` · ${t("current.attempt", { count: active.attempts })}` : ""}
          </p>
          <JobProgress job={active} labelledBy="current-title" />
          {data.canTranscribe && !active.cancelRequested ? (
            <Form method="post" className="actions-row">
              <CsrfInput />
              <input type="hidden" name="jobId" value={active.id} />
              <button type="submit" name="intent" value="cancel" className="danger" disabled={busy}>
                {t("actions.cancel")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {data.transcript ? (
        <section className="card job-card" aria-labelledby="transcript-title">
          <h3 id="transcript-title">{t("transcript.title")}</h3>
          <p>
            {t("transcript.exists", { count: data.transcript.paragraphs, version: data.transcript.version })} <span className="muted">({t(`transcript.sources.${data.transcript.source}`, { defaultValue: data.transcript.source })})</span>
          </p>
          <p>
            <Link to={`/interviews/${data.interview.id}/transcript`}>{t("actions.openTranscript")}</Link>
          </p>
        </section>
      ) : null}

      {canStart ? (
        <section className="card job-card" aria-labelledby="start-title">
          <h3 id="start-title">{t("start.title")}</h3>
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="start" />
            <FormErrors errors={formErrors} id={form.errorId} />
            <SelectField field={fields.recordingId} label={t("start.recording")} options={data.recordings.map((r) => ({ value: r.id, label: r.durationMs ? `${r.displayName} (${formatDuration(r.durationMs)})` : r.displayName }))} />
            <SelectField field={fields.language} label={t("start.language")} hint={presetHint} options={TRANSCRIPTION_LANGUAGES.map((code) => ({ value: code, label: ENGINE_UNSUPPORTED.includes(code) ? t("languageUnsupportedOption", { language: languageLabel(code) }) : languageLabel(code) }))} />
            {chosenUnsupported ? (
              <p className="language-note" role="note">
                {t("languageUnsupported", { language: languageLabel(chosenLanguage) })}
              </p>
            ) : null}
            {data.transcript ? (
              // Checked or coded work is at stake: say so where it is seen, not in small print.
              <div className={data.transcript.checked || data.transcript.codings ? "replace-warning" : "muted"} role="note">
                <p>
                  {t("start.replaceNote")} {data.transcript.checked ? t("start.replaceChecked") : null}
                </p>
                {data.transcript.codings ? <p>{t("start.replaceCodings", { count: data.transcript.codings })}</p> : null}
              </div>
            ) : null}
            <button type="submit" disabled={busy}>
              {t("start.submit")}
            </button>
          </Form>
        </section>
      ) : !active && data.canTranscribe && gate.ok && data.recordings.length === 0 ? (
        <p className="muted">{data.recordingsWithdrawn ? t("start.recordingsWithdrawn", { date: formatDateTime(data.recordingsWithdrawn, i18n.language) }) : t("start.noRecordings")}</p>
      ) : null}
      {!canStart && formErrors?.length ? <FormErrors errors={formErrors} /> : null}

      <section aria-labelledby="history-title">
        <h3 id="history-title">{t("history.title")}</h3>
        {data.jobs.length ? (
          <div className="table-wrap">
            <table className="jobs-table">
              <caption className="visually-hidden">{t("history.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("history.created")}</th>
                  <th scope="col">{t("history.recording")}</th>
                  <th scope="col">{t("history.language")}</th>
                  <th scope="col">{t("history.status")}</th>
                  <th scope="col">{t("history.result")}</th>
                </tr>
              </thead>
              <tbody>
                {data.jobs.map((job, i) => (
                  <tr key={job.id}>
                    <th scope="row">
                      <time dateTime={job.createdAt}>{formatDateTime(job.createdAt, i18n.language)}</time>
                    </th>
                    <td>{recordingName(job.recordingId)}</td>
                    <td>{languageLabel(job.language)}</td>
                    <td>
                      <StatusBadge status={job.status} />
                    </td>
                    <td>
                      {isActive(job.status) ? <JobProgress job={job} /> : <JobError error={job.error} />}
                      {job.summary ? <JobSummary summary={job.summary} chosen={job.language} languageLabel={languageLabel} /> : null}
                      {i === 0 && data.canTranscribe && gate.ok && (job.status === "failed" || job.status === "cancelled") ? (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="jobId" value={job.id} />
                          <button type="submit" name="intent" value="retry" className="secondary" disabled={busy}>
                            {t("actions.retry")}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("history.none")}</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
