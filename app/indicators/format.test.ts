// Indicator values as people read them: nationality codes as country names in the page language.
import { describe, expect, it } from "vitest";
import { createI18n } from "../i18n/config.ts";
import { formatValue, indicatorLabel } from "./format.ts";

describe("formatValue", () => {
  it("shows nationality codes as country names with the code, in German and English; other entries as before", () => {
    const nationality = { code: "P.STAAT", type: "multi" };
    const de = createI18n("de").t;
    const en = createI18n("en").t;
    expect(formatValue(de, nationality, ["SOM", "SYR"], "de")).toBe("Somalia (SOM), Syrien (SYR)");
    expect(formatValue(en, nationality, ["SYR", "ungeklaert"], "en")).toBe("Syria (SYR), unresolved");
    expect(formatValue(de, nationality, ["ungeklaert", "XYZ"], "de")).toBe("ungeklärt, XYZ"); // no such country: the code itself
    expect(formatValue(de, { code: "S.LEIST", type: "multi" }, ["sgb2"], "de")).toBe("Bürgergeld (SGB II)"); // a list value: its label
  });
});

describe("indicatorLabel", () => {
  it("starts an English label upper case (the indicator set writes 'sex', 'residence status'), German as it is", () => {
    const def = { labelDe: "Geschlecht", labelEn: "sex" };
    expect(indicatorLabel(def, "en")).toBe("Sex");
    expect(indicatorLabel({ labelDe: "Deutschniveau", labelEn: "German level" }, "en")).toBe("German level");
    expect(indicatorLabel(def, "de")).toBe("Geschlecht");
  });
});
