// "Disagree" per indicator type: the rule behind the contradiction flags on the case and the dashboard.
import { compareObservations, registerValueAt } from "./disagree.ts";

const known = (value: unknown) => ({ state: "known", value });

describe("ordinal: German level", () => {
  const dtniv = { code: "S.DTNIV", type: "enum" };
  it("a different level disagrees, with the direction of the story", () => {
    expect(compareObservations(dtniv, known("B1"), known("A2"))).toEqual({ disagree: true, kind: "ordinal", direction: "higher" });
    expect(compareObservations(dtniv, known("A1"), known("B2"))).toEqual({ disagree: true, kind: "ordinal", direction: "lower" });
  });
  it("the same level agrees", () => {
    expect(compareObservations(dtniv, known("B1"), known("B1"))).toEqual({ disagree: false });
  });
});

describe("categorical", () => {
  const aufst = { code: "S.AUFST", type: "enum" };
  it("a different value disagrees, the same agrees", () => {
    expect(compareObservations(aufst, known("niederlassung"), known("ae_25_2_gfk"))).toEqual({ disagree: true, kind: "categorical" });
    expect(compareObservations(aufst, known("niederlassung"), known("niederlassung"))).toEqual({ disagree: false });
  });
  it("booleans are categorical", () => {
    expect(compareObservations({ code: "S.VEREIN", type: "boolean" }, known(true), known(false))).toEqual({ disagree: true, kind: "categorical" });
  });
});

describe("other types", () => {
  it("sets compare as sets, regardless of order", () => {
    const leist = { code: "S.LEIST", type: "multi" };
    expect(compareObservations(leist, known(["sgb2", "sgb3"]), known(["sgb3", "sgb2"]))).toEqual({ disagree: false });
    expect(compareObservations(leist, known(["keiner"]), known(["sgb2"]))).toEqual({ disagree: true, kind: "set" });
  });
  it("numbers and days", () => {
    expect(compareObservations({ code: "P.GEBJ", type: "number" }, known(1986), known(1987))).toEqual({ disagree: true, kind: "number" });
    expect(compareObservations({ code: "S.EINB", type: "date" }, known("2024-01-02"), known("2024-01-02"))).toEqual({ disagree: false });
  });
});

describe("states", () => {
  const dtniv = { code: "S.DTNIV", type: "enum" };
  it("unknown on either side gives no verdict", () => {
    expect(compareObservations(dtniv, known("B1"), { state: "unknown", value: null })).toBeNull();
    expect(compareObservations(dtniv, { state: "unknown", value: null }, known("B1"))).toBeNull();
  });
  it("not applicable against a known value disagrees", () => {
    expect(compareObservations(dtniv, known("B1"), { state: "not_applicable", value: null })).toEqual({ disagree: true, kind: "state" });
  });
});

describe("the register's value at a date", () => {
  const at = (d: string, value: string, created = d) => ({ state: "known", value, observedAt: new Date(d), createdAt: new Date(created) });
  const history = [at("2023-01-10", "A1"), at("2024-05-20", "A2"), at("2024-05-20", "A2+", "2024-06-30"), at("2025-01-01", "B2")];
  it("is the latest observation on or before the date, the later entry on the same day", () => {
    expect(registerValueAt(history, new Date("2024-06-01"))?.value).toBe("A2+");
    expect(registerValueAt(history, new Date("2023-06-01"))?.value).toBe("A1");
    expect(registerValueAt(history, new Date("2022-06-01"))).toBeNull();
  });
});
