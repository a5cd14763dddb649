// The two languages must offer the same texts: a key missing in one shows its raw name to the user of that
// language. And every audit action and object kind has a label (the log page shows them to people).
import { describe, expect, it } from "vitest";
import { resources } from "./resources.ts";
import { createI18n } from "./config.ts";
import { AUDIT_ACTIONS, AUDIT_ENTITIES, auditActionKey, auditEntityKey } from "../audit/actions.ts";
import { AUDIT_DETAIL_KEYS, AUDIT_ERASED_LABELS, auditDetailKey } from "../audit/detail.ts";
import { codebookRows } from "../../prisma/seed/codebook.ts";

function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("locales", () => {
  it("German and English have the same keys in every namespace", () => {
    expect(Object.keys(resources.en).sort()).toEqual(Object.keys(resources.de).sort());
    for (const ns of Object.keys(resources.de) as (keyof typeof resources.de)[]) {
      const de = keys(resources.de[ns]).sort();
      const en = keys(resources.en[ns]).sort();
      expect({ ns, onlyGerman: de.filter((k) => !en.includes(k)), onlyEnglish: en.filter((k) => !de.includes(k)) }).toEqual({ ns, onlyGerman: [], onlyEnglish: [] });
    }
  });

  it("every audit action, object kind and known detail key has a label in both languages, and labels differ between actions", () => {
    for (const language of ["de", "en"] as const) {
      const i18n = createI18n(language);
      const labels = AUDIT_ACTIONS.map((a) => {
        const key = `admin:${auditActionKey(a)}`;
        expect(i18n.exists(key), `${language} ${a}`).toBe(true);
        return i18n.t(key);
      });
      expect(new Set(labels).size, language).toBe(AUDIT_ACTIONS.length);
      for (const e of AUDIT_ENTITIES) expect(i18n.exists(`admin:${auditEntityKey(e)}`), `${language} ${e}`).toBe(true);
      for (const k of AUDIT_DETAIL_KEYS) expect(i18n.exists(`admin:${auditDetailKey(k)}`), `${language} detail ${k}`).toBe(true);
      // withdrawal.complete names each store the withdrawal page knows.
      for (const store of Object.keys(resources.de.interviews.withdraw.erasers)) expect(i18n.exists(`${AUDIT_ERASED_LABELS.store}.${store}`), `${language} store ${store}`).toBe(true);
    }
    expect(auditActionKey("no.such.action")).toBeNull();
  });

  it("count one narrative in the singular (the list's caption said \"1 narratives\")", () => {
    const de = createI18n("de");
    const en = createI18n("en");
    expect([1, 2].map((count) => de.t("narratives:list.caption", { count }))).toEqual(["1 Narrativ", "2 Narrative"]);
    expect([1, 2].map((count) => en.t("narratives:list.caption", { count }))).toEqual(["1 narrative", "2 narratives"]);
  });

  it("count one case, entry, month and paragraph in the singular (the dashboard's cell said \"1 active cases\")", () => {
    const cases: [key: string, de: [string, string], en: [string, string]][] = [
      ["dashboard:cell.count", ["1 aktiver Fall", "2 aktive Fälle"], ["1 active case", "2 active cases"]],
      ["common:paging.total", ["1 Eintrag", "2 Einträge"], ["1 entry", "2 entries"]],
      ["indicators:snapshots.staleAfter", ["veraltet nach 1 Monat", "veraltet nach 2 Monaten"], ["stale after 1 month", "stale after 2 months"]],
      ["indicators:history.months", ["1 Monat", "2 Monaten"], ["1 month", "2 months"]],
      ["transcripts:import.existing", ["Es gibt schon ein Transkript (1 Absatz, Version 3).", "Es gibt schon ein Transkript (2 Absätze, Version 3)."], ["There already is a transcript (1 paragraph, version 3).", "There already is a transcript (2 paragraphs, version 3)."]],
    ];
    const de = createI18n("de");
    const en = createI18n("en");
    for (const [key, german, english] of cases) {
      expect([1, 2].map((count) => de.t(key, { count, version: 3 })), key).toEqual(german);
      expect([1, 2].map((count) => en.t(key, { count, version: 3 })), key).toEqual(english);
    }
  });

  it("name each integration dimension as the codebook does, in every part of the UI", () => {
    // The codebook (../shared/domain) calls it "Identifikatorische Integration"; the dashboard said "Identifikativ".
    const roots = codebookRows().filter((r) => r.parentKey === null);
    for (const dim of ["STR", "KUL", "SOZ", "IDE"] as const) {
      const root = roots.find((r) => r.key === dim)!;
      for (const [language, official] of [["de", root.name], ["en", root.nameEn]] as const) {
        const r = resources[language];
        const labels = [r.statistics.categories.dimension[dim], r.indicators.dimension[dim], r.admin.indicators.dimensions[dim]];
        for (const label of labels) expect(official.toLowerCase().startsWith(label.toLowerCase()), `${language} ${dim}: "${label}" vs "${official}"`).toBe(true);
      }
    }
  });
});
