import { parseRange } from "./range.ts";

describe("parseRange", () => {
  const size = 1000;
  it.each([
    ["bytes=0-0", { kind: "partial", start: 0, end: 0 }],
    ["bytes=0-499", { kind: "partial", start: 0, end: 499 }],
    ["bytes=500-", { kind: "partial", start: 500, end: 999 }],
    ["bytes=-100", { kind: "partial", start: 900, end: 999 }],
    ["bytes=-5000", { kind: "partial", start: 0, end: 999 }],
    ["bytes=990-5000", { kind: "partial", start: 990, end: 999 }],
    [" Bytes = 10-20 ", { kind: "partial", start: 10, end: 20 }],
  ])("%s is satisfiable", (header, expected) => expect(parseRange(header, size)).toEqual(expected));

  it.each(["bytes=1000-", "bytes=1000-1001", "bytes=5-1", "bytes=-0", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-2-3", "bytes", "bytes=99999999999999999999-"])(
    "%s is unsatisfiable (416)",
    (header) => expect(parseRange(header, size)).toEqual({ kind: "unsatisfiable" }),
  );

  it("serves everything without a Range, for another unit, and for several ranges at once", () => {
    expect(parseRange(null, size)).toEqual({ kind: "full" });
    expect(parseRange("items=0-5", size)).toEqual({ kind: "full" });
    expect(parseRange("bytes=0-1,5-6", size)).toEqual({ kind: "full" });
  });

  it("caps an open range, and only an open range, at maxLength", () => {
    expect(parseRange("bytes=100-", size, 50)).toEqual({ kind: "partial", start: 100, end: 149 });
    expect(parseRange("bytes=100-899", size, 50)).toEqual({ kind: "partial", start: 100, end: 899 });
    expect(parseRange("bytes=-300", size, 50)).toEqual({ kind: "partial", start: 700, end: 999 });
  });
});
