import { endedSessionReply } from "../auth/session.server.ts";
import { notAfterEndedSession } from "../auth/revalidate.ts";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { readScriptForm } from "../auth/csrf.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { db } from "../db/client.server.ts";
import { hasPermission, requirePermission, type Grant } from "../permissions/permissions.server.ts";
import { listCodings } from "../coding/codings.server.ts";
import { auditView } from "../audit/audit.server.ts";
import { findInterview, loadTranscript, markChecked, playableRecordings, saveTranscript } from "../transcripts/transcripts.server.ts";
import { CheckSchema, MAX_TURN_CHARS, SaveSchema, tooLongTurn } from "../transcripts/schemas.ts";
import { AUDIO_ID, TEXT_ID, TranscriptEditor, type SaveState } from "../transcripts/editor/transcript-editor.tsx";
import type { SkipLinksHandle } from "../components/skip-links.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { codingSetup } from "../coding/editor/setup.server.ts";
import { parseAnchorsField } from "../coding/editor/schemas.ts";
import { languageOf } from "../i18n/language.server.ts";

/** A save carries the whole transcript; anything larger than this is not a transcript. */
const MAX_SAVE_BYTES = 32 * 1024 * 1024;

/** codingSetup answers 404 when the interview has no transcript yet: then there is nothing to code. */
function orNoTranscript(error: unknown): null {
  if (error instanceof Response && error.status === 404) return null;
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "transcript");
  const interview = await findInterview(grant, params.interviewId ?? "");
  // Codings for those who may read them (highlights); the panel and picker for those who may also write them.
  // Read beside the transcript (not after it); dropped below when there is no transcript.
  const readsCodings = hasPermission(grant.user, "read", "coding");
  const [transcript, recordings, recordingGate, transcriptionGate, codingData] = await Promise.all([
    loadTranscript(grant, interview.id),
    playableRecordings(grant, interview.id),
    mayProcess(interview.id, "recording"),
    mayProcess(interview.id, "transcription"),
    readsCodings ? requirePermission(request, "read", "coding").then((codingGrant) => codingSetup(request, codingGrant, interview.id, languageOf(request)).catch(orNoTranscript)) : null,
  ]);
  const wanted = new URL(request.url).searchParams.get("recording");
  // A transcript made by whisper belongs to the recording it heard: its times are that recording's, so the player
  // starts with it (not with the oldest upload); another can still be chosen.
  const heard =
    !wanted && transcript?.source === "whisper" && recordings.length > 1
      ? (await db.transcriptionJob.findFirst({ where: { interviewId: interview.id, status: "done" }, orderBy: { finishedAt: "desc" }, select: { recordingId: true } }))?.recordingId
      : null;
  const recording = recordings.find((r) => r.id === (wanted ?? heard)) ?? recordings[0] ?? null;
  const mayWrite = hasPermission(grant.user, "write", "transcript");
  const coding = transcript ? codingData : null;
  if (transcript) await auditView(request, grant.user, { action: "transcript.view", entity: "transcript", entityId: transcript.id, detail: { interviewId: interview.id } });
  return json({
    interview: { id: interview.id, code: interview.code, status: interview.status },
    transcript: transcript && {
      version: transcript.version,
      source: transcript.source,
      language: transcript.language,
      checkedAt: transcript.checkedAt,
      checkedBy: transcript.checkedBy,
      speakerRoles: transcript.speakerRoles,
      paragraphs: transcript.paragraphs,
    },
    recordings: recordingGate.ok ? recordings.map((r) => ({ id: r.id, displayName: r.displayName })) : [],
    recording: recordingGate.ok && recording ? { id: recording.id, durationMs: recording.durationMs } : null,
    recordingGate,
    transcriptionGate,
    mayWrite,
    canEdit: mayWrite && transcriptionGate.ok,
    mayDeleteRecording: hasPermission(grant.user, "write", "recording"),
    coding,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Autosave is the editor's script: an ended session must not send it to the login page.
  const ended = await endedSessionReply(request, { ok: false as const, error: "save.session" });
  if (ended) return ended;
  const grant = await requirePermission(request, "write", "transcript");
  const interviewId = params.interviewId ?? "";
  if (Number(request.headers.get("content-length") ?? 0) > MAX_SAVE_BYTES) return json({ ok: false as const, error: "save.tooLarge" }, { status: 413 });
  const form = await readScriptForm(request, grant.user);
  if (!form) return json({ ok: false as const, error: "save.session" }, { status: 403 });
  await findInterview(grant, interviewId);
  // Editing is part of transcription: without that consent scope nothing is stored (the page says why).
  const gate = await mayProcess(interviewId, "transcription");
  if (!gate.ok) return json({ ok: false as const, error: `gate.${gate.reason}` }, { status: 403 });
  if (form.get("intent") === "check") {
    const submission = parseWithZod(form, { schema: CheckSchema });
    if (submission.status !== "success") return json({ ok: false as const, error: "save.invalid" }, { status: 400 });
    const result = await markChecked(request, grant, interviewId, submission.value.version);
    return result.ok ? json({ ok: true as const, checked: true }) : json(result, { status: 409 });
  }
  // No coercion of "" to undefined inside the JSON: an unassigned speaker and an empty new turn are valid.
  const submission = parseWithZod(form, { schema: SaveSchema, disableAutoCoercion: true });
  if (submission.status !== "success") {
    const turn = tooLongTurn(form.get("paragraphs"));
    if (turn) return json({ ok: false as const, error: "save.turnTooLong", turn, max: MAX_TURN_CHARS }, { status: 400 });
    return json({ ok: false as const, error: "save.invalid", result: submission.reply() }, { status: 400 });
  }
  // The editor's codings, mapped through the edits in the browser (only from those who may write codings).
  const anchors = parseAnchorsField(form.get("anchors"));
  if (anchors === "invalid") return json({ ok: false as const, error: "save.invalid" }, { status: 400 });
  const result = await saveTranscript(request, grant, interviewId, submission.value.version, submission.value.paragraphs, anchors && hasPermission(grant.user, "write", "coding") ? anchors : undefined, submission.value.speakerRoles);
  if (!result.ok) return json({ ...result, current: await currentForConflict(request, grant, interviewId) }, { status: 409 });
  // A merged save is sent without anchors (the editor's positions are those of its own text, not of the stored
  // one): the codings followed the diff on the server, and the editor shows them as they are now.
  if (form.get("withCodings") === "1" && hasPermission(grant.user, "read", "coding")) {
    const { codings } = await listCodings(await requirePermission(request, "read", "coding"), interviewId);
    return json({ ...result, codings: codings.map((c) => ({ ...c, quote: c.orphaned ? c.quote : "", createdAt: c.createdAt.toISOString() })) });
  }
  return json(result);
}

/**
 * The stored version a refused save met, for the editor to show beside what is unsaved and to merge with it
 * (docs/decisions/0013). A read of the transcript like opening the page, audited as such.
 */
async function currentForConflict(request: Request, grant: Grant, interviewId: string) {
  const transcript = await loadTranscript(grant, interviewId);
  if (!transcript) return null;
  await auditView(request, grant.user, { action: "transcript.view", entity: "transcript", entityId: transcript.id, detail: { interviewId, conflict: true } });
  return { version: transcript.version, paragraphs: transcript.paragraphs, speakerRoles: transcript.speakerRoles };
}

// First in the page: to the text, the player and the coding panel, when the page shows them (as TranscriptEditor does).
export const handle: SkipLinksHandle<SerializeFrom<typeof loader>> = {
  skipLinks: (data) =>
    data?.transcript
      ? [
          { target: TEXT_ID, label: "transcripts:skip.text" },
          ...(data.recording ? [{ target: AUDIO_ID, label: "transcripts:skip.player" }] : []),
          ...(data.coding && (data.coding.canCode || data.coding.gateNote) ? [{ target: "coding-panel-title", label: "transcripts:skip.codings" }] : []),
        ]
      : [],
};

/** Autosaves change nothing the page shows from its loaders; reloading them on every save would only cost. */
export const shouldRevalidate: ShouldRevalidateFunction = (args) => (args.formData?.get("intent") === "save" ? false : notAfterEndedSession(args));

export default function TranscriptPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("transcripts");
  const [editorState, setEditorState] = useState<{ saveState: SaveState; version: number } | null>(null);
  const onStateChange = useCallback((s: { saveState: SaveState; version: number }) => setEditorState(s), []);
  const transcript = data.transcript;
  const base = `/interviews/${data.interview.id}/transcript`;

  if (!transcript) {
    return (
      <section aria-labelledby="transcript-title">
        <h2 id="transcript-title">{t("editor.title")}</h2>
        <p>{t("editor.none")}</p>
        {data.mayWrite && data.interview.status !== "withdrawn" ? (
          <p>
            <Link to={`${base}/import`}>{t("editor.toImport")}</Link>
          </p>
        ) : null}
      </section>
    );
  }

  const formatDateTime = (value: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(new Date(value));
  const gate = data.transcriptionGate;
  const checking = navigation.state !== "idle" && navigation.formData?.get("intent") === "check";
  const clean = editorState === null || editorState.saveState === "saved";
  const checkError = actionData && !actionData.ok ? ("conflict" in actionData ? "save.conflict" : actionData.error) : null;

  return (
    <section aria-labelledby="transcript-title">
      <div className="transcript-head">
        <h2 id="transcript-title">{t("editor.title")}</h2>
        <p className="muted">
          {t(`sources.${transcript.source}`, { defaultValue: transcript.source })}
          {" · "}
          {transcript.checkedAt ? (
            <span className="badge interview-checked">{t("check.checkedBy", { date: formatDateTime(transcript.checkedAt), name: transcript.checkedBy ?? t("check.unknownUser") })}</span>
          ) : (
            <span className="badge interview-transcribed">{t("check.notChecked")}</span>
          )}
        </p>
        {data.canEdit ? (
          <Form method="post" className="check-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="check" />
            <input type="hidden" name="version" value={editorState?.version ?? transcript.version} />
            <button type="submit" disabled={!clean || checking} aria-describedby={!clean ? "check-hint" : undefined}>
              {t("check.button")}
            </button>
            {!clean ? (
              <span id="check-hint" className="muted">
                {" "}
                {t("check.waitForSave")}
              </span>
            ) : null}
          </Form>
        ) : null}
      </div>
      {searchParams.get("imported") ? (
        <p className="notice" role="status">
          {t("import.done", { count: transcript.paragraphs.length })}
        </p>
      ) : null}
      {actionData && "checked" in actionData ? (
        <p className="notice" role="status">
          {t("check.done")}
        </p>
      ) : null}
      {transcript.checkedAt && data.recordings.length && data.mayDeleteRecording ? (
        <p className="muted">
          {t("check.recordingNoLongerNeeded")} <Link to={`/interviews/${data.interview.id}`}>{t("check.toRecordings")}</Link>
        </p>
      ) : null}
      {checkError ? (
        <p className="form-error" role="alert">
          {t(checkError)}
        </p>
      ) : null}
      {!gate.ok ? (
        <p className="gate-note" role="note">
          {t(`gate.${gate.reason}`)}
        </p>
      ) : !data.mayWrite ? (
        <p className="gate-note" role="note">
          {t("editor.readOnly")}
        </p>
      ) : null}
      {!data.recordingGate.ok ? (
        <p className="gate-note" role="note">
          {t(`gate.recording-${data.recordingGate.reason}`)}
        </p>
      ) : !data.recording ? (
        <p className="muted">{t("player.none")}</p>
      ) : data.recordings.length > 1 ? (
        <Form method="get" className="recording-choice inline-fields">
          <div className="field">
            <label htmlFor="recording-choice">{t("player.choose")}</label>
            <select id="recording-choice" name="recording" defaultValue={data.recording.id}>
              {data.recordings.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.displayName}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="secondary">
            {t("player.switch")}
          </button>
        </Form>
      ) : null}
      <TranscriptEditor
        key={data.interview.id}
        version={transcript.version}
        paragraphs={transcript.paragraphs}
        speakerRoles={transcript.speakerRoles}
        recording={data.recording}
        readOnly={!data.canEdit}
        language={transcript.language}
        onStateChange={onStateChange}
        coding={data.coding}
      />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
