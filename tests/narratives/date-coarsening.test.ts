// Coarsened dates must read as German where they stand, in an export that replaces identifying details (no review)
// and in a narrative whose proposals were all accepted (the same engine): the article or preposition that belongs
// to the date is fitted ("Heute ist der 11. März 2025" never becomes "Heute ist der Frühjahr 2025"), and a winter
// is named across the turn of the year. The sentences are the fixtures' own (../shared/fixtures/interviews); forms
// the fixtures do not use (numeric dates, "Anfang März", no year) are written into those sentences.
import fs from "node:fs";
import path from "node:path";
import { EMPTY_CONTEXT } from "../../app/narratives/redaction/detect.ts";
import { replaceIdentifying } from "../../app/narratives/redaction/replace.ts";
import { keyOf } from "../../app/narratives/redaction/proposals.ts";
import { redactionView } from "../../app/narratives/view.ts";
import type { RedactionState } from "../../app/narratives/redaction/types.ts";

const DIR = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
const fixture = (n: number) => fs.readFileSync(path.join(DIR, `int-0${n}.txt`), "utf8");

type Row = { fixture: number; text: string; as?: [string, string]; expected: string };

const ROWS: Row[] = [
  // an article: the date is the subject or predicate
  { fixture: 1, text: "Heute ist der 11. März 2025, wir sitzen im Büro", expected: "Heute ist ein Tag im Frühjahr 2025, wir sitzen im Büro" },
  { fixture: 1, text: "Heute ist der 11. März 2025, wir sitzen im Büro", as: ["11. März 2025", "11.03.2025"], expected: "Heute ist ein Tag im Frühjahr 2025, wir sitzen im Büro" },
  { fixture: 1, text: "Heute ist der 11. März 2025, wir sitzen im Büro", as: ["11. März 2025", "11.3.25"], expected: "Heute ist ein Tag im Frühjahr 2025, wir sitzen im Büro" },
  { fixture: 1, text: "Heute ist der 11. März 2025, wir sitzen im Büro", as: ["11. März 2025", "11. März"], expected: "Heute ist ein Tag im Frühjahr, wir sitzen im Büro" },
  { fixture: 1, text: "Heute ist der 11. März 2025, wir sitzen im Büro", as: ["der 11. März 2025", "Dienstag, den 11. März 2025"], expected: "Heute ist Dienstag, [Datum im Frühjahr 2025], wir sitzen im Büro" },
  { fixture: 2, text: "Heute ist der 2. April 2025.", expected: "Heute ist ein Tag im Frühjahr 2025." },
  { fixture: 3, text: "Heute ist der 15. April 2025, wir", as: ["Heute ist der", "Der"], expected: "Ein Tag im Frühjahr 2025, wir" },
  // "am": the season takes "im", a year none
  { fixture: 1, text: "Am 22. Oktober 2015 sind wir in Karlsruhe angekommen", expected: "Im Herbst 2015 sind wir in Karlsruhe angekommen" },
  { fixture: 1, text: "Am 22. Oktober 2015 sind wir in Karlsruhe angekommen", as: ["22. Oktober 2015", "22.10.2015"], expected: "Im Herbst 2015 sind wir in Karlsruhe angekommen" },
  { fixture: 1, text: "Am 8. Februar 2023 kam der Bescheid", expected: "Im Winter 2022/23 kam der Bescheid" },
  { fixture: 1, text: "Am 8. Februar 2023 kam der Bescheid", as: ["Am 8. Februar 2023", "An dem 8. Februar"], expected: "Im Winter kam der Bescheid" },
  { fixture: 3, text: "Am 17. Mai 2024 hatte er endlich den Termin.", expected: "Im Frühjahr 2024 hatte er endlich den Termin." },
  // a temporal preposition with its article: the article goes
  { fixture: 1, text: "seit dem 1. April 2023 arbeite ich in der Apotheke", expected: "seit Frühjahr 2023 arbeite ich in der [Arbeitsstelle im Gesundheitswesen]" },
  { fixture: 1, text: "seit dem 1. April 2023 arbeite ich in der Apotheke", as: ["1. April 2023", "01.04.2023"], expected: "seit Frühjahr 2023 arbeite ich in der [Arbeitsstelle im Gesundheitswesen]" },
  { fixture: 1, text: "seit dem 1. April 2023 arbeite ich in der Apotheke", as: ["seit dem", "bis zum"], expected: "bis Frühjahr 2023 arbeite ich in der [Arbeitsstelle im Gesundheitswesen]" },
  { fixture: 2, text: "Seit dem 1. September 2024 mache ich eine Ausbildung", expected: "Seit Herbst 2024 mache ich eine Ausbildung" },
  { fixture: 3, text: "sie ist seit dem 9. November 2022 als Flüchtling anerkannt", expected: "sie ist seit Herbst 2022 als Flüchtling anerkannt" },
  // a month with its year
  { fixture: 1, text: "Seit August 2023 bekommen wir kein Geld mehr", expected: "Seit Sommer 2023 bekommen wir kein Geld mehr" },
  { fixture: 1, text: "Seit August 2023 bekommen wir kein Geld mehr", as: ["Seit August", "Seit Ende August"], expected: "Seit Sommer 2023 bekommen wir kein Geld mehr" },
  { fixture: 1, text: "Im November 2022 habe ich die Fachsprachprüfung bestanden", expected: "Im Herbst 2022 habe ich die Fachsprachprüfung bestanden" },
  { fixture: 2, text: "Im Juni 2024 habe ich B1 bestanden", expected: "Im Sommer 2024 habe ich B1 bestanden" },
  { fixture: 3, text: "Im März 2022 ist sie in Deutschland angekommen.", expected: "Im Frühjahr 2022 ist sie in Deutschland angekommen." },
  { fixture: 3, text: "Im März 2022 ist sie in Deutschland angekommen.", as: ["Im März", "Anfang März"], expected: "Im Frühjahr 2022 ist sie in Deutschland angekommen." },
  { fixture: 3, text: "Den A2-Test ich habe geschafft im Januar 2025.", expected: "Den A2-Test ich habe geschafft im Winter 2024/25." },
  { fixture: 3, text: "Den A2-Test ich habe geschafft im Januar 2025.", as: ["Januar 2025", "Dezember 2024"], expected: "Den A2-Test ich habe geschafft im Winter 2024/25." },
  // a month without a year, with the word that makes it a date ("im", "Anfang", "Mitte", "Ende"): the season, as for
  // a month with its year ("März 2022" -> "Frühjahr 2022"); "Anfang" is capitalised anywhere, "im" only at the start
  { fixture: 3, text: "Im März 2022 ist sie in Deutschland angekommen.", as: ["Im März 2022", "Im März"], expected: "Im Frühjahr ist sie in Deutschland angekommen." },
  { fixture: 3, text: "Im März 2022 ist sie in Deutschland angekommen.", as: ["Im März 2022", "Anfang März"], expected: "Im Frühjahr ist sie in Deutschland angekommen." },
  { fixture: 3, text: "Im März 2022 ist sie in Deutschland angekommen.", as: ["Im März 2022 ist sie", "Sie ist Mitte März"], expected: "Sie ist im Frühjahr in Deutschland angekommen." },
  { fixture: 3, text: "Den A2-Test ich habe geschafft im Januar 2025.", as: ["Januar 2025", "Januar"], expected: "Den A2-Test ich habe geschafft im Winter." },
  { fixture: 3, text: "Den A2-Test ich habe geschafft im Januar 2025.", as: ["im Januar 2025", "Ende Januar"], expected: "Den A2-Test ich habe geschafft im Winter." },
  { fixture: 2, text: "Im Juni 2024 habe ich B1 bestanden", as: ["Im Juni 2024 habe ich", "Ich habe Mitte Juni"], expected: "Ich habe im Sommer B1 bestanden" },
  { fixture: 1, text: "seit dem 1. April 2023 arbeite ich in der Apotheke", as: ["seit dem 1. April 2023", "seit Anfang April"], expected: "seit Frühjahr arbeite ich in der [Arbeitsstelle im Gesundheitswesen]" },
  { fixture: 1, text: "Seit August 2023 bekommen wir kein Geld mehr", as: ["August 2023", "Ende August"], expected: "Seit Sommer bekommen wir kein Geld mehr" },
  // abbreviated: the dot that ends the sentence stays
  { fixture: 1, text: "Im November 2022 habe ich die Fachsprachprüfung bestanden", as: ["Im November 2022", "Ende Nov."], expected: "Im Herbst habe ich die Fachsprachprüfung bestanden" },
  { fixture: 3, text: "Den A2-Test ich habe geschafft im Januar 2025.", as: ["im Januar 2025.", "Anfang Jan."], expected: "Den A2-Test ich habe geschafft im Winter." },
  // a part of the month with its year inside the sentence: "im", not "Im"
  { fixture: 1, text: "Am 22. Oktober 2015 sind wir in Karlsruhe angekommen", as: ["Am 22. Oktober 2015 sind wir", "Wir sind Anfang Oktober 2015"], expected: "Wir sind im Herbst 2015 in Karlsruhe angekommen" },
  // a date of birth: the year only
  { fixture: 1, text: "ich bin am 14. März 1986 in Homs geboren", expected: "ich bin 1986 in [Stadt im Herkunftsland] geboren" },
  { fixture: 1, text: "ich bin am 14. März 1986 in Homs geboren", as: ["14. März 1986", "14.03.1986"], expected: "ich bin 1986 in [Stadt im Herkunftsland] geboren" },
  { fixture: 2, text: "geboren am 1. Januar 2003, aber das stimmt nicht genau", expected: "geboren 2003, aber das stimmt nicht genau" },
  { fixture: 3, text: "Geboren am 21. März 1990, das ist Nouruz", expected: "Geboren 1990, das ist Nouruz" },
];

const state: RedactionState = { decisions: [], nameMode: "placeholder", editorIds: [], reviewComment: null, submittedById: null };

/** The narrative's text with every proposal accepted as suggested, and what the final check still finds. */
function narrative(text: string) {
  const blocks = [{ id: "t", kind: "text" as const, at: null, text }];
  const first = redactionView("Titel", blocks, state, EMPTY_CONTEXT);
  const decisions = first.proposals.map((p) => ({ key: keyOf(p.text), text: p.text, action: "accept" as const }));
  const view = redactionView("Titel", blocks, { ...state, decisions }, EMPTY_CONTEXT);
  return { text: view.anonymized.sections[0]!.paragraphs.join(" "), problems: view.problems };
}

describe("coarsened dates in the fixtures' sentences", () => {
  it.each(ROWS.map((r) => [r.as ? r.text.replace(r.as[0], r.as[1]) : r.text, r] as const))("%s", (sentence, row) => {
    // the sentence is the fixture's own
    expect(fixture(row.fixture)).toContain(row.text);
    expect(replaceIdentifying(sentence, EMPTY_CONTEXT).text).toBe(row.expected);
    const reviewed = narrative(sentence);
    expect(reviewed.text).toBe(row.expected);
    // the fitted words are no new date for the final check
    expect(reviewed.problems).toEqual([]);
  });

  it("takes a month without a year only after those words: a name, a list of months, a day stay as they were", () => {
    // "August" the uncle is a name, "im August" a month: one text each, so neither takes the other's proposal
    expect(replaceIdentifying("Mein Onkel August kam im August.", EMPTY_CONTEXT).text).toBe("Mein Onkel [Name] kam im Sommer.");
    expect(replaceIdentifying("Die Kurse sind im Januar, März und Mai.", EMPTY_CONTEXT).text).toBe("Die Kurse sind im Winter, März und Mai.");
    expect(replaceIdentifying("Ende März-Ferien", EMPTY_CONTEXT).text).toBe("Ende März-Ferien");
    expect(replaceIdentifying("Heute ist der 11. März, wir sitzen", EMPTY_CONTEXT).text).toBe("Heute ist ein Tag im Frühjahr, wir sitzen");
  });

  it("carries a selection over the date and the words fitted to it", () => {
    const sentence = "Heute ist der 11. März 2025, wir sitzen im Büro";
    const r = replaceIdentifying(sentence, EMPTY_CONTEXT);
    expect(r.edits).toEqual([{ start: "Heute ist ".length, end: "Heute ist der 11. März 2025".length, newStart: "Heute ist ".length, newEnd: "Heute ist ein Tag im Frühjahr 2025".length }]);
  });
});

// The English forms of a month without a day, coarsened as "Anfang März" is ("im Frühjahr"), in English: the part of
// the month goes, the year stays, a winter is named across the turn of the year.
describe("English month phrases", () => {
  it.each([
    ["We arrived in Germany in early March.", "We arrived in Germany in spring."],
    ["In March we moved to a flat of our own.", "In spring we moved to a flat of our own."],
    ["At the end of March 2019 we came to the district.", "In spring 2019 we came to the district."],
    ["It was the end of March 2019.", "It was in spring 2019."],
    ["Since the end of March she works in a pharmacy.", "Since spring she works in a pharmacy."],
    ["He came mid-March, she came in late January 2020.", "He came in spring, she came in winter 2019/20."],
    ["By the beginning of May 2021 the course had started, in August it ended.", "By spring 2021 the course had started, in summer it ended."],
    ["We arrived in December 2019.", "We arrived in winter 2019/20."],
    ["The decision came on May 3, 2019.", "The decision came in spring 2019."],
    ["The decision came on 3 October 2019.", "The decision came in autumn 2019."],
    // April, August, September, November are German too: the date's own words say it is English
    ["The decision came on 3 April 2019.", "The decision came in spring 2019."],
    ["We arrived on the 3rd of August 2015.", "We arrived in summer 2015."],
    ["The interview was on November 21st, 2019.", "The interview was in autumn 2019."],
    ["It was the 2nd of September, a Monday.", "It was a day in autumn, a Monday."],
    ["Since 1st September 2024 I have been in training.", "Since autumn 2024 I have been in training."],
    // a day with no English word of its own follows its sentence, and opens it with a capital
    ["The decision, dated 3 April 2019, was negative.", "The decision, dated spring 2019, was negative."],
    ["3 April 2019: the decision came.", "Spring 2019: the decision came."],
    // the month first without a year: "on" before it or an ordinal makes it a date
    ["The letter came on March 14, the course began on May 3rd.", "The letter came in spring, the course began in spring."],
  ])("%s", (sentence, expected) => {
    expect(replaceIdentifying(sentence, EMPTY_CONTEXT).text).toBe(expected);
    const reviewed = narrative(sentence);
    expect(reviewed.text).toBe(expected);
    expect(reviewed.problems).toEqual([]);
  });

  it("takes an English month only with those words: a name, a list of months, a verb stay", () => {
    for (const text of ["My uncle March visited us.", "January, March and May are the course months.", "They march in the street; you may come.", "The March-holidays are short."]) {
      expect(replaceIdentifying(text, EMPTY_CONTEXT).text, text).toBe(text);
    }
    // a German day with such a month keeps the German season
    expect(replaceIdentifying("Am 3. April 2019 kam der Bescheid, am 1. November zog er um.", EMPTY_CONTEXT).text).toBe("Im Frühjahr 2019 kam der Bescheid, im Herbst zog er um.");
    // a month and a number that is no day stay
    expect(replaceIdentifying("Im März 3 Kinder, im Mai 12 Kurse.", EMPTY_CONTEXT).text).toBe("Im März 3 Kinder, im Mai 12 Kurse.");
    // as "im Januar, März und Mai": the month after "in" is a date, the others of the list stay
    expect(replaceIdentifying("The courses are in January, March and May.", EMPTY_CONTEXT).text).toBe("The courses are in winter, March and May.");
  });
});
