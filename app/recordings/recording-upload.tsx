// Upload of a recording or a scanned consent form: the file goes as the raw body of an XHR (fetch has no upload
// progress), with a progress bar, a cancel button and the server's refusals in words. Used by the interview pages.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useRevalidator, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatBytes } from "../interviews/format.ts";
import { SNIFF_BYTES, sniffDocument, sniffMedia } from "./sniff.ts";

type Kind = "recording" | "consent-document";

type Phase =
  | { name: "idle" }
  | { name: "uploading"; loaded: number; total: number }
  | { name: "checking"; total: number }
  | { name: "done"; fileName: string }
  | { name: "cancelled" }
  | { name: "error"; message: string };

const ACCEPT: Record<Kind, string> = {
  recording: "audio/*,video/*,.mp3,.wav,.m4a,.ogg,.oga,.opus,.flac,.webm,.mka,.mkv,.mp4,.mov,.amr,.aac",
  "consent-document": "application/pdf,image/jpeg,image/png,image/tiff,.pdf,.jpg,.jpeg,.png,.tif,.tiff",
};

const ENDPOINT: Record<Kind, string> = { recording: "recordings", "consent-document": "consent-documents" };

type ErrorBody = { error?: string; scope?: string; reason?: string; maxBytes?: number; max?: number; name?: string };

export function RecordingUpload({ interviewId, kind }: { interviewId: string; kind: "recording" | "consent-document" }) {
  const { t, i18n } = useTranslation("recordings");
  const root = useRouteLoaderData("root") as { csrfToken: string | null; uploadMaxBytes: number | null } | undefined;
  const maxBytes = root?.uploadMaxBytes ?? null;
  const revalidator = useRevalidator();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  // Screen readers hear every 10 %, not every progress event.
  const [announcement, setAnnouncement] = useState("");
  const lastAnnounced = useRef(-1);

  useEffect(() => () => xhrRef.current?.abort(), []);

  const busy = phase.name === "uploading" || phase.name === "checking";
  // The submit button is disabled while sending and the cancel button vanishes afterwards: keep keyboard focus
  // inside the form (on cancel when sending starts, on the file input when it ends).
  const wasBusy = useRef(false);
  useEffect(() => {
    const started = busy && !wasBusy.current;
    const ended = !busy && wasBusy.current;
    wasBusy.current = busy;
    const active = document.activeElement;
    const lost = !active || active === document.body || (formRef.current?.contains(active) && (active as HTMLButtonElement).disabled);
    if (!lost) return;
    if (started) cancelRef.current?.focus();
    if (ended) inputRef.current?.focus();
  }, [busy]);

  const number = (value: number, digits = 1) => new Intl.NumberFormat(i18n.language, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  const megabytes = (bytes: number) => number(bytes / 1e6);

  function messageFor(status: number, body: ErrorBody | null): string {
    const key = body?.error;
    if (key === "consent-missing") {
      if (body?.reason === "no-consent") return t("errors.no-consent");
      if (body?.reason === "withdrawn") return t("errors.withdrawn");
      return t("errors.consent-missing", { scope: t(`scopes.${body?.scope ?? "recording"}`) });
    }
    if (key === "duplicate") return t("errors.duplicate", { name: body?.name ?? "?" });
    if (key === "too-large" || (!key && status === 413)) return t("errors.too-large", { max: body?.maxBytes ? formatBytes(body.maxBytes, i18n.language) : "?" });
    if (key && i18n.exists(`recordings:errors.${key}`)) return t(`errors.${key}`, { max: body?.max });
    if (status === 403) return t("errors.forbidden");
    if (status === 401) return t("errors.session");
    return t("errors.unknown", { status });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const file = inputRef.current?.files?.[0];
    if (!file) return setPhase({ name: "error", message: t("upload.chooseFile") });
    // The same content check as the server, on the first bytes: a wrong file is refused before a long upload.
    if (file.size === 0) return setPhase({ name: "error", message: t("errors.empty") });
    // The server's limit, known in advance: no long upload only to hear "too large" at its end.
    if (maxBytes !== null && file.size > maxBytes) return setPhase({ name: "error", message: t("errors.too-large", { max: formatBytes(maxBytes, i18n.language) }) });
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const sniffed = (kind === "recording" ? sniffMedia : sniffDocument)(head, file.size <= SNIFF_BYTES);
    if (sniffed === null || sniffed === "more") return setPhase({ name: "error", message: t(kind === "recording" ? "errors.not-media" : "errors.not-document") });
    send(file);
  }

  function send(file: File) {
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    lastAnnounced.current = -1;
    setAnnouncement("");
    xhr.open("POST", `/interviews/${encodeURIComponent(interviewId)}/${ENDPOINT[kind]}`);
    xhr.setRequestHeader("X-CSRF-Token", root?.csrfToken ?? "");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      const total = e.lengthComputable ? e.total : file.size;
      setPhase({ name: "uploading", loaded: e.loaded, total });
      const step = Math.floor((e.loaded / Math.max(total, 1)) * 10);
      if (step > lastAnnounced.current) {
        lastAnnounced.current = step;
        setAnnouncement(t("upload.announce", { percent: step * 10 }));
      }
    };
    xhr.upload.onload = () => {
      setPhase({ name: "checking", total: file.size });
      setAnnouncement(t("upload.checking"));
    };
    xhr.onload = () => {
      xhrRef.current = null;
      if (xhr.status >= 200 && xhr.status < 300) {
        setPhase({ name: "done", fileName: file.name });
        setAnnouncement("");
        if (inputRef.current) inputRef.current.value = "";
        revalidator.revalidate();
        return;
      }
      // A lapsed session ends on the login page (the XHR followed the redirect).
      if (xhr.responseURL && new URL(xhr.responseURL).pathname === "/login") return fail(t("errors.session"));
      let body: ErrorBody | null = null;
      try {
        body = JSON.parse(xhr.responseText) as ErrorBody;
      } catch {
        body = null;
      }
      fail(messageFor(xhr.status, body));
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      fail(t("errors.network"));
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setPhase({ name: "cancelled" });
      setAnnouncement("");
    };
    setPhase({ name: "uploading", loaded: 0, total: file.size });
    xhr.send(file);
  }

  function fail(message: string) {
    setPhase({ name: "error", message });
    setAnnouncement("");
  }

  const percent = phase.name === "uploading" ? Math.floor((phase.loaded / Math.max(phase.total, 1)) * 100) : 0;

  return (
    <form ref={formRef} className="recording-upload" onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t(`upload.${kind}.label`)}</label>
        <div id={`${id}-hint`} className="muted">
          {t(`upload.${kind}.hint`)}
          {maxBytes !== null ? ` ${t("upload.maxSize", { max: formatBytes(maxBytes, i18n.language) })}` : null}
        </div>
        <input
          ref={inputRef}
          id={`${id}-file`}
          type="file"
          name="file"
          accept={ACCEPT[kind]}
          aria-describedby={`${id}-hint`}
          disabled={busy}
          onChange={() => phase.name !== "idle" && !busy && setPhase({ name: "idle" })}
        />
      </div>
      <div className="actions-row">
        <button type="submit" disabled={busy}>
          {t(`upload.${kind}.submit`)}
        </button>
        {phase.name === "uploading" ? (
          <button ref={cancelRef} type="button" onClick={() => xhrRef.current?.abort()}>
            {t("upload.cancel")}
          </button>
        ) : null}
      </div>
      {phase.name === "uploading" || phase.name === "checking" ? (
        <div className="upload-progress">
          <label htmlFor={`${id}-progress`}>{t("upload.progressLabel")}</label>{" "}
          {phase.name === "uploading" ? (
            <>
              <progress id={`${id}-progress`} max={phase.total} value={phase.loaded} style={{ width: "min(24rem, 100%)" }} />{" "}
              <span>{t("upload.progress", { percent, loaded: megabytes(phase.loaded), total: megabytes(phase.total) })}</span>
            </>
          ) : (
            <>
              <progress id={`${id}-progress`} style={{ width: "min(24rem, 100%)" }} />{" "}
              <span>{t("upload.checking")}</span>
            </>
          )}
        </div>
      ) : null}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {phase.name === "error" ? (
        <p className="form-error" role="alert">
          {phase.message}
        </p>
      ) : null}
      {phase.name === "done" ? (
        <p className="notice" role="status">
          {t("upload.done", { name: phase.fileName })}
        </p>
      ) : null}
      {phase.name === "cancelled" ? <p role="status">{t("upload.cancelled")}</p> : null}
    </form>
  );
}
