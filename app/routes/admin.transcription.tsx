import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { cancelTranscription, queueOverview, retryTranscription } from "../transcription/jobs.server.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { formatDateTime } from "../admin/dates.ts";
import { requiredText, validationMessage } from "../utils/validation.ts";
import { isActive, JobError, JobProgress, StatusBadge, usePolling } from "../transcription/job-parts.tsx";
import styles from "../styles/transcription.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const JobSchema = z.object({ intent: z.enum(["cancel", "retry"]), jobId: requiredText(64) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage", "transcription-queue");
  return json(await queueOverview());
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
  usePolling(anyActive, 3000);
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
      {data.model.mode === "embedded" && !data.model.ok ? (
        <section className="model-notice" aria-labelledby="model-title">
          <h2 id="model-title">{t("model.title")}</h2>
          <p>{t(`model.${data.model.reason}`, { path: data.model.path ?? "" })}</p>
          <p>{t("model.howTo")}</p>
        </section>
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
                <tr key={job.id}>
                  <th scope="row">
                    <Link to={`/interviews/${job.interview.id}/transcription`}>{job.interview.code}</Link>
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
