import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { loader as dashboardLoader } from "../routes/dashboard._index.tsx";
import { loader as csvLoader } from "../routes/dashboard[.csv].tsx";
import { parseCsv } from "../statistics/test-support.ts";
import { perturb } from "../statistics/cell-key.ts";
import type { Prisma } from "../db/client.server.ts";
import { loader as cellLoader } from "../routes/dashboard.cell.tsx";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createI18n } from "../i18n/config.ts";
import { Heatmap } from "./heatmap.tsx";
import { indicatorLabel } from "../indicators/format.ts";
import { DEFAULT_THRESHOLD } from "../statistics/suppression.ts";
import { daysAgo, indicatorId, makeCase, makeUser, municipalityId, respond, signIn, snap, type SignedIn } from "./test-support.server.ts";

// Fixture (S.DTNIV, staleness 12 months):
//   Lörrach  a1 known now, a2 known 2 years ago (stale), a3 unknown, a4 not applicable now, a5 never recorded,
//            a6 known 3 years ago then unknown now (latest counts), archived case with a known value (not counted)
//            -> 6 active: current 2 (a1, a4), stale 1 (a2), unknown 2, missing 1; known 3/6 = 50 %, stale 1/6
//   Weil     w1 known now (EU migrant), w2 never recorded -> 2 active: known 1/2, stale 0
type Row = { total: number | null; current: number | null; stale: number | null; unknownOrMissing: number | null; knownShare: number | null; staleShare: number | null };
type Data = { mode: string; canLink: boolean; municipalities: { id: string; name: string }[]; indicators: { code: string; labelDe: string; labelEn: string; rows: Row[]; sum: Row }[]; release?: { asOf: string; nextFrom: string } | null };

let imBoth: SignedIn;
let im: SignedIn;
let commissioner: SignedIn;
let researcher: SignedIn;
let loerrach: string;
let weil: string;
let froehnd: string;
const weilPseudonyms: string[] = [];
const loerrachPseudonyms: string[] = [];

async function dashboard(who: SignedIn, query = ""): Promise<Data> {
  const res = await respond(() => dashboardLoader({ request: who.get(`/dashboard${query}`), params: {}, context: {} }));
  expect(res.status).toBe(200);
  return (await res.json()) as Data;
}

/** The published value of a count of these cases under the cell key method (ADR 0021). */
async function perturbed(count: number, where: Prisma.CaseWhereInput) {
  const keys = await db.case.findMany({ where: { ...where, status: "active" }, select: { recordKey: true } });
  expect(keys.length).toBe(count);
  return perturb(count, keys.reduce((s, k) => s + k.recordKey, 0));
}

const dtniv = (data: Data) => data.indicators.find((i) => i.code === "S.DTNIV")!;
const rowOf = (data: Data, municipality: string) => dtniv(data).rows[data.municipalities.findIndex((m) => m.id === municipality)]!;

beforeAll(async () => {
  await seedReference(db);
  loerrach = await municipalityId("08336050");
  weil = await municipalityId("08336091");
  froehnd = await municipalityId("08336025");
  imBoth = await signIn(await makeUser("im.both", ["integration_manager"], [loerrach, weil]));
  im = await signIn(await makeUser("im", ["integration_manager"], [loerrach, froehnd]));
  commissioner = await signIn(await makeUser("comm", ["commissioner"]));
  researcher = await signIn(await makeUser("research", ["researcher"]));

  const a = [];
  for (let i = 0; i < 6; i++) a.push(await makeCase(loerrach, { group: i === 0 ? "refugee" : "other_migrant" }));
  loerrachPseudonyms.push(...a.map((c) => c.pseudonym));
  await snap(a[0]!.id, "S.DTNIV", "known", daysAgo(10), "B1");
  await snap(a[1]!.id, "S.DTNIV", "known", daysAgo(730), "A2");
  await snap(a[2]!.id, "S.DTNIV", "unknown", daysAgo(20));
  await snap(a[3]!.id, "S.DTNIV", "not_applicable", daysAgo(5));
  await snap(a[5]!.id, "S.DTNIV", "known", daysAgo(1100), "A1");
  await snap(a[5]!.id, "S.DTNIV", "unknown", daysAgo(3));
  const archived = await makeCase(loerrach, { status: "archived", archivedAt: "2025-01-01" });
  await snap(archived.id, "S.DTNIV", "known", daysAgo(10), "C1");

  const w1 = await makeCase(weil, { group: "eu_migrant" });
  const w2 = await makeCase(weil, { group: "refugee" });
  weilPseudonyms.push(w1.pseudonym, w2.pseudonym);
  await snap(w1.id, "S.DTNIV", "known", daysAgo(40), "B2");
});

describe("gap figures", () => {
  it("match the hand-computed counts and shares for a manager of Lörrach and Weil", async () => {
    const data = await dashboard(imBoth);
    expect(data.mode).toBe("cases");
    expect(data.canLink).toBe(true);
    expect(data.municipalities.map((m) => m.name)).toEqual(["Lörrach", "Weil am Rhein"]);
    expect(rowOf(data, loerrach)).toEqual({ total: 6, current: 2, stale: 1, unknownOrMissing: 3, knownShare: 0.5, staleShare: 1 / 6 });
    expect(rowOf(data, weil)).toEqual({ total: 2, current: 1, stale: 0, unknownOrMissing: 1, knownShare: 0.5, staleShare: 0 });
    expect(dtniv(data).sum).toEqual({ total: 8, current: 3, stale: 1, unknownOrMissing: 4, knownShare: 0.5, staleShare: 1 / 8 });
    // an indicator nobody recorded: everything missing
    const lzuf = data.indicators.find((i) => i.code === "S.LZUF")!;
    expect(lzuf.sum).toEqual({ total: 8, current: 0, stale: 0, unknownOrMissing: 8, knownShare: 0, staleShare: 0 });
  });

  it("filter by group and dimension", async () => {
    const refugees = await dashboard(imBoth, "?group=refugee");
    expect(rowOf(refugees, loerrach)).toMatchObject({ total: 1, current: 1, knownShare: 1 });
    expect(rowOf(refugees, weil)).toMatchObject({ total: 1, current: 0, unknownOrMissing: 1, knownShare: 0 });
    const identity = await dashboard(imBoth, "?dimension=IDE");
    expect(identity.indicators.map((i) => i.code)).toEqual(["S.ZUGDE", "S.ZUGORT", "S.ZUGHER", "S.DISKR", "S.LZUF"]);
    const personal = await dashboard(imBoth, "?dimension=none&group=nonsense");
    expect(personal.indicators.map((i) => i.code)).toEqual(["P.GEBJ", "P.GESCHL", "P.FAMST", "P.STAAT"]);
    expect(dtniv(await dashboard(imBoth, "?group=nonsense")).sum.total).toBe(8); // ignored, not an error
  });
});

describe("an integration manager", () => {
  it("sees only their own municipalities on the dashboard, in the CSV and in the totals", async () => {
    const data = await dashboard(im);
    expect(data.municipalities.map((m) => m.id)).toEqual([froehnd, loerrach]); // Fröhnd has no cases but is theirs
    expect(rowOf(data, froehnd)).toEqual({ total: 0, current: 0, stale: 0, unknownOrMissing: 0, knownShare: null, staleShare: null });
    expect(dtniv(data).sum.total).toBe(6);
    expect(JSON.stringify(data)).not.toContain("Weil am Rhein");
    const csv = await (await respond(() => csvLoader({ request: im.get("/dashboard.csv"), params: {}, context: {} }))).text();
    expect(csv).not.toContain("Weil am Rhein");
    expect(csv).toContain("S.DTNIV;Deutschniveau;08336050;Lörrach;6;2;1;3;50,0;16,7");
    // An English reader gets "," between fields and a decimal point.
    const english = im.get("/dashboard.csv");
    english.headers.set("cookie", `${english.headers.get("cookie")}; lw_lang=en`);
    const rows = parseCsv((await (await respond(() => csvLoader({ request: english, params: {}, context: {} }))).text()), ",");
    expect(rows[0]).toHaveLength(10);
    const row = rows.find((r) => r[0] === "S.DTNIV" && r[2] === "08336050")!;
    expect(row.slice(2)).toEqual(["08336050", "Lörrach", "6", "2", "1", "3", "50.0", "16.7"]);
    expect(Number(row[8])).toBe(50);
  });

  it("gets the cases behind a cell of their own municipality, open gaps first, and 404 for another municipality", async () => {
    const res = await respond(() => cellLoader({ request: im.get(`/dashboard/cell?indicator=S.DTNIV&municipality=${loerrach}`), params: {}, context: {} }));
    expect(res.status).toBe(200);
    const cell = (await res.json()) as { cases: { pseudonym: string; state: string }[] };
    expect(cell.cases.map((c) => c.pseudonym).sort()).toEqual([...loerrachPseudonyms].sort());
    expect(cell.cases.map((c) => c.state)).toEqual(["missing", "unknown", "unknown", "stale", "not_applicable", "current"]);
    for (const p of weilPseudonyms) expect(JSON.stringify(cell)).not.toContain(p);

    const other = await respond(() => cellLoader({ request: im.get(`/dashboard/cell?indicator=S.DTNIV&municipality=${weil}`), params: {}, context: {} }));
    expect(other.status).toBe(404);
    const unknownIndicator = await respond(() => cellLoader({ request: im.get(`/dashboard/cell?indicator=X.NOPE&municipality=${loerrach}`), params: {}, context: {} }));
    expect(unknownIndicator.status).toBe(404);
  });

  it("cannot open the cell page as commissioner (no case access)", async () => {
    const res = await respond(() => cellLoader({ request: commissioner.get(`/dashboard/cell?indicator=S.DTNIV&municipality=${loerrach}`), params: {}, context: {} }));
    expect(res.status).toBe(403);
  });
});

describe("the commissioner and researchers", () => {
  it("see the whole district as suppressed counts, with no case links and no pseudonyms", async () => {
    for (const who of [commissioner, researcher]) {
      const data = await dashboard(who);
      expect(data.mode).toBe("suppressed");
      expect(data.canLink).toBe(false);
      // Every municipality is listed, and one without cases (Fröhnd) looks exactly like one with a few (Weil, 2).
      expect(data.municipalities.length).toBe(await db.municipality.count());
      expect(rowOf(data, froehnd)).toEqual(rowOf(data, weil));
      expect(rowOf(data, froehnd)).toMatchObject({ total: null, current: null, stale: null, unknownOrMissing: null });
      // Weil has 2 cases (< 5), so Lörrach's total is suppressed as well, or it would follow from the district total.
      expect(rowOf(data, weil).total).toBeNull();
      expect(rowOf(data, loerrach).total).toBeNull();
      expect(dtniv(data).sum.total).toBe(await perturbed(8, {}));
      // every cell below 5 is hidden; shares are only shown where computable
      for (const row of [rowOf(data, loerrach), rowOf(data, weil)]) {
        for (const v of [row.current, row.stale, row.unknownOrMissing]) expect(v === null || v === 0 || v >= 5).toBe(true);
        expect(row.knownShare).toBeNull();
      }
      const text = JSON.stringify(data);
      for (const p of [...loerrachPseudonyms, ...weilPseudonyms]) expect(text).not.toContain(p);
    }
  });

  it("get the same suppression in the CSV, with '.' for hidden figures", async () => {
    const res = await respond(() => csvLoader({ request: commissioner.get("/dashboard.csv"), params: {}, context: {} }));
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="datenluecken-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
    const text = new TextDecoder().decode(bytes);
    const line = text.split("\r\n").find((l) => l.startsWith("S.DTNIV;Deutschniveau;08336091;"))!;
    // A municipality whose total is hidden shows "." throughout, a zero too (else 0 beside "." would say something).
    expect(line.split(";").slice(4)).toEqual([".", ".", ".", ".", ".", "."]);
    for (const p of [...loerrachPseudonyms, ...weilPseudonyms]) expect(text).not.toContain(p);
  });

  it("keep the month's figures when cases change, so two visits cannot be compared; the next month shows the change", async () => {
    const before = await dashboard(commissioner);
    expect(before.release?.nextFrom).toMatch(/^\d{4}-\d{2}-01$/);
    const extra = [];
    for (let i = 0; i < 9; i++) extra.push(await makeCase(weil));
    for (const c of extra.slice(0, 6)) await snap(c.id, "S.DTNIV", "known", daysAgo(15), "A1");
    const sameMonth = await dashboard(commissioner);
    expect(sameMonth.indicators).toEqual(before.indicators);
    expect(sameMonth.release).toEqual(before.release);
    // The researcher's view is the same release; an integration manager's own view stays live.
    expect((await dashboard(researcher)).indicators).toEqual(before.indicators);
    // The next month's first visit fixes new figures.
    await db.statisticsRelease.deleteMany();
    const data = await dashboard(commissioner);
    expect(data.release!.asOf >= before.release!.asOf).toBe(true);
    // Weil: 11 active, 7 current (w1 + 6), 0 stale, 4 unknown or missing (suppressed, and one partner)
    const row = rowOf(data, weil);
    expect(row.total).toBe(await perturbed(11, { municipalityId: weil }));
    expect(row.unknownOrMissing).toBeNull();
    expect(row.stale).toBe(0);
    expect(row.current).toBeNull(); // the partner: else 11 - 7 - 0 gives the 4 away
  });

  it("are told in the heatmap that a hidden cell may be hidden to protect another, not only for too few cases", async () => {
    const data = await dashboard(commissioner);
    // Lörrach has 6 cases and is hidden only because Weil's total would follow from it and the district's.
    const lr = data.municipalities.findIndex((m) => m.id === loerrach);
    expect(rowOf(data, loerrach).total).toBeNull();
    for (const [language, protect, tooFew] of [["de", "oder zum Schutz eines solchen Feldes", "zu wenige"], ["en", "or to protect such a cell", "too few"]] as const) {
      const html = renderToStaticMarkup(
        createElement(
          I18nextProvider,
          { i18n: createI18n(language) },
          createElement(Heatmap, {
            rows: data.indicators.map((i) => ({ key: i.code, label: indicatorLabel(i, language) })),
            columns: data.municipalities.map((m) => ({ key: m.id, label: m.name })),
            cells: data.indicators.map((i) => i.rows.map((r) => ({ knownShare: r.knownShare, staleShare: r.staleShare, total: r.total }))),
            threshold: DEFAULT_THRESHOLD,
          }),
        ),
      );
      const titles = [...html.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
      const title = titles[data.indicators.findIndex((i) => i.code === "S.DTNIV") * data.municipalities.length + lr]!;
      expect(title).toContain("Lörrach");
      expect(title).toContain(protect);
      expect(title).toContain(String(DEFAULT_THRESHOLD));
      expect(titles.some((t) => t.includes(tooFew))).toBe(false);
    }
  });

  it("see an administrator's new indicator label at once, on the page and in the CSV, while the month's figures stay frozen", async () => {
    const before = await dashboard(commissioner);
    const id = await indicatorId("S.DTNIV");
    const old = await db.indicatorDefinition.findUniqueOrThrow({ where: { id }, select: { labelDe: true, labelEn: true } });
    try {
      await db.indicatorDefinition.update({ where: { id }, data: { labelDe: "Deutschkenntnisse (Niveau)", labelEn: "German skills (level)" } });
      // a case added now must not show before next month: the figures are still the stored ones
      await makeCase(weil);
      const after = await dashboard(commissioner);
      const label = (d: Data) => d.indicators.find((i) => i.code === "S.DTNIV")!;
      expect(label(after)).toMatchObject({ labelDe: "Deutschkenntnisse (Niveau)", labelEn: "German skills (level)" });
      expect(label(before)).toMatchObject(old);
      expect(after.indicators.map((i) => i.rows)).toEqual(before.indicators.map((i) => i.rows));
      const csv = await (await respond(() => csvLoader({ request: commissioner.get("/dashboard.csv"), params: {}, context: {} }))).text();
      expect(csv).toContain("S.DTNIV;Deutschkenntnisse (Niveau);08336091;");
      expect(csv).not.toContain(`S.DTNIV;${old.labelDe};`);
    } finally {
      await db.indicatorDefinition.update({ where: { id }, data: old });
    }
  });
});
