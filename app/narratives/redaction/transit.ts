// Countries on the way, not of origin: "über die Türkei und Griechenland nach Deutschland", "drei Jahre in einem
// Lager in Jordanien", "via Turkey and Greece". Proposed as "[Transitland]" ("[transit country]" where the words
// around are English), so the reviewer is not told the route country is where the person comes from; the route
// still narrows (with a year and a profession), so it is replaced too. A country counts as transit only in route
// context: after a route word (über, durch, via, in einem Lager in, Zwischenstation, Balkanroute …), joined to such a
// country ("und", "dann nach"), or elsewhere in the same text once it was one. Anywhere else the frequent countries
// of origin stay "[Herkunftsland]" (descriptors.ts) and the others are left as they are, as before.
//
// Deutschland, Schweiz and Frankreich (Germany, Switzerland, France) are never transit here: Germany is where the
// story arrives, and in this district the other two are the neighbours across the Rhine (Basel, Saint-Louis:
// places.ts lists those places, no countries), so "über die Schweiz" is the way to work, not the flight route.
import type { Hit } from "./types.ts";
import { fittedCountry, NATIONS, type Gender } from "./descriptors.ts";

export const TRANSIT = { de: "[Transitland]", en: "[transit country]" } as const;
type Language = keyof typeof TRANSIT;

// The countries of the Eastern, Central and Western Mediterranean and Western Balkan routes and the eastern land
// borders (Frontex, "Migratory routes", frontex.europa.eu, and UNHCR's Mediterranean situation portal,
// data.unhcr.org/en/situations/mediterranean), plus the neighbours of the frequent countries of origin where people
// wait for years (Jordan, Lebanon, Pakistan, Iran, Sudan, Ethiopia). German names and genders after the Auswärtiges
// Amt's "Verzeichnis der Staatennamen für den amtlichen Gebrauch"; "der Libanon", "die Türkei", otherwise neuter.
type RouteCountry = { de: string[]; en: string[]; gender: Gender };
const ROUTE_COUNTRIES: RouteCountry[] = [
  { de: ["Türkei"], en: ["Turkey", "Türkiye"], gender: "f" },
  { de: ["Griechenland"], en: ["Greece"], gender: "n" },
  { de: ["Bulgarien"], en: ["Bulgaria"], gender: "n" },
  { de: ["Nordmazedonien", "Mazedonien"], en: ["North Macedonia", "Macedonia"], gender: "n" },
  { de: ["Serbien"], en: ["Serbia"], gender: "n" },
  { de: ["Kosovo"], en: ["Kosovo"], gender: "m" },
  { de: ["Albanien"], en: ["Albania"], gender: "n" },
  { de: ["Montenegro"], en: ["Montenegro"], gender: "n" },
  { de: ["Bosnien und Herzegowina", "Bosnien-Herzegowina", "Bosnien"], en: ["Bosnia and Herzegovina", "Bosnia"], gender: "n" },
  { de: ["Kroatien"], en: ["Croatia"], gender: "n" },
  { de: ["Slowenien"], en: ["Slovenia"], gender: "n" },
  { de: ["Ungarn"], en: ["Hungary"], gender: "n" },
  { de: ["Rumänien"], en: ["Romania"], gender: "n" },
  { de: ["Österreich"], en: ["Austria"], gender: "n" },
  { de: ["Slowakei"], en: ["Slovakia"], gender: "f" },
  { de: ["Tschechien"], en: ["Czechia", "Czech Republic"], gender: "n" },
  { de: ["Polen"], en: ["Poland"], gender: "n" },
  { de: ["Belarus", "Weißrussland"], en: ["Belarus"], gender: "n" },
  { de: ["Russland"], en: ["Russia"], gender: "n" },
  { de: ["Italien"], en: ["Italy"], gender: "n" },
  { de: ["Malta"], en: ["Malta"], gender: "n" },
  { de: ["Spanien"], en: ["Spain"], gender: "n" },
  { de: ["Libyen"], en: ["Libya"], gender: "n" },
  { de: ["Tunesien"], en: ["Tunisia"], gender: "n" },
  { de: ["Algerien"], en: ["Algeria"], gender: "n" },
  { de: ["Marokko"], en: ["Morocco"], gender: "n" },
  { de: ["Ägypten"], en: ["Egypt"], gender: "n" },
  { de: ["Sudan"], en: ["Sudan"], gender: "m" },
  { de: ["Niger"], en: ["Niger"], gender: "m" },
  { de: ["Tschad"], en: ["Chad"], gender: "m" },
  { de: ["Äthiopien"], en: ["Ethiopia"], gender: "n" },
  { de: ["Jordanien"], en: ["Jordan"], gender: "n" },
  { de: ["Libanon"], en: ["Lebanon"], gender: "m" },
  { de: ["Pakistan"], en: ["Pakistan"], gender: "n" },
  // The frequent countries of origin are on others' routes too (Afghans through Iran, Kurds through Iraq).
  ...NATIONS.map((n) => ({ de: [n.country], en: [n.en.country], gender: n.gender })),
];

const ARTICLE_DE = String.raw`(?:(?:den|die|das|der|dem)\s+)?`;
// Route words right before the country (its article in between). "über" is also "about" ("Über Libyen möchte ich
// nicht sprechen"): that reading is ruled out below by the verb after it.
const LEAD_DE = new RegExp(
  String.raw`(?<![\p{L}])(?:[Üü]ber|[Dd]urch|[Qq]uer\s+durch|[Vv]ia|[Tt]ransit\s+durch|(?:[Ff]lüchtlings|[Aa]uffang)?(?:[Ll]ager|[Cc]amp)\s+(?:in|im|bei|an\s+der)|[Zz]wischen(?:station|stopp|halt)\s+(?:in|im)|(?:[Bb]alkan|[Mm]ittelmeer|[Ff]lucht)route\s+(?:durch|über|nach|in|bis)|(?:[Üü]ber|[Dd]urch)\s+(?:die|den|das)\s+(?:Grenze|Berge|Meer|Mittelmeer|Wüste|Ägäis|Fluss|Wald|Wälder)\s+(?:in|nach|bis))\s+${ARTICLE_DE}$`,
  "u",
);
const LEAD_EN = new RegExp(
  String.raw`(?<![\p{L}])(?:[Vv]ia|[Tt]hrough|[Aa]cross|[Bb]y\s+way\s+of|[Tt]ransit(?:ing)?\s+(?:through|in)|(?:refugee\s+)?camps?\s+(?:in|near)|stop(?:over|-over)?\s+in|(?:Balkan|Mediterranean)\s+route\s+(?:through|via|to|into|in)|crossed\s+(?:over\s+)?(?:in)?to|(?:over|across|through)\s+the\s+(?:border|mountains|sea|Mediterranean|desert|Aegean|river)\s+(?:in)?to)\s+(?:the\s+)?$`,
  "u",
);
// After the country: "Griechenland war nur eine Zwischenstation", "Greece was only a stopover".
const TRAIL = /^\s+(?:war|ist|blieb|was|is|remained)\s+(?:(?:nur|bloß|für\s+uns|only|just|for\s+us)\s+)*(?:(?:eine?|a)\s+)?(?:Zwischenstation|Durchgangsstation|Transitland|stopover|stop-over|transit\s+country|stop\s+on\s+the\s+way)/iu;
// Between two countries of one route: "die Türkei und Griechenland", "den Libanon in die Türkei, dann nach Lesbos".
const CHAIN_DE = new RegExp(String.raw`^\s*(?:,|und|oder|sowie|bzw\.)?\s*(?:(?:dann|danach|später|weiter|zuletzt)\s+)?(?:(?:über|durch|nach|in|bis|via)\s+)?${ARTICLE_DE}$`, "u");
const CHAIN_EN = /^\s*(?:,|and|or)?\s*(?:(?:then|later|finally|on)\s+)?(?:(?:to|into|through|via|across|in)\s+)?(?:the\s+)?$/u;
// "über Syrien sprechen": about, not via. A verb of talking or knowing later in the clause.
const TALK_AFTER = /^[^.,;:!?]{0,60}?(?<![\p{L}])(?:sprechen|reden|erzählen|berichten|nachdenken|schreiben|lesen|gesprochen|geredet|erzählt|berichtet|nachgedacht|geschrieben|gelesen|weiß|wissen|wusste|hören|gehört|spricht|redet)(?![\p{L}])/iu;

type Found = { start: number; end: number; country: RouteCountry; language: Language | null };

// Compiled once: the detectors run on every segment of every narrative and export.
const NAMES = ROUTE_COUNTRIES.flatMap((country) => [
  ...country.de.map((name) => ({ name, country, language: country.en.includes(name) ? null : ("de" as const) })),
  ...country.en.filter((name) => !country.de.includes(name)).map((name) => ({ name, country, language: "en" as const })),
]).sort((a, b) => b.name.length - a.name.length);
const COUNTRY_RE = new RegExp(
  `(?<![\\p{L}\\p{N}-])(?:${NAMES.map((n) => `(${n.name.replace(/[-\s]+/g, (s) => (s.includes("-") ? "-" : "\\s+"))})`).join("|")})(s)?(?![\\p{L}\\p{N}])`,
  "gu",
);

function occurrences(text: string): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(COUNTRY_RE)) {
    const i = m.slice(1, -1).findIndex((g) => g !== undefined);
    const n = NAMES[i]!;
    // A genitive "s" only on a German name ("Griechenlands"), never on a name ending in s.
    if (m.at(-1) && (n.language === "en" || /s$/u.test(n.name))) continue;
    out.push({ start: m.index, end: m.index + m[0].length, country: n.country, language: n.language });
  }
  return out;
}

/** Route countries where the words around say they were on the way; every other occurrence is left alone. */
export function transitCountries(text: string): Hit[] {
  const found = occurrences(text);
  const transit = new Map<Found, Language>();
  let previous: { found: Found; language: Language } | null = null;
  for (const f of found) {
    const before = text.slice(Math.max(0, f.start - 60), f.start);
    const after = text.slice(f.end, f.end + 80);
    let language: Language | null = null;
    const de = LEAD_DE.exec(before);
    if (de && !(/^(?:[Üü]ber)\s/u.test(de[0].trimStart()) && TALK_AFTER.test(after))) language = "de";
    else if (LEAD_EN.test(before)) language = "en";
    else if (TRAIL.test(after)) language = /^\s+(?:war|ist|blieb)\s/iu.test(after) ? "de" : "en";
    else if (previous && previous.found.end <= f.start) {
      const gap = text.slice(previous.found.end, f.start);
      if (previous.language === "de" ? CHAIN_DE.test(gap) : CHAIN_EN.test(gap)) language = previous.language;
    }
    if (language) {
      // A name that belongs to one language wins over the route word's ("via Griechenland" is German text).
      transit.set(f, f.language ?? language);
      previous = { found: f, language: f.language ?? language };
    } else previous = null;
  }
  // The same country elsewhere in the text was on the same way ("Über Libyen möchte ich nicht sprechen").
  const known = new Map([...transit].map(([f, language]) => [f.country, language] as const));
  const out: Hit[] = [];
  for (const f of found) {
    const language = transit.get(f) ?? (known.has(f.country) ? (f.language ?? known.get(f.country)!) : null);
    if (!language) continue;
    out.push(language === "de" ? fittedCountry(text, f.start, f.end, f.country.gender, "transit", TRANSIT.de) : { start: f.start, end: f.end, text: text.slice(f.start, f.end), category: "transit", source: "pattern", suggestion: TRANSIT.en });
  }
  return out;
}
