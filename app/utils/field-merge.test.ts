// The three-way field merge behind the case, identity and interview forms (ADR 0013).
import { describe, expect, it } from "vitest";
import { mergeFields, mergeSet, pickMerged, readBase } from "./field-merge.ts";

const FIELDS = ["a", "b", "c"] as const;
const base = { a: "1", b: "1", c: "1" };

describe("mergeFields", () => {
  it("keeps what someone else saved in a field the person left alone", () => {
    const m = mergeFields(FIELDS, base, { a: "2", b: "1", c: "1" }, { a: "1", b: "3", c: "1" });
    expect(m).toMatchObject({ take: { a: "mine", b: "theirs", c: "mine" }, conflicts: [], keptTheirs: ["b"] });
    expect(pickMerged(m.take, { a: "2", b: "1", c: "1" }, { a: "1", b: "3", c: "1" })).toEqual({ a: "2", b: "3", c: "1" });
  });

  it("reports a field both changed to different values as a conflict", () => {
    expect(mergeFields(FIELDS, base, { a: "2", b: "1", c: "1" }, { a: "3", b: "1", c: "1" }).conflicts).toEqual(["a"]);
  });

  it("bases the next save on the newer value of a conflict only, so a field only the other changed stays theirs", () => {
    const current = { a: "3", b: "4", c: "1" };
    const first = mergeFields(FIELDS, base, { a: "2", b: "1", c: "5" }, current);
    expect(first).toMatchObject({ conflicts: ["a"], nextBase: { a: "3", b: "1", c: "1" } });
    const again = mergeFields(FIELDS, first.nextBase, { a: "2", b: "1", c: "5" }, current);
    expect(again).toMatchObject({ conflicts: [], take: { a: "mine", b: "theirs", c: "mine" } });
  });

  it("takes the same change made by both as no conflict", () => {
    expect(mergeFields(FIELDS, base, { a: "2", b: "1", c: "1" }, { a: "2", b: "1", c: "1" })).toMatchObject({ conflicts: [], keptTheirs: [] });
  });

  it("takes a form posted without its base as it is (a page loaded before this existed)", () => {
    const m = mergeFields(FIELDS, null, { a: "1", b: "1", c: "1" }, { a: "9", b: "9", c: "9" });
    expect(m).toMatchObject({ take: { a: "mine", b: "mine", c: "mine" }, conflicts: [], keptTheirs: [] });
  });

  it("reads the base from the form's hidden inputs, an empty value included", () => {
    const form = new FormData();
    form.set("base-a", "");
    form.set("base-b", "x");
    form.set("a", "ignored");
    expect(readBase(form, FIELDS)).toEqual({ a: "", b: "x" });
    expect(readBase(new FormData(), FIELDS)).toBeNull();
  });
});

describe("mergeSet", () => {
  it("applies the person's additions and removals to what is stored now", () => {
    // Loaded {a, b}; meanwhile someone removed b and added c; the person added d and removed a.
    expect(mergeSet(["a", "b"], ["b", "d"], ["a", "c"]).sort()).toEqual(["c", "d"]);
  });

  it("takes the person's set as it is without a base", () => {
    expect(mergeSet(null, ["a", "a", "b"], ["c"])).toEqual(["a", "b"]);
  });
});
