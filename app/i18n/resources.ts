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

export const resources = {
  de: { common: deCommon, auth: deAuth, cases: deCases, indicators: deIndicators, dashboard: deDashboard, admin: deAdmin },
  en: { common: enCommon, auth: enAuth, cases: enCases, indicators: enIndicators, dashboard: enDashboard, admin: enAdmin },
} as const;
