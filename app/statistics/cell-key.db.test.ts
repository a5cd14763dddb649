// The cell key method on the statistics roles' releases against a real database (ADR 0021): the same cases give the
// same published figure in every table and month, one person more in a small municipality does not show as +1 in
// every figure of two monthly releases, zeros stay zero, record keys never leave the server, and the integration
// managers' live dashboard stays exact.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { loader as statisticsLoader } from "../routes/statistics._index.tsx";
import { loader as statisticsCsvLoader } from "../routes/statistics[.csv].tsx";
import { loader as dashboardLoader } from "../routes/dashboard._index.tsx";
import { loader as dashboardCsvLoader } from "../routes/dashboard[.csv].tsx";
import { districtModel, type DashboardModel } from "../dashboard/gaps.server.ts";
import { makeCase, makeUser, municipalityId, respond, signIn, snap, type SignedIn } from "../dashboard/test-support.server.ts";
import { commissionerTables, publishedTables, suppressedTables } from "./commissioner.server.ts";
import { released } from "./releases.server.ts";
import { perturb } from "./cell-key.ts";
import { RECORD_KEY_STEPS } from "./record-key.server.ts";
import type { PublishedTable } from "./tables.ts";

// Releases of three months; snapshots are observed shortly before, so every recorded value counts as current.
const may = new Date("2031-05-10T10:00:00Z");
const june = new Date("2031-06-10T10:00:00Z");
const july = new Date("2031-07-10T10:00:00Z");
const observed = new Date("2031-04-01T00:00:00Z");

// Fixed record keys (a spread-out sequence), so the test is the same on every run; the app draws them at random.
let n = 0;
const nextKey = () => ((++n * 1_640_531_527) % RECORD_KEY_STEPS) / RECORD_KEY_STEPS;

let froehnd: string;
let commissioner: SignedIn;
let im: SignedIn;

async function addCase(municipality: string, imStart: string, level: string | null) {
  const c = await makeCase(municipality, { imStart, recordKey: nextKey() });
  if (level) await snap(c.id, "S.DTNIV", "known", observed, level);
  return c;
}

const activeKeys = async () => (await db.case.findMany({ where: { status: "active" }, select: { recordKey: true } })).map((c) => c.recordKey);

beforeAll(async () => {
  await seedReference(db);
  const loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  froehnd = await municipalityId("08336025");
  commissioner = await signIn(await makeUser("ckm-comm", ["commissioner"]));
  im = await signIn(await makeUser("ckm-im", ["integration_manager"], [froehnd]));
  // Lörrach 30 (15 from 2016 at B1, 15 from 2023, 5 of them at B1), Weil 5 without values, Fröhnd (487
  // inhabitants) 7 from 2024 at A2.
  for (let i = 0; i < 15; i++) await addCase(loerrach, "2016-03-01", "B1");
  for (let i = 0; i < 15; i++) await addCase(loerrach, "2023-03-01", i < 5 ? "B1" : null);
  for (let i = 0; i < 5; i++) await addCase(weil, "2024-02-01", null);
  for (let i = 0; i < 7; i++) await addCase(froehnd, "2024-05-01", "A2");
  // The last key is chosen so that all active cases together have the cell key 0.03: the lowest sixteenth of the
  // p-table, noise -2, so the district total is visibly not the true one.
  const last = await addCase(loerrach, "2016-03-01", "B1");
  const others = (await activeKeys()).length - 1;
  const units = (await db.case.findMany({ where: { status: "active", id: { not: last.id } }, select: { recordKey: true } })).reduce((s, c) => s + Math.round(c.recordKey * RECORD_KEY_STEPS), 0);
  const wanted = Math.round(0.03 * RECORD_KEY_STEPS);
  await db.case.update({ where: { id: last.id }, data: { recordKey: (((wanted - units) % RECORD_KEY_STEPS) + RECORD_KEY_STEPS) % RECORD_KEY_STEPS / RECORD_KEY_STEPS } });
  expect(others).toBe(42);
});

const tableOf = (tables: PublishedTable[], key: string) => tables.find((t) => t.key === key)!;
const dtniv = (m: DashboardModel) => m.indicators.find((i) => i.code === "S.DTNIV")!;

describe("the cell key method on the monthly releases", () => {
  it("gives the same cases the same figure in every table and every month, the perturbed one", async () => {
    const active = 43;
    const keySum = (await activeKeys()).reduce((a, b) => a + b, 0);
    expect(perturb(active, keySum)).toBe(active - 2);
    const { figures: tables } = await publishedTables(may);
    const { figures: dashboard } = await released("dashboard", districtModel, may);
    // all active cases: the grand total of each active-case table and of each indicator's dashboard table
    const totals = [...tables.filter((t) => t.population === "activeCases").map((t) => t.grandTotal), ...dashboard.indicators.map((i) => i.sum.total)];
    expect(totals.length).toBeGreaterThan(5);
    expect(new Set(totals)).toEqual(new Set([active - 2]));
    // Fröhnd's total is the same in every indicator's table
    const row = dashboard.municipalities.findIndex((m) => m.id === froehnd);
    expect(new Set(dashboard.indicators.map((i) => i.rows[row]!.total))).toEqual(new Set([dtniv(dashboard).rows[row]!.total]));
    // A month later, computed anew from unchanged data: the same figures, noise included (no averaging it away).
    expect((await publishedTables(june)).figures).toEqual(tables);
    expect((await released("dashboard", districtModel, june)).figures).toEqual(dashboard);
  });

  it("does not show one more person in a small municipality as +1 in every figure of the next month", async () => {
    const tablesBefore = (await publishedTables(june)).figures;
    const dashboardBefore = (await released("dashboard", districtModel, june)).figures;
    const truthBefore = (await suppressedTables(june)).map((t) => t.table);
    await addCase(froehnd, "2024-05-01", "A2");
    const tablesAfter = (await publishedTables(july)).figures;
    const dashboardAfter = (await released("dashboard", districtModel, july)).figures;
    const truthAfter = (await suppressedTables(july)).map((t) => t.table);

    // Every figure published in both months whose true count went up by exactly one (the new person's cells).
    const differences: number[] = [];
    const compare = (before: (number | null)[], after: (number | null)[], trueBefore: (number | null)[], trueAfter: (number | null)[]) =>
      before.forEach((b, i) => {
        const a = after[i];
        if (b !== null && a !== null && b !== undefined && a !== undefined && trueAfter[i]! - trueBefore[i]! === 1) differences.push(a - b);
      });
    const flat = (t: PublishedTable) => [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal];
    tablesBefore.forEach((t, i) => compare(flat(t), flat(tablesAfter[i]!), flat(truthBefore[i]!), flat(truthAfter[i]!)));
    // The dashboard: Fröhnd's row and the district sum of S.DTNIV (the new person has a current A2).
    const row = dashboardBefore.municipalities.findIndex((m) => m.id === froehnd);
    const figures = (m: DashboardModel) => [dtniv(m).rows[row]!.total, dtniv(m).rows[row]!.current, dtniv(m).sum.total, dtniv(m).sum.current];
    expect(figures(dashboardBefore).every((v) => v !== null)).toBe(true);
    compare(figures(dashboardBefore), figures(dashboardAfter), [7, 7, 43, 28], [8, 8, 44, 29]);
    expect(differences.length).toBeGreaterThanOrEqual(8);
    expect(differences.every((d) => d === 1)).toBe(false);
    for (const d of differences) expect(Math.abs(d - 1)).toBeLessThanOrEqual(4);
  });

  it("keeps zeros at zero and publishes no count of 1-4, while the other figures are perturbed", async () => {
    const exact = await suppressedTables(july);
    const published = await commissionerTables(july);
    let perturbed = 0;
    exact.forEach(({ table }, i) => {
      const flat = (t: PublishedTable) => [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal];
      const truth = flat(table);
      const shown = flat(published[i]!);
      shown.forEach((v, k) => {
        expect(v === null).toBe(truth[k] === null);
        if (truth[k] === 0) expect(v).toBe(0);
        if (v !== null) expect(v === 0 || v >= 5).toBe(true);
        if (v !== null && v !== truth[k]) perturbed++;
      });
    });
    expect(perturbed).toBeGreaterThan(0);
    // Fröhnd has no stale value: a published 0 in the dashboard.
    const dashboard = await districtModel(july);
    const row = dashboard.municipalities.findIndex((m) => m.id === froehnd);
    expect(dtniv(dashboard).rows[row]!.stale).toBe(0);
    expect(dtniv(dashboard).rows[row]!.total).not.toBeNull();
  });

  it("never puts a record key into page data, a CSV or a stored release; the integration manager's dashboard stays exact", async () => {
    const bodies: string[] = [];
    const load = async (fn: () => Promise<unknown>) => {
      const res = await respond(async () => {
        const out = await fn();
        return out instanceof Response ? out : new Response(JSON.stringify(out));
      });
      expect(res.status).toBe(200);
      bodies.push(await res.text());
      return bodies.at(-1)!;
    };
    await load(() => statisticsLoader({ request: commissioner.get("/statistics"), params: {}, context: {} }));
    await load(() => statisticsCsvLoader({ request: commissioner.get("/statistics.csv"), params: {}, context: {} }));
    const commissionerView = JSON.parse(await load(() => dashboardLoader({ request: commissioner.get("/dashboard"), params: {}, context: {} }))) as DashboardModel & { maxDeviation: number };
    const csv = await load(() => dashboardCsvLoader({ request: commissioner.get("/dashboard.csv"), params: {}, context: {} }));
    const imView = JSON.parse(await load(() => dashboardLoader({ request: im.get("/dashboard"), params: {}, context: {} }))) as DashboardModel & { release: unknown };
    const imCsv = await load(() => dashboardCsvLoader({ request: im.get("/dashboard.csv"), params: {}, context: {} }));
    for (const r of await db.statisticsRelease.findMany({ select: { figures: true } })) bodies.push(r.figures);
    const keys = await db.case.findMany({ select: { recordKey: true } });
    expect(keys.length).toBeGreaterThan(40);
    for (const body of bodies) {
      expect(body).not.toMatch(/recordKey/i);
      for (const { recordKey } of keys) expect(body).not.toContain(String(recordKey).slice(0, 9));
    }
    // The statistics roles are told, in the page and the CSV; the integration manager sees live, exact figures.
    expect(commissionerView.maxDeviation).toBe(2);
    expect(csv).toContain("Werte leicht verändert (Überlagerung nach der Cell-Key-Methode, max. ±2)");
    expect(imCsv).not.toContain("Überlagerung");
    expect(imView.release).toBeNull();
    expect(imView.municipalities.map((m) => m.id)).toEqual([froehnd]);
    expect(dtniv(imView).rows[0]).toMatchObject({ total: 8, current: 8, stale: 0, unknownOrMissing: 0, knownShare: 1, staleShare: 0 });
    expect(dtniv(imView).sum).toMatchObject({ total: 8, current: 8 });
  });
});
