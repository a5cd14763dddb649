// Languages a transcription can be started with (the district's interview languages that matter most).
// Shared by the app (the select on the transcription page) and the worker; no Node-only imports here.
export const TRANSCRIPTION_LANGUAGES = ["auto", "de", "ar", "fa", "ps", "ku", "ti", "uk", "ru", "tr", "so", "en", "fr"] as const;
export type TranscriptionLanguage = (typeof TRANSCRIPTION_LANGUAGES)[number];

/** Whisper has no Kurdish and no Tigrinya: those run with automatic detection (the page says so). */
export const ENGINE_UNSUPPORTED: readonly TranscriptionLanguage[] = ["ku", "ti"];

export function isTranscriptionLanguage(value: string): value is TranscriptionLanguage {
  return (TRANSCRIPTION_LANGUAGES as readonly string[]).includes(value);
}

/** The language code handed to whisper.cpp. */
export function engineLanguage(language: string): string {
  if (!isTranscriptionLanguage(language) || ENGINE_UNSUPPORTED.includes(language)) return "auto";
  return language;
}

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const ACTIVE_STATUSES: readonly JobStatus[] = ["queued", "running"];
