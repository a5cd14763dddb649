// Every namespace is bundled (a few KB), so server and browser render the same text without a fetch.
import deCommon from "./locales/de/common.json";
import enCommon from "./locales/en/common.json";
import deAuth from "./locales/de/auth.json";
import enAuth from "./locales/en/auth.json";
import deCases from "./locales/de/cases.json";
import enCases from "./locales/en/cases.json";
import deIndicators from "./locales/de/indicators.json";
import enIndicators from "./locales/en/indicators.json";
import deDashboard from "./locales/de/dashboard.json";
import enDashboard from "./locales/en/dashboard.json";
import deAdmin from "./locales/de/admin.json";
import enAdmin from "./locales/en/admin.json";
import deInterviews from "./locales/de/interviews.json";
import enInterviews from "./locales/en/interviews.json";
import deRecordings from "./locales/de/recordings.json";
import enRecordings from "./locales/en/recordings.json";
import deTranscripts from "./locales/de/transcripts.json";
import enTranscripts from "./locales/en/transcripts.json";
import deTranscription from "./locales/de/transcription.json";
import enTranscription from "./locales/en/transcription.json";

export const resources = {
  de: { common: deCommon, auth: deAuth, cases: deCases, indicators: deIndicators, dashboard: deDashboard, admin: deAdmin, interviews: deInterviews, recordings: deRecordings, transcripts: deTranscripts, transcription: deTranscription },
  en: { common: enCommon, auth: enAuth, cases: enCases, indicators: enIndicators, dashboard: enDashboard, admin: enAdmin, interviews: enInterviews, recordings: enRecordings, transcripts: enTranscripts, transcription: enTranscription },
} as const;
