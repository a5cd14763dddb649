// Monthly frozen figures against a real database: computed once per German calendar month, the same for every
// caller (also when two race), and a new month computes anew.
import { describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { released, releasePeriod } from "./releases.server.ts";

describe("releasePeriod", () => {
  it("takes the month in Germany, not in UTC", () => {
    expect(releasePeriod(new Date("2026-11-30T22:59:00Z"))).toEqual({ period: "2026-11", nextFrom: "2026-12-01" });
    expect(releasePeriod(new Date("2026-11-30T23:01:00Z"))).toEqual({ period: "2026-12", nextFrom: "2027-01-01" });
    // summer time: midnight in Berlin is 22:00 UTC
    expect(releasePeriod(new Date("2026-06-30T22:30:00Z")).period).toBe("2026-07");
  });
});

describe("released", () => {
  it("computes once a month and hands everyone the stored figures", async () => {
    let computed = 0;
    const compute = async () => ({ cases: 40 + ++computed });
    const first = await released("statistics", compute, new Date("2030-03-02T10:00:00Z"));
    const later = await released("statistics", compute, new Date("2030-03-28T10:00:00Z"));
    expect(first.figures).toEqual({ cases: 41 });
    expect(later).toEqual(first);
    expect(computed).toBe(1);
    // another scope is its own release
    expect((await released("dashboard", compute, new Date("2030-03-28T10:00:00Z"))).figures).toEqual({ cases: 42 });
    const april = await released("statistics", compute, new Date("2030-04-01T08:00:00Z"));
    expect(april.figures).toEqual({ cases: 43 });
    expect(april.asOf.toISOString()).toBe("2030-04-01T08:00:00.000Z");
  });

  it("gives both of two racing first requests the one stored release", async () => {
    const now = new Date("2031-01-05T10:00:00Z");
    let n = 0;
    const slow = async () => {
      const mine = ++n;
      await new Promise((r) => setTimeout(r, 50));
      return { computedBy: mine };
    };
    const [a, b] = await Promise.all([released("statistics", slow, now), released("statistics", slow, now)]);
    expect(a.figures).toEqual(b.figures);
    expect(await db.statisticsRelease.count({ where: { scope: "statistics", period: "2031-01" } })).toBe(1);
  });
});
