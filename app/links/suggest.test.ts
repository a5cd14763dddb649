// Suggestions are pre-filled proposals: they must name an allowed value and a sensible date, or nothing.
import { parseObservedDate } from "./observed-date.ts";
import { suggestDate, suggestIndicators, suggestValue } from "./suggest.ts";

const DTNIV = { code: "S.DTNIV", type: "enum", allowedValues: ["keins", "A1", "A2", "B1", "B2", "C1", "C2"] };
const AUFST = { code: "S.AUFST", type: "enum", allowedValues: ["gestattung", "duldung_60a", "ae_25_2_gfk", "ae_25_2_subsidiaer", "niederlassung", "eingebuergert"] };
const LEIST = { code: "S.LEIST", type: "multi", allowedValues: ["keiner", "sgb2", "asylblg", "sgb12", "sgb3", "bafoeg_bab"] };
const VEREIN = { code: "S.VEREIN", type: "boolean", allowedValues: null };

describe("suggested indicator from the code", () => {
  it("KUL.SPR speaks about the German level first", () => {
    expect(suggestIndicators("KUL.SPR")[0]).toBe("S.DTNIV");
    expect(suggestIndicators("STR.REC")).toContain("S.AUFST");
    expect(suggestIndicators("IDE.AMB")).toEqual([]);
    expect(suggestIndicators(null)).toEqual([]);
  });
});

describe("suggested value from the quote", () => {
  it.each([
    [DTNIV, "Ich habe letztes Jahr B1 bestanden", "B1"],
    [DTNIV, "Den A2-Test ich habe geschafft im Januar 2025.", "A2"],
    [DTNIV, "Im November 2022 habe ich die Fachsprachprüfung bestanden, das ist C1.", "C1"],
    [DTNIV, "Ich lerne noch.", null],
    [AUFST, "Ich habe nur subsidiären Schutz, keine Flüchtlingsanerkennung.", "ae_25_2_subsidiaer"],
    [AUFST, "Seit Juli 2022 haben wir die Niederlassungserlaubnis", "niederlassung"],
    [AUFST, "sie ist seit dem 9. November 2022 als Flüchtling anerkannt", "ae_25_2_gfk"],
    [LEIST, "Seit August 2023 bekommen wir kein Geld mehr vom Jobcenter", ["keiner"]],
    [LEIST, "Ich bekomme die Ausbildungsvergütung und dazu Berufsausbildungsbeihilfe.", ["bafoeg_bab"]],
    [VEREIN, "ich spiele im Fußballverein in Schönau", true],
  ] as const)("%j / %s", (def, quote, expected) => {
    expect(suggestValue({ ...def, allowedValues: def.allowedValues ? [...def.allowedValues] : null }, quote)).toEqual(expected);
  });

  it("never suggests a value the indicator does not allow", () => {
    expect(suggestValue({ code: "S.DTNIV", type: "enum", allowedValues: ["A1", "A2"] }, "B1 bestanden")).toBeNull();
  });

  it("reads a birth year", () => {
    expect(suggestValue({ code: "P.GEBJ", type: "number", allowedValues: null }, "ich bin am 14. März 1986 in Homs geboren")).toBe(1986);
    expect(suggestValue({ code: "P.GEBJ", type: "number", allowedValues: null }, "seit 2015 in Deutschland")).toBeNull();
    expect(suggestValue({ code: "P.GEBJ", type: "number", allowedValues: null }, "geboren am 21. März 1990")).toBe(1990);
  });
});

describe("suggested date", () => {
  const interview = "2025-04-02T10:00:00Z";
  it.each([
    ["Am 8. Februar 2023 kam der Bescheid", "2023-02-08", "day", "quote"],
    ["Im Juni 2024 habe ich B1 bestanden", "2024-06", "month", "quote"],
    ["Den A2-Test ich habe geschafft im Januar 2025.", "2025-01", "month", "quote"],
    ["seit 2019 wohne ich hier", "2019", "year", "quote"],
    ["Ich habe letztes Jahr B1 bestanden", "2024", "year", "relative"],
    ["vor zwei Jahren kam der Bescheid", "2023", "year", "relative"],
    ["am 03.10.2021 war das", "2021-10-03", "day", "quote"],
    ["Ich spiele Fußball", "2025-04-02", "day", "interview"],
  ])("%s -> %s", (quote, text, precision, from) => {
    const got = suggestDate(quote, interview);
    expect(got).toEqual({ text, precision, from });
    expect(parseObservedDate(got.text)?.precision).toBe(precision);
  });
});

describe("observed dates", () => {
  it("accepts year, month and day, nothing else", () => {
    expect(parseObservedDate("2024")?.date.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(parseObservedDate("2024-06")?.date.toISOString()).toBe("2024-06-01T00:00:00.000Z");
    expect(parseObservedDate("2024-02-29")?.precision).toBe("day");
    for (const bad of ["2023-02-29", "2024-13", "24-06", "2024/06", "", "juni 2024"]) expect(parseObservedDate(bad)).toBeNull();
  });
});
