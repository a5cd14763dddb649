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
import deCodebook from "./locales/de/codebook.json";
import enCodebook from "./locales/en/codebook.json";
import deCoding from "./locales/de/coding.json";
import enCoding from "./locales/en/coding.json";
import deMemos from "./locales/de/memos.json";
import enMemos from "./locales/en/memos.json";
import deNotes from "./locales/de/notes.json";
import enNotes from "./locales/en/notes.json";
import deRetrieval from "./locales/de/retrieval.json";
import enRetrieval from "./locales/en/retrieval.json";
import deStatistics from "./locales/de/statistics.json";
import enStatistics from "./locales/en/statistics.json";
import deTimeline from "./locales/de/timeline.json";
import enTimeline from "./locales/en/timeline.json";
import deSearch from "./locales/de/search.json";
import enSearch from "./locales/en/search.json";
import deNarratives from "./locales/de/narratives.json";
import enNarratives from "./locales/en/narratives.json";
import deRefi from "./locales/de/refi.json";
import enRefi from "./locales/en/refi.json";

export const resources = {
  de: { common: deCommon, auth: deAuth, cases: deCases, indicators: deIndicators, dashboard: deDashboard, admin: deAdmin, interviews: deInterviews, recordings: deRecordings, transcripts: deTranscripts, transcription: deTranscription, codebook: deCodebook, coding: deCoding, memos: deMemos, notes: deNotes, retrieval: deRetrieval, statistics: deStatistics, timeline: deTimeline, search: deSearch, narratives: deNarratives, refi: deRefi },
  en: { common: enCommon, auth: enAuth, cases: enCases, indicators: enIndicators, dashboard: enDashboard, admin: enAdmin, interviews: enInterviews, recordings: enRecordings, transcripts: enTranscripts, transcription: enTranscription, codebook: enCodebook, coding: enCoding, memos: enMemos, notes: enNotes, retrieval: enRetrieval, statistics: enStatistics, timeline: enTimeline, search: enSearch, narratives: enNarratives, refi: enRefi },
} as const;
