// The register's figures are counted by the database (current.server.ts); they must say what the snapshot history
// says when read the plain way: the latest observation of each case and indicator (the later entry on the same
// moment, then the greater id), stale when observed before staleBefore(). A random register with ties, all three
// states and observations on the staleness boundary and at month ends, compared for several selections.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { caseCurrency, currentValues, gapCountsByMunicipality, type CaseSelection, type GapState } from "./current.server.ts";
import { isStale, staleBefore } from "./values.ts";
import { makeCase, municipalityId } from "../dashboard/test-support.server.ts";

const NOW = new Date("2026-03-31T10:00:00.000Z");
type Snap = { id: string; caseId: string; indicatorId: string; state: string; value: string | null; observedAt: Date; createdAt: Date };
type Kase = { id: string; municipalityId: string; status: string; group: string };
let indicators: { id: string; stalenessMonths: number }[] = [];
let municipalities: string[] = [];
const cases: Kase[] = [];
const snaps: Snap[] = [];

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

beforeAll(async () => {
  await seedReference(db);
  municipalities = await Promise.all(["08336050", "08336091", "08336025"].map(municipalityId));
  indicators = await db.indicatorDefinition.findMany({ where: { code: { in: ["S.DTNIV", "S.AUFST", "S.ERW", "P.GEBJ"] } }, select: { id: true, stalenessMonths: true } });
  expect(indicators.length).toBe(4);
  const rand = rng(7);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  for (let i = 0; i < 60; i++) {
    const status = rand() < 0.2 ? "archived" : "active";
    const group = pick(["refugee", "eu_migrant", "other_migrant"]);
    const municipalityId = pick(municipalities);
    const row = await makeCase(municipalityId, { status, group, archivedAt: status === "archived" ? "2025-06-01" : null });
    cases.push({ id: row.id, municipalityId, status, group });
  }
  const created = new Date("2026-01-01T00:00:00.000Z");
  const data: Omit<Snap, "id">[] = [];
  for (const c of cases) {
    for (const ind of indicators) {
      const n = Math.floor(rand() * 4); // 0: never recorded
      const boundary = staleBefore(NOW, ind.stalenessMonths);
      for (let k = 0; k < n; k++) {
        const observedAt = pick([
          boundary,
          new Date(boundary.getTime() - 1),
          new Date(boundary.getTime() + 1),
          new Date("2025-02-28T23:59:59.999Z"),
          new Date("2024-02-29T12:00:00.000Z"),
          new Date(NOW.getTime() - Math.floor(rand() * 1500) * 86400_000),
          new Date(NOW.getTime() - Math.floor(rand() * 1500) * 86400_000),
        ]);
        // Same moment twice, same entry time twice: the tie rules decide.
        const at = rand() < 0.3 && data.length && data.at(-1)!.caseId === c.id && data.at(-1)!.indicatorId === ind.id ? data.at(-1)!.observedAt : observedAt;
        const state = pick(["known", "known", "unknown", "not_applicable"]);
        data.push({ caseId: c.id, indicatorId: ind.id, state, value: state === "known" ? JSON.stringify(`v${data.length}`) : null, observedAt: at, createdAt: rand() < 0.5 ? created : new Date(created.getTime() + Math.floor(rand() * 3) * 1000) });
      }
    }
  }
  await db.snapshot.createMany({ data: data.map((d) => ({ ...d, source: "im_akte" })) });
  snaps.push(...(await db.snapshot.findMany({ select: { id: true, caseId: true, indicatorId: true, state: true, value: true, observedAt: true, createdAt: true } })));
  expect(snaps.length).toBeGreaterThan(150);
});

/** The plain reading: every snapshot, the latest wins. */
function reference(selection: CaseSelection) {
  const chosen = cases.filter(
    (c) =>
      (selection.municipalities === "all" || selection.municipalities.includes(c.municipalityId)) &&
      (!selection.municipalityId || c.municipalityId === selection.municipalityId) &&
      (!selection.status || c.status === selection.status) &&
      (!selection.group || c.group === selection.group) &&
      (!selection.ids || selection.ids.includes(c.id)),
  );
  const later = (a: Snap, b: Snap) => a.observedAt.getTime() - b.observedAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime() || (a.id > b.id ? 1 : a.id < b.id ? -1 : 0);
  const latest = new Map<string, Snap>();
  for (const s of snaps) {
    const key = `${s.caseId} ${s.indicatorId}`;
    const old = latest.get(key);
    if (!old || later(s, old) > 0) latest.set(key, s);
  }
  const stateOf = (caseId: string, ind: { id: string; stalenessMonths: number }): GapState => {
    const s = latest.get(`${caseId} ${ind.id}`);
    if (!s) return "missing";
    if (s.state === "unknown") return "unknown";
    return isStale(s.observedAt, ind.stalenessMonths, NOW) ? "stale" : "current";
  };
  return { chosen, latest, stateOf };
}

const SELECTIONS: CaseSelection[] = [
  { municipalities: "all" },
  { municipalities: "all", status: "active" },
  { municipalities: [], status: "active" },
  { municipalities: ["not-a-municipality"] },
  { municipalities: "all", status: "active", group: "refugee" },
];

describe("register figures counted by the database", () => {
  const selections = () => [...SELECTIONS, { municipalities: [municipalities[0]!, municipalities[2]!], status: "active" }, { municipalities: "all" as const, municipalityId: municipalities[1]! }, { municipalities: "all" as const, ids: cases.slice(0, 7).map((c) => c.id) }];

  it("count current, stale, unknown and missing values per municipality as the snapshot history says", async () => {
    for (const selection of selections()) {
      const { chosen, stateOf } = reference(selection);
      const { casesByMunicipality, counts } = await gapCountsByMunicipality(selection, indicators, NOW);
      const expectedCases = new Map<string, number>();
      for (const c of chosen) expectedCases.set(c.municipalityId, (expectedCases.get(c.municipalityId) ?? 0) + 1);
      expect(casesByMunicipality, JSON.stringify(selection)).toEqual(expectedCases);
      for (const ind of indicators) {
        const expected = new Map<string, Record<string, number>>();
        for (const c of chosen) {
          const cell = expected.get(c.municipalityId) ?? { total: 0, current: 0, stale: 0, unknown: 0, missing: 0 };
          cell.total!++;
          cell[stateOf(c.id, ind)]!++;
          expected.set(c.municipalityId, cell);
        }
        expect(counts.get(ind.id), JSON.stringify(selection)).toEqual(expected);
      }
    }
  });

  it("read each case's current values and, for the work list, how many are current and when the last was observed", async () => {
    for (const selection of selections()) {
      const { chosen, latest, stateOf } = reference(selection);
      const values = await currentValues(selection, indicators, NOW);
      const summary = await caseCurrency(selection, indicators, NOW);
      expect(new Set(summary.map((s) => s.id))).toEqual(new Set(chosen.map((c) => c.id)));
      for (const c of chosen) {
        const recorded = indicators.flatMap((ind) => (latest.get(`${c.id} ${ind.id}`) ? [latest.get(`${c.id} ${ind.id}`)!] : []));
        const got = values.get(c.id);
        expect(got?.size ?? 0).toBe(recorded.length);
        for (const s of recorded) {
          const v = got!.get(s.indicatorId)!;
          expect({ state: v.state, value: v.value, observedAt: v.observedAt.toISOString() }).toEqual({ state: s.state, value: s.value === null ? null : JSON.parse(s.value), observedAt: s.observedAt.toISOString() });
        }
        const row = summary.find((s) => s.id === c.id)!;
        expect(row.current).toBe(indicators.filter((ind) => stateOf(c.id, ind) === "current").length);
        const last = recorded.length ? Math.max(...recorded.map((s) => s.observedAt.getTime())) : null;
        expect(row.lastObservedAt?.getTime() ?? null).toBe(last);
      }
    }
  });
});

describe("staleness", () => {
  it("counts calendar months back from now, at a month's end to the last day of a shorter month", () => {
    expect(staleBefore(new Date("2026-03-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(staleBefore(new Date("2024-03-31T10:00:00Z"), 1).toISOString()).toBe("2024-02-29T10:00:00.000Z");
    expect(staleBefore(new Date("2026-03-15T00:00:00Z"), 12).toISOString()).toBe("2025-03-15T00:00:00.000Z");
    expect(staleBefore(new Date("2026-01-10T00:00:00Z"), 24).toISOString()).toBe("2024-01-10T00:00:00.000Z");
    const now = new Date("2026-03-15T12:00:00Z");
    expect(isStale(new Date("2025-03-15T11:59:59.999Z"), 12, now)).toBe(true);
    expect(isStale(new Date("2025-03-15T12:00:00.000Z"), 12, now)).toBe(false);
  });
});
