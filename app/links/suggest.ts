// Pre-filled proposals for a coded passage: which indicator its code speaks about (KUL.SPR -> German level),
// which allowed value the quote names ("B1", "Niederlassungserlaubnis"), and from when ("im Juni 2024",
// "letztes Jahr" = the year before the interview). Only suggestions: the researcher checks and changes them.
// Pure (no database), shared by server and browser.
import { periodText, type DatePrecision } from "./observed-date.ts";

/** Codes of the seeded codebook and the indicators their passages usually state, most likely first. */
export const CODE_INDICATORS: Readonly<Record<string, readonly string[]>> = {
  "KUL.SPR": ["S.DTNIV", "S.IK"],
  "STR.BIL": ["S.SCHULB", "S.BERUF", "S.BILD", "S.ERW"],
  "STR.ARB": ["S.ERW"],
  "STR.ANE": ["S.ANERK", "S.BERUF"],
  "STR.LEB": ["S.LEIST"],
  "STR.REC": ["S.AUFST", "S.EINB"],
  "X.AUF": ["S.AUFST"],
  "X.WOH": ["S.WOHN"],
  "X.DIS": ["S.DISKR"],
  "SOZ.VER": ["S.VEREIN"],
  "SOZ.KON": ["S.KONT"],
  "IDE.ZDE": ["S.ZUGDE"],
  "IDE.ZOR": ["S.ZUGORT"],
  "IDE.HER": ["S.ZUGHER"],
};

/** The other way round: a fitting code for a passage about an indicator (demo data, coding a link passage). */
export const INDICATOR_CODES: Readonly<Record<string, string>> = {
  "S.DTNIV": "KUL.SPR",
  "S.IK": "KUL.SPR",
  "S.SCHULB": "STR.BIL",
  "S.BILD": "STR.BIL",
  "S.BERUF": "STR.BIL",
  "S.ERW": "STR.ARB",
  "S.ANERK": "STR.ANE",
  "S.LEIST": "STR.LEB",
  "S.AUFST": "STR.REC",
  "S.EINB": "STR.REC",
  "S.WOHN": "X.WOH",
  "S.DISKR": "X.DIS",
  "S.VEREIN": "SOZ.VER",
  "S.KONT": "SOZ.KON",
  "S.ZUGDE": "IDE.ZDE",
  "S.ZUGORT": "IDE.ZOR",
  "S.ZUGHER": "IDE.HER",
};

/** Indicators to suggest for a code key (or the nearest keyed ancestor's), most likely first. */
export function suggestIndicators(codeKey: string | null): readonly string[] {
  if (!codeKey) return [];
  return CODE_INDICATORS[codeKey] ?? [];
}

// Words people use for a value, per indicator, checked in order (the first hit wins, so the more specific
// phrase comes first: "subsidiären Schutz, keine Flüchtlingsanerkennung" is subsidiary protection).
const VALUE_WORDS: Readonly<Record<string, readonly [RegExp, unknown][]>> = {
  "S.AUFST": [
    [/subsidiär/i, "ae_25_2_subsidiaer"],
    [/niederlassungserlaubnis|unbefristet/i, "niederlassung"],
    [/eingebürgert|einbürgerung|deutschen? pass/i, "eingebuergert"],
    [/als flüchtling anerkannt|flüchtlingseigenschaft|asylberechtigt/i, "ae_25_2_gfk"],
    [/duldung|geduldet/i, "duldung_60a"],
    [/gestattung|asylverfahren/i, "gestattung"],
  ],
  "S.ERW": [
    [/minijob/i, "minijob"],
    [/ausbildung/i, "ausbildung"],
    [/vollzeit/i, "vollzeit"],
    [/teilzeit/i, "teilzeit"],
    [/arbeitslos|keine arbeit/i, "arbeitslos"],
    [/selbstständig|selbständig|eigenes? geschäft/i, "selbststaendig"],
    [/studiere/i, "studium"],
  ],
  "S.LEIST": [
    [/kein geld mehr vom jobcenter|keine leistungen|unabhängig vom jobcenter/i, ["keiner"]],
    [/berufsausbildungsbeihilfe|\bbab\b|bafög/i, ["bafoeg_bab"]],
    [/asylbewerberleistung/i, ["asylblg"]],
    [/jobcenter|bürgergeld|hartz/i, ["sgb2"]],
  ],
  "S.ANERK": [
    [/teilweise anerkannt|nur teilweise|teilanerkennung/i, "teilweise"],
    [/voll anerkannt|vollständig anerkannt/i, "voll"],
    [/abgelehnt|nicht anerkannt/i, "abgelehnt"],
    [/nicht übersetzt|nicht beantragt/i, "nicht_beantragt"],
    [/im verfahren|beantragt/i, "im_verfahren"],
  ],
  "S.WOHN": [
    [/anschlussunterbringung/i, "anschlussunterbringung"],
    [/gemeinschaftsunterkunft|vorläufige unterbringung|\bGU\b/i, "vorlaeufige_unterbringung_GU"],
    [/erstaufnahme|\blea\b/i, "erstaufnahme"],
    [/wohnungslos|obdachlos/i, "wohnungslos"],
    [/eigentum|gekauft/i, "eigentum"],
    [/eigene wohnung|wohnung gefunden|wohne ich in/i, "eigene_wohnung"],
  ],
  "S.IK": [
    [/abgebrochen/i, "abgebrochen"],
    [/integrationskurs.*(jetzt|modul)|im integrationskurs/i, "laufend"],
  ],
  "S.SCHULB": [
    [/berufsschule|berufliche[ns]? schul/i, "berufsschule"],
    [/vorbereitungsklasse|\bvkl\b/i, "vkl"],
    [/\bvabo\b/i, "vabo"],
    [/grundschule/i, "grundschule"],
    [/kita|kindergarten/i, "kita"],
    [/gymnasium|oberstufe/i, "sek2"],
    [/gemeinschaftsschule|realschule|hauptschule|werkrealschule/i, "sek1"],
  ],
  "S.BERUF": [
    [/studiert|studium|universität|hochschule/i, "hochschule"],
    [/gesellenbrief|ausbildung abgeschlossen/i, "ausbildung"],
  ],
  "S.VEREIN": [[/verein/i, true]],
  "S.DISKR": [[/diskriminier|rassis/i, true]],
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type SuggestIndicator = { code: string; type: string; allowedValues: string[] | null };

/** The value a quote names for the indicator, or null. Always an allowed value of the indicator. */
export function suggestValue(def: SuggestIndicator, quote: string): unknown {
  const allowed = def.allowedValues;
  const fits = (v: unknown) => {
    if (allowed === null) return true;
    const list = Array.isArray(v) ? v : [v];
    return list.every((x) => allowed.includes(String(x)));
  };
  for (const [pattern, value] of VALUE_WORDS[def.code] ?? []) if (pattern.test(quote) && fits(value)) return value;
  if (def.code === "P.GEBJ") {
    const m = /\b((?:19|20)\d{2})\b/.exec(quote);
    return m && /geboren|jahrgang/i.test(quote) ? Number(m[1]) : null;
  }
  if ((def.type === "enum" || def.type === "multi") && allowed) {
    // An allowed value written out as a word ("B1", "C1", "Minijob"); the earliest mention wins.
    let best: { at: number; value: string } | null = null;
    for (const value of allowed) {
      if (value.length < 2) continue;
      const m = new RegExp(`(^|[^\\p{L}\\p{N}])${escape(value)}(?=$|[^\\p{L}\\p{N}])`, "iu").exec(quote);
      if (m && (best === null || m.index < best.at)) best = { at: m.index, value };
    }
    if (best) return def.type === "multi" ? [best.value] : best.value;
  }
  return null;
}

const MONTHS: Record<string, number> = {
  januar: 1, jänner: 1, februar: 2, märz: 3, maerz: 3, april: 4, mai: 5, juni: 6, juli: 7, august: 8,
  september: 9, oktober: 10, november: 11, dezember: 12,
};
const MONTH_NAMES = Object.keys(MONTHS).join("|");
const NUMBER_WORDS: Record<string, number> = { einem: 1, einen: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10 };

export type DateSuggestion = { text: string; precision: DatePrecision; from: "quote" | "relative" | "interview" };

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * When the fact of a quote holds: an explicit date ("am 8. Februar 2023", "im Juni 2024", "2022"), a
 * relative one ("letztes Jahr", "vor zwei Jahren") counted from the interview, else the interview date.
 */
export function suggestDate(quote: string, interviewDate: Date | string): DateSuggestion {
  const interview = new Date(interviewDate);
  const year = interview.getUTCFullYear();
  let m = new RegExp(`(\\d{1,2})\\.\\s*(${MONTH_NAMES})\\s+((?:19|20)\\d{2})`, "i").exec(quote);
  if (m) return { text: `${m[3]}-${pad(MONTHS[m[2]!.toLowerCase()]!)}-${pad(Number(m[1]))}`, precision: "day", from: "quote" };
  m = /\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\b/.exec(quote);
  if (m) return { text: `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`, precision: "day", from: "quote" };
  m = new RegExp(`(${MONTH_NAMES})\\s+((?:19|20)\\d{2})`, "i").exec(quote);
  if (m) return { text: `${m[2]}-${pad(MONTHS[m[1]!.toLowerCase()]!)}`, precision: "month", from: "quote" };
  m = /\b((?:19|20)\d{2})\b/.exec(quote);
  if (m) return { text: m[1]!, precision: "year", from: "quote" };
  if (/\bvorletzte[ns]? jahr/i.test(quote)) return { text: String(year - 2), precision: "year", from: "relative" };
  if (/\b(letzte[ns]?|vorige[ns]?|vergangene[ns]?) jahr/i.test(quote)) return { text: String(year - 1), precision: "year", from: "relative" };
  m = /\bvor (\d+|einem|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn) jahren?\b/i.exec(quote);
  if (m) {
    const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
    return { text: String(year - n), precision: "year", from: "relative" };
  }
  if (/\bdiese[ns]? jahr/i.test(quote)) return { text: String(year), precision: "year", from: "relative" };
  if (/\b(letzte[ns]?|vorige[ns]?) monat/i.test(quote)) {
    const d = new Date(Date.UTC(year, interview.getUTCMonth() - 1, 1));
    return { text: periodText(d, "month"), precision: "month", from: "relative" };
  }
  return { text: periodText(interview, "day"), precision: "day", from: "interview" };
}
