import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { cancelTranscription, queueOverview, retryTranscription } from "../transcription/jobs.server.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { formatDateTime, formatNumber, formatTime } from "../admin/dates.ts";
import { requiredText, validationMessage } from "../utils/validation.ts";
import { isActive, JobError, JobProgress, StatusBadge, usePolling } from "../transcription/job-parts.tsx";
import styles from "../styles/transcription.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const JobSchema = z.object({ intent: z.enum(["cancel", "retry"]), jobId: requiredText(64) });

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "manage", "transcription-queue");
  // The interview's page only for those who may read interviews (not the admin role alone): the code, not a link.
  return json({ ...(await queueOverview()), mayOpenInterview: hasPermission(grant.user, "read", "interview") });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "transcription-queue");
  const form = await readForm(request, grant.user);
  const submission = parseWithZod(form, { schema: JobSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), done: null }, { status: 400 });
  if (submission.value.intent === "cancel") {
    await cancelTranscription(request, grant, submission.value.jobId);
    return json({ result: submission.reply(), done: "admin.cancelled" });
  }
  const retried = await retryTranscription(request, grant, submission.value.jobId);
  if (!retried.ok) {
    const message = retried.error.startsWith("transcription:gate.") ? validationMessage(retried.error, { scope: "transcription" }) : retried.error;
    return json({ result: submission.reply({ formErrors: [message] }), done: null }, { status: 409 });
  }
  return json({ result: submission.reply(), done: "admin.retried" });
}

export default function TranscriptionQueue() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("transcription");
  const { t: ti } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const anyActive = data.rows.some((r) => isActive(r.status));
  // Also without an active job, more slowly: a worker that dies or starts while idle shows without a reload.
  usePolling(true, anyActive ? 3000 : 15_000);
  const busy = navigation.state !== "idle";
  const errors = actionData?.result.error?.[""]?.map((e) => {
    const [key, params] = e.split("|");
    const values = params ? (JSON.parse(params) as Record<string, string>) : {};
    return values.scope ? `${key}|${JSON.stringify({ ...values, scope: ti(`scopes.${values.scope}`) })}` : e;
  });
  const languageLabel = (code: string) => (code === "auto" ? t("languages.auto") : ti(`languages.${code}`, { defaultValue: code }));
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <p className="muted">{t("admin.intro")}</p>
      {data.model.mode === "embedded" && !data.model.ok && data.workerModels.length === 0 ? (
        <section className="model-notice" aria-labelledby="model-title">
          <h2 id="model-title">{t("model.title")}</h2>
          <p>{t(`model.${data.model.reason}`, { path: data.model.path ?? "" })}</p>
          <p>{t("model.howTo")}</p>
        </section>
      ) : data.model.mode === "embedded" && !data.model.ok ? (
        // Scale-out: this server has no model, but live workers have theirs.
        <p className="muted">{t("model.elsewhere", { names: data.workerModels.join(", ") })}</p>
      ) : data.model.mode === "embedded" ? (
        <p className="muted">{t("model.ok", { name: data.model.name })}</p>
      ) : (
        <p className="muted">{t("model.off")}</p>
      )}
      <p role="status">{t("admin.summary", { queued: data.counts.queued ?? 0, running: data.counts.running ?? 0, failed: data.counts.failed ?? 0 })}</p>
      {actionData?.done ? (
        <p className="notice" role="status">
          {t(actionData.done)}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <Workers workers={data.workers} warning={data.warning} />
      {data.rows.length ? (
        <div className="table-wrap">
          <table className="jobs-table">
            <caption>{t("admin.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.interview")}</th>
                <th scope="col">{t("history.status")}</th>
                <th scope="col">{t("history.progress")}</th>
                <th scope="col">{t("history.language")}</th>
                <th scope="col">{t("admin.worker")}</th>
                <th scope="col" className="num">
                  {t("admin.attempts")}
                </th>
                <th scope="col">{t("admin.created")}</th>
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((job) => (
                <tr key={job.id} id={`job-${job.id}`}>
                  <th scope="row">
                    {data.mayOpenInterview ? <Link to={`/interviews/${job.interview.id}/transcription`}>{job.interview.code}</Link> : job.interview.code}
                  </th>
                  <td>
                    <StatusBadge status={job.status} />
                    {job.stale ? <span className="job-error"> ({t("admin.stale")})</span> : null}
                  </td>
                  <td>{isActive(job.status) ? <JobProgress job={job} /> : <JobError error={job.error} />}</td>
                  <td>{languageLabel(job.language)}</td>
                  <td className="worker">
                    {job.leaseOwner ?? tc("none")}
                    {job.model ? (
                      <>
                        <br />
                        <span className="muted">
                          {job.model}, {job.threads} × CPU
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td className="num">{job.attempts}</td>
                  <td>
                    <time dateTime={job.createdAt}>{formatDateTime(job.createdAt, i18n.language)}</time>
                  </td>
                  <td>
                    {isActive(job.status) && !job.cancelRequested ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="jobId" value={job.id} />
                        <button type="submit" name="intent" value="cancel" className="danger" disabled={busy} aria-label={`${t("actions.cancel")}: ${job.interview.code}`}>
                          {t("actions.cancel")}
                        </button>
                      </Form>
                    ) : job.status === "failed" || job.status === "cancelled" ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="jobId" value={job.id} />
                        <button type="submit" name="intent" value="retry" className="secondary" disabled={busy} aria-label={`${t("actions.retry")}: ${job.interview.code}`}>
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
        <p className="muted">{t("admin.none")}</p>
      )}
    </>
  );
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

/** Which workers run, on which machine, with which model (ADR 0007 "Workers seen"); no interview data. */
function Workers({ workers, warning }: Pick<PageData, "workers" | "warning">) {
  const { t, i18n } = useTranslation("transcription");
  const lang = i18n.language;
  return (
    <section aria-labelledby="workers-title">
      <h2 id="workers-title">{t("admin.workers.title")}</h2>
      <p className="muted">{t("admin.workers.intro")}</p>
      {warning ? (
        <p className="model-notice" role="alert">
          {t(`admin.workers.${warning}`)}
        </p>
      ) : null}
      {workers.length ? (
        <div className="table-wrap">
          <table className="workers-table">
            <caption>{t("admin.workers.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.workers.id")}</th>
                <th scope="col">{t("admin.workers.state")}</th>
                <th scope="col">{t("admin.workers.host")}</th>
                <th scope="col" className="num">
                  {t("admin.workers.pid")}
                </th>
                <th scope="col">{t("admin.workers.model")}</th>
                <th scope="col" className="num">
                  {t("admin.workers.threads")}
                </th>
                <th scope="col">{t("admin.workers.job")}</th>
                <th scope="col">{t("admin.workers.started")}</th>
                <th scope="col">{t("admin.workers.lastSeen")}</th>
              </tr>
            </thead>
            <tbody>
              {workers.map((w) => (
                <tr key={w.id} data-state={w.state}>
                  <th scope="row" className="worker">
                    {w.id}
                    {w.embedded ? <span className="muted"> ({t("admin.workers.embedded")})</span> : null}
                  </th>
                  <td className={w.state === "silent" ? "job-error" : undefined}>
                    {w.state === "silent"
                      ? t("admin.workers.silent", { time: formatTime(w.lastSeenAt, lang) })
                      : w.state === "stopped"
                        ? t("admin.workers.stopped", { time: formatTime(w.stoppedAt ?? w.lastSeenAt, lang) })
                        : t(`admin.workers.${w.state}`)}
                  </td>
                  <td>{w.host}</td>
                  <td className="num">{w.pid}</td>
                  <td>
                    {w.modelName ? (
                      <>
                        {w.modelName} <span className="muted">({formatNumber(Math.round((w.modelBytes ?? 0) / 1048576), lang)} MB)</span>
                      </>
                    ) : (
                      <span className="job-error">
                        {w.modelProblem
                          ? t("admin.workers.modelNoneBecause", { reason: t(`admin.workers.problem.${w.modelProblem}`, { defaultValue: w.modelProblem }) })
                          : t("admin.workers.modelNone")}
                      </span>
                    )}
                  </td>
                  <td className="num">{w.threads}</td>
                  <td>{w.jobId ? <a href={`#job-${w.jobId}`}>{w.jobId}</a> : null}</td>
                  <td>
                    <time dateTime={w.startedAt}>{formatDateTime(w.startedAt, lang)}</time>
                  </td>
                  <td>
                    <time dateTime={w.lastSeenAt}>{formatDateTime(w.lastSeenAt, lang)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("admin.workers.none")}</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
