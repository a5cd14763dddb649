import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { getInterviewOverview } from "../interviews/interviews.server.ts";
import { mayReadInterviewIdentity, readInterpreterName } from "../interviews/interview-identity.server.ts";
import { currentConsent, grantedScopes } from "../interviews/consent.server.ts";
import { pendingWithdrawal, recordingsWithdrawnAt } from "../withdrawal/withdraw.server.ts";
import { mayProcess, mayRecontact, mayTranscribeExternally } from "../consent/gates.server.ts";
import { RecontactNote } from "../interviews/recontact-note.tsx";
import { useFormatDate } from "../cases/format.ts";
import { ScopeList } from "../interviews/scope-list.tsx";
import { formatBytes, formatDuration } from "../interviews/format.ts";
import { RecordingPlayer } from "../recordings/recording-player.tsx";
import { RecordingUpload } from "../recordings/recording-upload.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { erasureSchema } from "../consent/erasure-grounds.ts";
import { ErasureForm } from "../consent/erasure-ground-field.tsx";
import { readForm } from "../auth/csrf.server.ts";
import { deleteRecording } from "../recordings/delete.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "interview");
  const interviewId = params.interviewId ?? "";
  const overview = await getInterviewOverview(interviewId);
  const [consent, recordingGate, externalGate, recontact, pending, mayReadIdentity, recordingsWithdrawn] = await Promise.all([
    currentConsent(interviewId),
    mayProcess(interviewId, "recording"),
    mayTranscribeExternally(interviewId),
    mayRecontact(overview.caseId),
    pendingWithdrawal(interviewId),
    mayReadInterviewIdentity(grant.user, overview.caseId),
    recordingsWithdrawnAt(interviewId),
  ]);
  // The name is decrypted (and the read audited) only on request, like the case register's identity tab.
  const showInterpreter = mayReadIdentity && new URL(request.url).searchParams.get("interpreter") === "1";
  const interpreterName = showInterpreter ? await readInterpreterName(request, grant.user, { id: interviewId, caseId: overview.caseId }) : undefined;
  const { caseId: _caseId, ...shown } = overview;
  return json(
    {
      interview: shown,
      consent: consent ? { version: consent.version, givenAt: consent.givenAt, scopes: grantedScopes(consent) } : null,
      recordingGate,
      // Handing the file to an external service is offered only with that scope; whisper here does not need it.
      canDownloadExternal: hasPermission(grant.user, "transcribe", "interview") && externalGate.ok,
      externalRefused: hasPermission(grant.user, "transcribe", "interview") && recordingGate.ok && !externalGate.ok,
      // Where a follow-up would be planned: the person's latest consent decides (mayRecontact).
      recontact,
      canPlanFollowUp: hasPermission(grant.user, "write", "interview") && recontact.ok,
      recordingsWithdrawn,
      canUpload: hasPermission(grant.user, "write", "recording") && recordingGate.ok,
      // Deleting needs no consent: it is what a missing consent asks for.
      canDelete: hasPermission(grant.user, "write", "recording"),
      mayReadIdentity,
      interpreterName: interpreterName ?? null,
      pending: pending !== null,
      canWithdraw: hasPermission(grant.user, "withdraw", "interview"),
    },
    showInterpreter ? { headers: { "Cache-Control": "no-store" } } : undefined,
  );
}

/** Deletes a recording that is no longer needed (app/recordings/delete.server.ts). */
export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "recording");
  const form = await readForm(request, grant.user);
  const recordingId = String(form.get("recordingId") ?? "");
  if (form.get("intent") !== "delete-recording" || !recordingId) return json({ deleted: null, deletedId: null, refused: "unknown" as const }, { status: 400 });
  const erasure = parseWithZod(form, { schema: erasureSchema });
  // No legal ground: nothing is deleted; this recording's form opens again with the message and the note as typed.
  if (erasure.status !== "success") return json({ deleted: null, deletedId: null, refused: "ground" as const, recordingId, result: erasure.reply() }, { status: 400 });
  const result = await deleteRecording(request, grant.user, params.interviewId ?? "", recordingId, erasure.value);
  return result.ok ? json({ deleted: result.name, deletedId: recordingId, refused: null }) : json({ deleted: null, deletedId: null, refused: result.reason }, { status: 409 });
}

export default function InterviewOverview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const deleting = useNavigation().formData?.get("intent") === "delete-recording";
  const refusedDelete = actionData && "result" in actionData ? actionData : null;
  const { t, i18n } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const i = data.interview;
  const gate = data.recordingGate;
  // Remix hands over the action's answer a moment before the reloaded page data: the deleted one is not shown meanwhile.
  const recordings = i.recordings.filter((r) => r.id !== actionData?.deletedId);
  const layout = useRouteLoaderData("routes/interviews.$interviewId") as { interview: { casePseudonym: string } } | undefined;
  return (
    <>
      {data.pending ? (
        <p className="form-error" role="alert">
          {t("withdraw.pendingNotice")}{" "}
          {data.canWithdraw ? (
            <Link to={`/interviews/${i.id}/withdraw`} prefetch="none">
              {t("withdraw.resumeLink")}
            </Link>
          ) : null}
        </p>
      ) : null}
      <div className="grid-2">
        <section className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">{t("overview.facts")}</h2>
          <dl className="facts">
            <dt>{t("fields.date")}</dt>
            <dd>{formatDate(i.date)}</dd>
            <dt>{t("fields.placeType")}</dt>
            <dd>{t(`placeTypes.${i.placeType}`)}</dd>
            <dt>{t("fields.languages")}</dt>
            <dd>{i.languages.map((l) => t(`languages.${l}`)).join(", ") || tc("none")}</dd>
            <dt>{t("fields.interviewer")}</dt>
            <dd>{i.interviewer ?? tc("none")}</dd>
            <dt>{t("fields.duration")}</dt>
            <dd>{i.durationMinutes ? t("overview.minutes", { count: i.durationMinutes }) : tc("none")}</dd>
            <dt>{t("fields.interpreterPresent")}</dt>
            <dd>
              {i.interpreterPresent ? tc("yes") : tc("no")}
              {i.interpreterPresent && data.mayReadIdentity ? (
                data.interpreterName ? (
                  <>
                    {" "}
                    ({t("fields.interpreterName")}: <span className="identity-value">{data.interpreterName}</span>)
                  </>
                ) : (
                  <>
                    {" "}
                    <Link to="?interpreter=1" prefetch="none" preventScrollReset>
                      {t("interpreter.show")}
                    </Link>
                  </>
                )
              ) : null}
            </dd>
            <dt>{t("fields.status")}</dt>
            <dd>{t(`statuses.${i.status}`)}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="consent-title">
          <h2 id="consent-title">{t("overview.consent")}</h2>
          {data.consent ? (
            <>
              <p>{t("consent.currentVersion", { version: data.consent.version, date: formatDate(data.consent.givenAt) })}</p>
              <ScopeList granted={data.consent.scopes} />
            </>
          ) : (
            <p>{t("consent.none")}</p>
          )}
          <p>
            <Link to={`/interviews/${i.id}/consent`}>{t("overview.toConsent")}</Link>
          </p>
          <RecontactNote recontact={data.recontact} onInterview />
          {data.canPlanFollowUp && layout ? (
            <p>
              <Link to={`/interviews/new?case=${encodeURIComponent(layout.interview.casePseudonym)}`}>{t("recontact.planFollowUp")}</Link>
            </p>
          ) : null}
        </section>
      </div>

      <section aria-labelledby="recordings-title">
        <h2 id="recordings-title">{t("recordings.title")}</h2>
        {!gate.ok ? (
          <p className="gate-note" role="note">
            {gate.reason === "withdrawn" ? t("gate.withdrawn") : t(`gate.${gate.reason}`, { scope: t(`scopes.${gate.missing}`) })}
          </p>
        ) : null}
        {data.externalRefused && recordings.length ? (
          <p className="muted" role="note">
            {t("recordings.externalRefused")}
          </p>
        ) : null}
        {data.canDownloadExternal && recordings.length ? <p className="muted">{t("recordings.externalDownloadHint")}</p> : null}
        {actionData?.deleted ? (
          <p className="notice" role="status">
            {t("recordings.delete.done", { name: actionData.deleted })}
          </p>
        ) : null}
        {actionData?.refused === "transcribing" ? (
          <p className="form-error" role="alert">
            {t("recordings.delete.transcribing")}
          </p>
        ) : null}
        {recordings.length ? (
          <ul className="recording-list">
            {recordings.map((r) => (
              <li key={r.id} className="card">
                <p className="recording-meta">
                  <strong>{r.displayName}</strong>{" "}
                  <span className="muted">
                    {t(`recordings.mediaTypes.${r.mediaType}`, { defaultValue: r.mediaType })}, {formatBytes(r.sizeBytes, i18n.language)}
                    {r.durationMs ? `, ${formatDuration(r.durationMs)}` : ""}, {t("recordings.uploadedAt", { date: formatDate(r.createdAt) })}
                  </span>
                </p>
                {gate.ok ? <RecordingPlayer recordingId={r.id} label={t("recordings.playLabel", { name: r.displayName })} mediaType={r.mediaType === "video" ? "video" : "audio"} /> : null}
                {data.canDownloadExternal ? (
                  <p>
                    <a href={`/recordings/${encodeURIComponent(r.id)}/external-transcription`} aria-label={t("recordings.externalDownloadLabel", { name: r.displayName })}>
                      {t("recordings.externalDownload")}
                    </a>
                  </p>
                ) : null}
                {data.canDelete ? (
                  // Open again after a refused attempt, so the message is seen next to the field.
                  <details className="recording-delete" open={refusedDelete?.recordingId === r.id || undefined}>
                    <summary>{t("recordings.delete.open")}</summary>
                    <p>{t(i.status === "checked" ? "recordings.delete.checkedHint" : i.status === "planned" || i.status === "recorded" ? "recordings.delete.untranscribedHint" : "recordings.delete.uncheckedHint")}</p>
                    <ErasureForm
                      id={`delete-recording-${r.id}`}
                      lastResult={refusedDelete?.recordingId === r.id ? refusedDelete.result : undefined}
                      hidden={{ intent: "delete-recording", recordingId: r.id }}
                      confirm={t("recordings.delete.confirm", { name: r.displayName })}
                      busy={deleting}
                      groundHint={t("recordings.delete.groundHint")}
                    />
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{data.recordingsWithdrawn ? t("recordings.withdrawn", { date: formatDate(data.recordingsWithdrawn) }) : t("recordings.none")}</p>
        )}
        {data.canUpload ? (
          <div className="card">
            <h3>{t("recordings.upload")}</h3>
            <RecordingUpload interviewId={i.id} kind="recording" />
          </div>
        ) : null}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
