import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { loader as reportLoader } from "../routes/reports._index.tsx";
import { loader as csvLoader } from "../routes/reports.key-figures[.csv].tsx";
import { makeCase, makeUser, municipalityId, respond, signIn, type SignedIn } from "../dashboard/test-support.server.ts";
import { parseQuarter } from "./quarter.ts";
import { parseCsv } from "../statistics/test-support.ts";

// Quarter 2026-Q2 = [2026-04-01, 2026-07-01).
// Lörrach: a1 active since 2025 (contacts 31.03. out, 01.04. in, 30.06. in, 01.07. out; plan 30.06. in)
//          a2 active since 10.05.2026 (contact 11.05. in; plan 01.07. out)
//          a3 archived 15.03.2026 (contact 01.02. out)            -> not active in Q2
//          a4 archived 20.04.2026 (contact 02.04. in; plan 01.04. in) -> active in Q2
//          a5 starts 05.07.2026                                   -> not active in Q2
//          => advised 3, contacts 4, plans 2, active 3; managers im1 + im2 = 2 (inactive im3 and the admin
//             do not count) => 1.5 cases per manager
// Weil:    b1 active since 2020, contact 15.05. => advised 1, contacts 1, plans 0, active 1, manager im1 => 1.0
// Total (admin): advised 4, contacts 5, plans 2, active 4, managers 2 distinct people => 2.0
let admin: SignedIn;
let im2: SignedIn;
let commissioner: SignedIn;

const day = (d: string) => new Date(`${d}T00:00:00Z`);

async function contact(caseId: string, date: string) {
  await db.contact.create({ data: { caseId, date: day(date), kind: "in_person", durationMinutes: 30 } });
}
async function plan(caseId: string, date: string) {
  await db.integrationPlan.create({ data: { caseId, drawnUpAt: day(date), areas: { create: [{ area: "sprache", status: "offen" }] } } });
}

type Figures = { personsAdvised: number; contacts: number; plans: number; activeCases: number; managers: number; casesPerManager: number | null };
type Page = { error: string | null; figures: { rows: (Figures & { ags: string; name: string })[]; total: Figures } | null };

async function page(who: SignedIn, query: string) {
  const res = await respond(() => reportLoader({ request: who.get(`/reports${query}`), params: {}, context: {} }));
  return { status: res.status, data: (await res.json()) as Page };
}

beforeAll(async () => {
  await seedReference(db);
  const loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  await makeUser("im1", ["integration_manager"], [loerrach, weil]);
  im2 = await signIn(await makeUser("im2", ["integration_manager"], [loerrach]));
  await makeUser("im3", ["integration_manager"], [loerrach], { active: false });
  admin = await signIn(await makeUser("admin", ["admin"], [loerrach]));
  commissioner = await signIn(await makeUser("comm", ["commissioner"]));

  const a1 = await makeCase(loerrach, { imStart: "2025-02-01" });
  await contact(a1.id, "2026-03-31");
  await contact(a1.id, "2026-04-01");
  await contact(a1.id, "2026-06-30");
  await contact(a1.id, "2026-07-01");
  await plan(a1.id, "2026-06-30");
  const a2 = await makeCase(loerrach, { imStart: "2026-05-10" });
  await contact(a2.id, "2026-05-11");
  await plan(a2.id, "2026-07-01");
  const a3 = await makeCase(loerrach, { imStart: "2024-01-01", status: "archived", archivedAt: "2026-03-15" });
  await contact(a3.id, "2026-02-01");
  const a4 = await makeCase(loerrach, { imStart: "2024-01-01", status: "archived", archivedAt: "2026-04-20" });
  await contact(a4.id, "2026-04-02");
  await plan(a4.id, "2026-04-01");
  await makeCase(loerrach, { imStart: "2026-07-05" });
  const b1 = await makeCase(weil, { imStart: "2020-01-01" });
  await contact(b1.id, "2026-05-15");
});

describe("key figures", () => {
  it("are exact for a seeded quarter, per municipality and in total", async () => {
    const { status, data } = await page(admin, "?year=2026&quarter=2");
    expect(status).toBe(200);
    const byName = Object.fromEntries(data.figures!.rows.map((r) => [r.name, r]));
    expect(byName["Lörrach"]).toMatchObject({ personsAdvised: 3, contacts: 4, plans: 2, activeCases: 3, managers: 2, casesPerManager: 1.5 });
    expect(byName["Weil am Rhein"]).toMatchObject({ personsAdvised: 1, contacts: 1, plans: 0, activeCases: 1, managers: 1, casesPerManager: 1 });
    expect(byName["Fröhnd"]).toMatchObject({ personsAdvised: 0, contacts: 0, plans: 0, activeCases: 0, managers: 0, casesPerManager: null });
    expect(data.figures!.rows).toHaveLength(35); // the whole district for admins
    expect(data.figures!.total).toEqual({ personsAdvised: 4, contacts: 5, plans: 2, activeCases: 4, managers: 2, casesPerManager: 2 });
  });

  it("cover only the integration manager's own municipalities", async () => {
    const { data } = await page(im2, "?year=2026&quarter=2");
    expect(data.figures!.rows.map((r) => r.name)).toEqual(["Lörrach"]);
    expect(data.figures!.total).toMatchObject({ personsAdvised: 3, contacts: 4, activeCases: 3, managers: 2 });
  });

  it("come as CSV for Excel: BOM, ';', header row, decimal comma, attachment named after the quarter", async () => {
    const res = await respond(() => csvLoader({ request: im2.get("/reports/key-figures.csv?year=2026&quarter=2"), params: {}, context: {} }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="kennzahlen-2026-Q2.csv"');
    const english = im2.get("/reports/key-figures.csv?year=2026&quarter=2");
    english.headers.set("cookie", `${english.headers.get("cookie")}; lw_lang=en`);
    const inEnglish = await respond(() => csvLoader({ request: english, params: {}, context: {} }));
    expect(inEnglish.headers.get("content-disposition")).toBe('attachment; filename="key-figures-2026-Q2.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    expect(lines[0]).toBe(
      "Quartal;AGS;Gemeinde;Beratene Personen;Beratungskontakte;Erstellte Integrationspläne;Aktive Fälle;Integrationsmanager/-innen;Aktive Fälle je Integrationsmanager/-in",
    );
    expect(lines[1]).toBe("2026-Q2;08336050;Lörrach;3;4;2;3;2;1,5");
    // the total row, as on the page
    expect(lines[2]).toBe("2026-Q2;;Summe;3;4;2;3;2;1,5");
    expect(lines.slice(3)).toEqual([""]);
  });

  it("come as international CSV for an English reader: ',' between fields and a decimal point", async () => {
    const english = im2.get("/reports/key-figures.csv?year=2026&quarter=2");
    english.headers.set("cookie", `${english.headers.get("cookie")}; lw_lang=en`);
    const bytes = new Uint8Array(await (await respond(() => csvLoader({ request: english, params: {}, context: {} }))).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)), ",");
    expect(rows[0]).toHaveLength(9);
    expect(rows[0]![2]).toBe("Municipality");
    expect(rows[1]).toEqual(["2026-Q2", "08336050", "Lörrach", "3", "4", "2", "3", "2", "1.5"]);
    expect(rows[2]).toEqual(["2026-Q2", "", "Total", "3", "4", "2", "3", "2", "1.5"]);
    expect(Number(rows[1]![8])).toBe(1.5);
  });

  it("explain a bad or future quarter on the page instead of failing", async () => {
    for (const query of ["?year=2026&quarter=5", "?year=abc&quarter=1", "?year=1999&quarter=1", "?quarter=2026-Q9"]) {
      const { status, data } = await page(admin, query);
      expect(status, query).toBe(400);
      expect(data.error, query).toBe("invalid");
      expect(data.figures).toBeNull();
    }
    const future = await page(admin, "?year=2099&quarter=1");
    expect(future.data.error).toBe("future");
    const csv = await respond(() => csvLoader({ request: admin.get("/reports/key-figures.csv?year=2026&quarter=9"), params: {}, context: {} }));
    expect(csv.status).toBe(302);
    expect(csv.headers.get("location")).toBe("/reports?year=2026&quarter=9");
  });

  it("are refused to roles without the export permission", async () => {
    const res = await respond(() => reportLoader({ request: commissioner.get("/reports"), params: {}, context: {} }));
    expect(res.status).toBe(403);
  });
});

describe("parseQuarter", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  it("reads year and quarter in several spellings and defaults to the current quarter", () => {
    expect(parseQuarter("2026", "3", now)).toMatchObject({ ok: true, period: { year: 2026, quarter: 3, start: day("2026-07-01"), end: day("2026-10-01") } });
    expect(parseQuarter(null, "2025-Q4", now)).toMatchObject({ ok: true, period: { year: 2025, quarter: 4, end: day("2026-01-01") } });
    expect(parseQuarter("2025", "q1", now)).toMatchObject({ ok: true, period: { year: 2025, quarter: 1 } });
    expect(parseQuarter(null, null, now)).toMatchObject({ ok: true, period: { year: 2026, quarter: 4 } });
    expect(parseQuarter("2027", "1", now)).toEqual({ ok: false, error: "future" });
    expect(parseQuarter("2025", "2026-Q1", now)).toEqual({ ok: false, error: "invalid" });
    expect(parseQuarter("", "", now)).toEqual({ ok: false, error: "invalid" });
  });
});
