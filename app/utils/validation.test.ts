// Dates as a person in the district enters them: "today" is the calendar day in Germany, also just after midnight.
import { afterEach, describe, expect, it, vi } from "vitest";
import { dateProblem, todayInGermany } from "./validation.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("todayInGermany and the future check", () => {
  it("after midnight in Germany (still yesterday in UTC) today is allowed and tomorrow is not", () => {
    vi.useFakeTimers({ now: new Date("2026-11-30T23:30:00Z"), toFake: ["Date"] }); // 00:30 on 1 December in Berlin
    expect(todayInGermany()).toBe("2026-12-01");
    expect(dateProblem("2026-12-01")).toBeNull();
    expect(dateProblem("2026-12-02")).not.toBeNull();
  });

  it("in summer time too (UTC+2)", () => {
    expect(todayInGermany(new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01");
    expect(todayInGermany(new Date("2026-06-30T21:30:00Z"))).toBe("2026-06-30");
  });
});
