// Rare nationalities and languages are reduced to a region, cities of origin to their country
// (consent-and-privacy.md: "rare nationalities or languages (reduce to region)"). Frequent ones in the district
// (Syrian, Afghan, Ukrainian, Turkish, Iraqi; Arabic, Turkish, Ukrainian, Russian) are not reduced here; the
// nationalities among them are proposed as "[Herkunftsland]" by descriptors.ts (in combination they identify).
// Adjective stems keep their ending: "eritreische" -> "ostafrikanische".
// English names and demonyms of the same countries (UN country names, unterm.un.org) get the English region
// ("Ethiopia" -> "[country in East Africa]", "an Eritrean family" -> "an East African family"); a name spelled alike
// in both languages ("Eritrea", "Somalia", "Nepal") follows the words of its sentence (language.ts).
export type OriginTerm = { pattern: string; replacement: string; kind: "country" | "adjective" | "demonym" | "language" | "city" | "english" };

/** The English of each region replacement, for English names and for shared names in an English sentence. */
export const REGION_EN: Record<string, string> = {
  "[Land in Ostafrika]": "[country in East Africa]",
  "[ostafrikanische Sprache]": "[East African language]",
  "[zentralasiatische Sprache]": "[Central Asian language]",
  "[südasiatische Sprache]": "[South Asian language]",
  "[Land in Zentralasien]": "[country in Central Asia]",
  "[Land in Südasien]": "[country in South Asia]",
  "[Land in Westafrika]": "[country in West Africa]",
  "[Land auf der Arabischen Halbinsel]": "[country on the Arabian Peninsula]",
  "[kurdische Sprache]": "[Kurdish language]",
  "[nahöstliche Sprache]": "[Middle Eastern language]",
  "[Region im Kaukasus]": "[region in the Caucasus]",
  "[Land im Kaukasus]": "[country in the Caucasus]",
  "[kaukasische Sprache]": "[Caucasian language]",
  "[Stadt im Herkunftsland]": "[city in the country of origin]",
  "[Region im Herkunftsland]": "[region in the country of origin]",
  "[Stadt in Ostafrika]": "[city in East Africa]",
};

const horn = "[Land in Ostafrika]";
/**
 * Language names that English also uses for the people ("a Somali woman", "she is Tamil"): there the region's
 * adjective replaces them, as for "Eritrean", not the language placeholder.
 */
export const PEOPLE_ADJECTIVE_EN: Record<string, string> = { Somali: "East African", Oromo: "East African", Tamil: "South Asian", Bengali: "South Asian" };

export const ORIGIN_TERMS: OriginTerm[] = [
  // Horn of Africa and East Africa
  { pattern: "Eritrea", replacement: horn, kind: "country" },
  { pattern: "eritreisch", replacement: "ostafrikanisch", kind: "adjective" },
  { pattern: "Eritreer", replacement: "Ostafrikaner", kind: "demonym" },
  { pattern: "Äthiopien", replacement: horn, kind: "country" },
  { pattern: "äthiopisch", replacement: "ostafrikanisch", kind: "adjective" },
  { pattern: "Äthiopier", replacement: "Ostafrikaner", kind: "demonym" },
  { pattern: "Somalia", replacement: horn, kind: "country" },
  { pattern: "somalisch", replacement: "ostafrikanisch", kind: "adjective" },
  { pattern: "Somalier", replacement: "Ostafrikaner", kind: "demonym" },
  { pattern: "Tigrinya", replacement: "[ostafrikanische Sprache]", kind: "language" },
  { pattern: "Tigrinisch", replacement: "[ostafrikanische Sprache]", kind: "language" },
  { pattern: "Tigre", replacement: "[ostafrikanische Sprache]", kind: "language" },
  { pattern: "Amharisch", replacement: "[ostafrikanische Sprache]", kind: "language" },
  { pattern: "Oromo", replacement: "[ostafrikanische Sprache]", kind: "language" },
  { pattern: "Somali", replacement: "[ostafrikanische Sprache]", kind: "language" },
  // Central and South Asia
  { pattern: "Dari", replacement: "[zentralasiatische Sprache]", kind: "language" },
  { pattern: "Paschtu", replacement: "[zentralasiatische Sprache]", kind: "language" },
  { pattern: "Paschto", replacement: "[zentralasiatische Sprache]", kind: "language" },
  { pattern: "Pashto", replacement: "[zentralasiatische Sprache]", kind: "language" },
  { pattern: "Hazaragi", replacement: "[zentralasiatische Sprache]", kind: "language" },
  { pattern: "Urdu", replacement: "[südasiatische Sprache]", kind: "language" },
  { pattern: "Tamil", replacement: "[südasiatische Sprache]", kind: "language" },
  { pattern: "Bengali", replacement: "[südasiatische Sprache]", kind: "language" },
  { pattern: "Tadschikistan", replacement: "[Land in Zentralasien]", kind: "country" },
  { pattern: "Usbekistan", replacement: "[Land in Zentralasien]", kind: "country" },
  { pattern: "Kirgisistan", replacement: "[Land in Zentralasien]", kind: "country" },
  { pattern: "Sri Lanka", replacement: "[Land in Südasien]", kind: "country" },
  { pattern: "Bangladesch", replacement: "[Land in Südasien]", kind: "country" },
  { pattern: "Nepal", replacement: "[Land in Südasien]", kind: "country" },
  // West Africa, Middle East, others rare in the district
  { pattern: "Gambia", replacement: "[Land in Westafrika]", kind: "country" },
  { pattern: "Guinea", replacement: "[Land in Westafrika]", kind: "country" },
  { pattern: "Sierra Leone", replacement: "[Land in Westafrika]", kind: "country" },
  { pattern: "Togo", replacement: "[Land in Westafrika]", kind: "country" },
  { pattern: "Mali", replacement: "[Land in Westafrika]", kind: "country" },
  { pattern: "Jemen", replacement: "[Land auf der Arabischen Halbinsel]", kind: "country" },
  { pattern: "jemenitisch", replacement: "arabisch", kind: "adjective" },
  { pattern: "Jesidisch", replacement: "[kurdische Sprache]", kind: "language" },
  { pattern: "Kurmandschi", replacement: "[kurdische Sprache]", kind: "language" },
  { pattern: "Sorani", replacement: "[kurdische Sprache]", kind: "language" },
  { pattern: "Aramäisch", replacement: "[nahöstliche Sprache]", kind: "language" },
  { pattern: "Tschetschenien", replacement: "[Region im Kaukasus]", kind: "country" },
  { pattern: "Tschetschenisch", replacement: "[kaukasische Sprache]", kind: "language" },
  { pattern: "Georgisch", replacement: "[kaukasische Sprache]", kind: "language" },
  // German only: the English "Georgia" is also a first name (and a US state)
  { pattern: "Georgien", replacement: "[Land im Kaukasus]", kind: "country" },
  { pattern: "Georgier", replacement: "Kaukasier", kind: "demonym" },
  { pattern: "Mongolei", replacement: "[Land in Zentralasien]", kind: "country" },
  // English-only names and demonyms of the countries above (the replacement is the English one already)
  { pattern: "Ethiopia", replacement: "[country in East Africa]", kind: "english" },
  { pattern: "Eritreans?|Ethiopians?|Somalians?", replacement: "East African", kind: "english" },
  { pattern: "Tajikistan|Uzbekistan|Kyrgyzstan|Mongolia", replacement: "[country in Central Asia]", kind: "english" },
  { pattern: "Bangladesh", replacement: "[country in South Asia]", kind: "english" },
  { pattern: "Yemen", replacement: "[country on the Arabian Peninsula]", kind: "english" },
  { pattern: "Yemenis?", replacement: "Arab", kind: "english" },
  { pattern: "Chechnya", replacement: "[region in the Caucasus]", kind: "english" },
  // Demonyms of the same (plural "Somalis" only: a singular "Somali" is the language above, or the people's
  // adjective where English uses it for them, PEOPLE_ADJECTIVE_EN)
  { pattern: "Somalis", replacement: "East African", kind: "english" },
  { pattern: "Chechens?", replacement: "North Caucasian", kind: "english" },
  { pattern: "Georgians?", replacement: "South Caucasian", kind: "english" },
  { pattern: "Tajiks?|Uzbeks?|Kyrgyz", replacement: "Central Asian", kind: "english" },
  { pattern: "Bangladeshis?", replacement: "South Asian", kind: "english" },
  // Cities of origin: a city plus a profession identifies. In the frequent countries of origin the country itself
// is proposed as "[Herkunftsland]" (descriptors.ts), so their cities do not name it either.
  { pattern: "Homs", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Aleppo", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Damaskus", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Idlib", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Hama", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Raqqa", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Deir ez-Zor", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Latakia", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Daraa", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Kobane", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Herat", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Kabul", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Kandahar", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Mazar-e Sharif", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Masar-e Scharif", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Kundus", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Dschalalabad", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Ghazni", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Keren", replacement: "[Stadt in Ostafrika]", kind: "city" },
  { pattern: "Asmara", replacement: "[Stadt in Ostafrika]", kind: "city" },
  { pattern: "Massawa", replacement: "[Stadt in Ostafrika]", kind: "city" },
  { pattern: "Mendefera", replacement: "[Stadt in Ostafrika]", kind: "city" },
  { pattern: "Addis Abeba", replacement: "[Stadt in Ostafrika]", kind: "city" },
  { pattern: "Mogadischu", replacement: "[Stadt in Ostafrika]", kind: "city" },
  { pattern: "Mossul", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Sindschar", replacement: "[Region im Herkunftsland]", kind: "city" },
  { pattern: "Sinjar", replacement: "[Region im Herkunftsland]", kind: "city" },
  { pattern: "Kirkuk", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Charkiw", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Mariupol", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Cherson", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Saporischschja", replacement: "[Stadt im Herkunftsland]", kind: "city" },
  { pattern: "Odessa", replacement: "[Stadt im Herkunftsland]", kind: "city" },
];
