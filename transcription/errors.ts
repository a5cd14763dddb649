// A failure the user should read: an i18n key (namespace "transcription") plus a technical detail. Stored on
// the job as `key|{"detail":"..."}`, the form app/components/forms.tsx translateError() understands.
import { resources } from "../app/i18n/resources.ts";

export class TranscriptionError extends Error {
  constructor(
    readonly key: string,
    readonly detail?: string,
  ) {
    super(detail ? `${key}: ${detail}` : key);
    this.name = "TranscriptionError";
  }

  /** The failure in English for the worker's log (operators read it there; the job stores the key). */
  englishText(): string {
    const [ns = "", path = ""] = this.key.split(":");
    let node: unknown = (resources.en as Record<string, unknown>)[ns];
    for (const part of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node !== "string") return this.message;
    return node.replace(/\{\{detail\}\}/g, this.detail ?? "");
  }

  /** The job's `error` column. */
  toStored(): string {
    return storedError(this.key, this.detail);
  }
}

export function storedError(key: string, detail?: string): string {
  if (!detail) return key;
  // "|" separates key and parameters; file paths of temporary files say nothing to the user.
  const clean = detail
    .replace(/\|/g, "/")
    .replace(/(?:file:)?\/[^\s:'"]*\/(?:lebenswege-transcription|tmp)[^\s:'"]*/g, "<Datei>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
  return `${key}|${JSON.stringify({ detail: clean })}`;
}

/** The job lost its lease (another worker owns it now, or the job was deleted): stop quietly. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`lease of job ${jobId} lost`);
    this.name = "LeaseLost";
  }
}

/** Cancel requested or consent withdrawn while the job ran. */
export class JobStopped extends Error {
  constructor(
    readonly status: "cancelled",
    readonly reason: string | null,
  ) {
    super(`job stopped: ${reason ?? "cancel requested"}`);
    this.name = "JobStopped";
  }
}
