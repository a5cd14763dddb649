// Pieces shared by the interview's transcription page and the admins' queue page: status in words (colour
// only repeats it), progress with time left, the stored failure reason translated, and live polling.
import { useEffect, useRef, useState } from "react";
import { useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { translateError } from "../components/forms.tsx";
import { formatDuration } from "../interviews/format.ts";

export type JobView = {
  id: string;
  status: string;
  progress: number;
  etaSeconds: number | null;
  error: string | null;
  cancelRequested: boolean;
  /** queued jobs: minutes waited so far (from the server) */
  waitingMinutes?: number;
  /** running, but its worker's lease ran out: it waits for a worker to take it over (from the server) */
  waitingForWorker?: boolean;
  /** waiting, and the live workers have no model: only an administrator can help (from the server) */
  waitingForModel?: boolean;
  /** waiting, no worker reports at all and this server has no model: an administrator must start one with a model */
  waitingForWorkerWithModel?: boolean;
};

/** From this long in the queue on, the page asks whether a transcription worker runs at all. */
export const LONG_WAIT_MINUTES = 10;

export const isActive = (status: string) => status === "queued" || status === "running";

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("transcription");
  return <span className={`badge job-${status}`}>{t(`statuses.${status}`, { defaultValue: status })}</span>;
}

/** "about 3 minutes" in the page's language. */
export function formatEta(seconds: number, language: string): string {
  const unit = (value: number, u: "second" | "minute" | "hour") => new Intl.NumberFormat(language, { style: "unit", unit: u, unitDisplay: "long", maximumFractionDigits: 0 }).format(value);
  const fives = Math.max(5, Math.ceil(seconds / 5) * 5);
  if (fives < 60) return unit(fives, "second");
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), "minute");
  const h = Math.floor(seconds / 3600);
  const m = Math.ceil((seconds % 3600) / 60);
  return m ? `${unit(h, "hour")} ${unit(m, "minute")}` : unit(h, "hour");
}

export function JobProgress({ job, labelledBy }: { job: JobView; labelledBy?: string }) {
  const { t, i18n } = useTranslation("transcription");
  const percent = Math.floor(job.progress * 100);
  let detail: string;
  if (job.cancelRequested && isActive(job.status)) detail = t("current.cancelRequested");
  // No free worker would help: every live one lacks a model, and only an administrator can install it.
  else if (job.waitingForModel) detail = t("current.waitingForModel");
  else if (job.waitingForWorkerWithModel) detail = t("current.waitingForWorkerWithModel");
  // Back in the queue with work done (its worker stopped, or its engine died): it continues after the last checkpoint.
  else if (job.status === "queued") {
    detail = job.progress > 0 ? t("current.interrupted") : t("current.waiting");
    if ((job.waitingMinutes ?? 0) >= LONG_WAIT_MINUTES) detail = `${detail} ${t("current.waitingLong", { minutes: job.waitingMinutes })}`;
  }
  else if (job.status === "running" && job.waitingForWorker) detail = t("current.waitingForWorker");
  else if (job.status === "running") detail = job.etaSeconds === null ? t("current.etaUnknown") : t("current.eta", { time: formatEta(job.etaSeconds, i18n.language) });
  else detail = "";
  return (
    <div className="job-progress">
      <progress max={100} value={percent} aria-labelledby={labelledBy} aria-valuetext={`${t("current.percent", { percent })} ${detail}`.trim()} />
      <span className="num">{t("current.percent", { percent })}</span>
      {detail ? <span className="muted">{detail}</span> : null}
    </div>
  );
}

export function JobError({ error }: { error: string | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <span className="job-error">{translateError(t, error)}</span>;
}

/** What a finished run produced (app/transcription/jobs.server.ts withSummary). */
export type JobSummaryView = {
  model: string | null;
  randomWeights: boolean;
  durationMs: number | null;
  runMs: number | null;
  segments: number | null;
  paragraphs: number | null;
  words: number | null;
  language: string | null;
};

/** A finished run in one short list: model file, recording and run time, what came out, and in which language. */
export function JobSummary({ summary, chosen, languageLabel }: { summary: JobSummaryView; chosen: string; languageLabel: (code: string) => string }) {
  const { t, i18n } = useTranslation("transcription");
  const n = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const language =
    summary.language === null
      ? t("summary.languageNone")
      : summary.language === chosen
        ? t("summary.language", { language: languageLabel(summary.language) })
        : chosen === "auto"
          ? t("summary.languageDetected", { language: languageLabel(summary.language) })
          : t("summary.languageDetectedInstead", { language: languageLabel(summary.language), chosen: languageLabel(chosen) });
  return (
    <div className="job-summary">
      <ul>
        {summary.model ? <li>{t("summary.model", { name: summary.model })}</li> : null}
        {summary.durationMs !== null ? <li>{t("summary.recording", { duration: formatDuration(summary.durationMs) })}</li> : null}
        {summary.runMs !== null ? <li>{t("summary.run", { duration: formatDuration(summary.runMs) })}</li> : null}
        {summary.paragraphs !== null && summary.segments !== null ? <li>{t("summary.paragraphs", { count: summary.paragraphs, n: n(summary.paragraphs), segments: t("summary.segments", { count: summary.segments, n: n(summary.segments) }) })}</li> : null}
        {summary.words !== null ? <li>{t("summary.words", { count: summary.words, n: n(summary.words) })}</li> : null}
        <li>{language}</li>
      </ul>
      {/* The worker warns about such a model in its log; the researcher sees the text and must not take it for one. */}
      {summary.randomWeights ? (
        <p className="summary-warning" role="note">
          {t("summary.randomWeights", { name: summary.model })}
        </p>
      ) : null}
    </div>
  );
}

/** Reloads the page data every `ms` while `active`, and only while the tab is visible. */
export function usePolling(active: boolean, ms = 2000) {
  const revalidator = useRevalidator();
  const state = useRef(revalidator);
  state.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && state.current.state === "idle") state.current.revalidate();
    }, ms);
    return () => clearInterval(timer);
  }, [active, ms]);
}

/** Text for a polite live region when a job starts or ends (not every percent: that would flood a screen reader). */
export function useStatusAnnouncement(job: { id: string; status: string } | undefined): string {
  const { t } = useTranslation("transcription");
  const previous = useRef<{ id: string; status: string } | undefined>(job);
  const [message, setMessage] = useState("");
  useEffect(() => {
    const before = previous.current;
    previous.current = job;
    if (!job || (before?.id === job.id && before.status === job.status)) return;
    if (before?.id !== job.id && isActive(job.status)) setMessage(t("start.started"));
    else if (before?.id === job.id && isActive(before.status) && !isActive(job.status)) setMessage(t(`announce.${job.status}`, { defaultValue: "" }));
  }, [job, t]);
  return message;
}
