// Languages a transcription can be started with: every language the interview form offers (one list for the
// interview form, the transcription page and the worker), plus "auto". Shared by the app and the worker; no
// Node-only imports here.
import { INTERVIEW_LANGUAGES, type InterviewLanguage } from "../app/interviews/interview-fields.ts";

/** "other" is no language whisper could be told: such an interview is transcribed with automatic detection. */
type SpokenLanguage = Exclude<InterviewLanguage, "other">;
const SPOKEN = INTERVIEW_LANGUAGES.filter((l): l is SpokenLanguage => l !== "other");
export const TRANSCRIPTION_LANGUAGES = ["auto", ...SPOKEN] as readonly ["auto", ...SpokenLanguage[]];
export type TranscriptionLanguage = "auto" | SpokenLanguage;

/**
 * The language codes whisper.cpp knows (`g_lang` in whisper.cpp, the same 99 for every multilingual model). A
 * language outside it would make whisper.cpp refuse the run, so it runs with automatic detection instead.
 */
export const WHISPER_LANGUAGES: ReadonlySet<string> = new Set(
  ("en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi ml cy " +
    "sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am yi " +
    "lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su yue").split(" "),
);

/** Interview languages whisper does not know (Kurdish, Tigrinya): those run with automatic detection (the page says so). */
export const ENGINE_UNSUPPORTED: readonly TranscriptionLanguage[] = SPOKEN.filter((l) => !WHISPER_LANGUAGES.has(l));

export function isTranscriptionLanguage(value: string): value is TranscriptionLanguage {
  return (TRANSCRIPTION_LANGUAGES as readonly string[]).includes(value);
}

/** The language code handed to whisper.cpp. */
export function engineLanguage(language: string): string {
  if (!isTranscriptionLanguage(language) || ENGINE_UNSUPPORTED.includes(language)) return "auto";
  return language;
}

export type LanguageDefault =
  | { language: TranscriptionLanguage; reason: "previous" }
  | { language: SpokenLanguage; reason: "single"; unsupported: SpokenLanguage[] }
  | { language: "auto"; reason: "multilingual"; languages: SpokenLanguage[] }
  | { language: "auto"; reason: "unsupported"; languages: SpokenLanguage[] }
  | { language: "auto"; reason: "none" };

/**
 * What the start form preselects: a language chosen for the interview's last run; otherwise the interview's language
 * when exactly one of its languages is known to whisper (an interpreter's Kurdish beside German leaves German),
 * automatic detection when several are (whisper would force one on the others) or none is. A last run's "auto" does
 * not count as a choice: it was the form's only default before, also for interviews in one language.
 */
export function defaultTranscriptionLanguage(interviewLanguages: readonly string[], previous: string | null): LanguageDefault {
  if (previous !== null && previous !== "auto" && isTranscriptionLanguage(previous)) return { language: previous, reason: "previous" };
  const spoken = [...new Set(interviewLanguages)].filter((l): l is SpokenLanguage => (SPOKEN as readonly string[]).includes(l));
  const known = spoken.filter((l) => !ENGINE_UNSUPPORTED.includes(l));
  const unsupported = spoken.filter((l) => ENGINE_UNSUPPORTED.includes(l));
  if (known.length === 1) return { language: known[0]!, reason: "single", unsupported };
  if (known.length > 1) return { language: "auto", reason: "multilingual", languages: known };
  if (spoken.length) return { language: "auto", reason: "unsupported", languages: spoken };
  return { language: "auto", reason: "none" };
}

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const ACTIVE_STATUSES: readonly JobStatus[] = ["queued", "running"];
