// The commissioner's tables from a real database: suppressed on the true counts (right where published, nothing
// small), and what is published perturbed from there (cell-key.db.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { commissionerTables, suppressedTables } from "./commissioner.server.ts";

/** The tables as suppressed on the true counts, before the cell key method perturbs them. */
const exactTables = async (at: Date) => (await suppressedTables(at)).map((t) => t.table);
import { newRecordKey } from "./record-key.server.ts";

const now = new Date("2026-06-01T00:00:00Z");

beforeAll(async () => {
  await seedReference(db);
  const loerrach = await db.municipality.findUniqueOrThrow({ where: { ags: "08336050" }, select: { id: true } });
  const ind = new Map((await db.indicatorDefinition.findMany({ select: { id: true, code: true } })).map((i) => [i.code, i.id]));
  // 40 active cases: 20 started in 2016 (12 at B1, 8 at A2), 20 in 2023 (17 at A2, 3 never recorded); 2 archived.
  const specs = [
    ...Array.from({ length: 12 }, () => ({ year: 2016, level: "B1" as string | null })),
    ...Array.from({ length: 8 }, () => ({ year: 2016, level: "A2" })),
    ...Array.from({ length: 17 }, () => ({ year: 2023, level: "A2" })),
    ...Array.from({ length: 3 }, () => ({ year: 2023, level: null })),
  ];
  for (const [n, s] of [...specs, { year: 2016, level: "C2" }, { year: 2016, level: "C2" }].entries()) {
    const c = await db.case.create({
      data: { recordKey: newRecordKey(), pseudonym: `LOE-2099-${String(n).padStart(4, "0")}`, municipalityId: loerrach.id, group: "refugee", imStart: new Date(`${s.year}-03-01T00:00:00Z`), status: n >= specs.length ? "archived" : "active" },
      select: { id: true },
    });
    if (s.level) await db.snapshot.create({ data: { caseId: c.id, indicatorId: ind.get("S.DTNIV")!, state: "known", value: JSON.stringify(s.level), observedAt: new Date("2026-01-01T00:00:00Z"), source: "im_akte" } });
  }
});

describe("commissionerTables", () => {
  it("counts active cases by arrival group and German level, suppressing the small cells and their partners", async () => {
    const table = (await exactTables(now)).find((t) => t.key === "german-by-arrival")!;
    const row = (k: string) => table.rowKeys.indexOf(k);
    const col = (k: string) => table.columnKeys.indexOf(k);
    expect(table.grandTotal).toBe(40);
    // what the register holds (the archived C2 cases do not count)
    const truth = table.rowKeys.map(() => table.columnKeys.map(() => 0));
    truth[row("2016-2018")]![col("b1")] = 12;
    truth[row("2016-2018")]![col("a2")] = 8;
    truth[row("2022-2023")]![col("a2")] = 17;
    truth[row("2022-2023")]![col("unknown")] = 3;
    table.cells.forEach((cells, r) => cells.forEach((v, c) => v !== null && expect(v, `${table.rowKeys[r]} ${table.columnKeys[c]}`).toBe(truth[r]![c])));
    table.rowTotals.forEach((v, r) => v !== null && expect(v).toBe(truth[r]!.reduce((a, b) => a + b, 0)));
    table.columnTotals.forEach((v, c) => v !== null && expect(v).toBe(truth.reduce((a, row) => a + row[c]!, 0)));
    expect(table.cells[row("2022-2023")]![col("unknown")]).toBeNull(); // 3
    // its row total is published (20), so another cell of that row is hidden too
    expect(table.rowTotals[row("2022-2023")]).toBe(20);
    expect(table.cells[row("2022-2023")]!.filter((v) => v === null).length).toBeGreaterThanOrEqual(2);
    for (const t of [...(await exactTables(now)), ...(await commissionerTables(now))]) {
      for (const v of [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal]) expect(v === null || v === 0 || v >= 5).toBe(true);
    }
  });

  it("hides the 'divers / no answer / unknown' total while 1-4 of it are 'divers' or 'no answer' (the dashboard publishes the unknown)", async () => {
    const sexTable = async () => (await exactTables(now)).find((t) => t.key === "age-by-sex")!;
    const column = (t: Awaited<ReturnType<typeof sexTable>>) => t.columnTotals[t.columnKeys.indexOf("other_unknown")];
    // No sex recorded at all: the column is exactly the dashboard's "unknown or missing", nothing more to learn.
    expect(column(await sexTable())).toBe(40);
    const ind = (await db.indicatorDefinition.findUniqueOrThrow({ where: { code: "P.GESCHL" }, select: { id: true } })).id;
    const active = await db.case.findMany({ where: { status: "active" }, select: { id: true }, orderBy: { pseudonym: "asc" } });
    const record = (caseId: string, value: string) => db.snapshot.create({ data: { caseId, indicatorId: ind, state: "known", value: JSON.stringify(value), observedAt: new Date("2026-01-01T00:00:00Z"), source: "im_akte" } });
    await record(active[0]!.id, "d");
    await record(active[1]!.id, "k.A.");
    // Still 40, but 40 minus the dashboard's 38 unknown would say: 2 persons "divers" or "no answer".
    const hidden = await sexTable();
    expect(column(hidden)).toBeNull();
    expect(hidden.columnTotals.filter((v) => v === null).length).toBeGreaterThanOrEqual(2);
    for (const v of [...hidden.cells.flat(), ...hidden.rowTotals, ...hidden.columnTotals, hidden.grandTotal]) expect(v === null || v === 0 || v >= 5).toBe(true);
    // From 5 such answers on the difference may be published again.
    for (const c of active.slice(2, 5)) await record(c.id, "d");
    expect(column(await sexTable())).toBe(40);
  });

  it("never carries a pseudonym or case id", async () => {
    const json = JSON.stringify(await commissionerTables(now));
    expect(json).not.toMatch(/LOE-\d{4}/);
    for (const c of await db.case.findMany({ select: { id: true } })) expect(json).not.toContain(c.id);
  });
});
