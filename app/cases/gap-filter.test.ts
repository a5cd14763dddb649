// The gap filter keeps exactly the cases whose current (latest) value of the indicator is in the chosen
// state, within the caller's scope and the other filters, as the dashboard's drill-down links expect.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, insertCase, jsonOf, municipalityId, signedInUser, type TestUser } from "./test-support.ts";
import * as caseList from "../routes/cases._index.tsx";

let im: TestUser;
let imBoth: TestUser;
let loerrach: string;
let softCount: number;
const DAY = 86400_000;
const recent = new Date(Date.now() - 30 * DAY);
const old = new Date(Date.now() - 3 * 365 * DAY);

// name -> pseudonym; the snapshots of S.DTNIV (12 months staleness) decide the expected state.
const P = {
  missing: "LOE-2024-0001",
  unknownRecent: "LOE-2024-0002",
  knownThenUnknown: "LOE-2024-0003",
  staleKnown: "LOE-2024-0004",
  staleNotApplicable: "LOE-2024-0005",
  current: "LOE-2024-0006",
  unknownThenKnown: "LOE-2024-0007",
  notApplicable: "LOE-2024-0008",
  archivedMissing: "LOE-2024-0009",
  weilMissing: "LOE-2024-0010",
};

async function snapshot(caseId: string, code: string, state: string, observedAt: Date, value: unknown = null) {
  const indicator = await db.indicatorDefinition.findUniqueOrThrow({ where: { code }, select: { id: true } });
  await db.snapshot.create({ data: { caseId, indicatorId: indicator.id, state, value: value === null ? null : JSON.stringify(value), observedAt, source: "im_akte" } });
}

const list = (who: TestUser, query: string) => jsonOf(() => caseList.loader({ request: getRequest(`/cases?${query}`, who), params: {}, ...ctx }));
const pseudonyms = (data: { rows: { pseudonym: string }[] }) => data.rows.map((r) => r.pseudonym);

beforeAll(async () => {
  await ensureReference();
  loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  im = await signedInUser("im.gaps", ["integration_manager"], [loerrach]);
  imBoth = await signedInUser("admin.gaps", ["integration_manager"], [loerrach, weil]);
  softCount = await db.indicatorDefinition.count({ where: { category: "soft", active: true } });
  const id: Record<string, string> = {};
  for (const [name, pseudonym] of Object.entries(P)) {
    const municipality = name === "weilMissing" ? weil : loerrach;
    id[name] = (await insertCase(pseudonym, municipality, { status: name === "archivedMissing" ? "archived" : "active" })).id;
  }
  await snapshot(id.missing!, "S.IK", "known", recent, "laufend"); // another indicator does not count
  await snapshot(id.unknownRecent!, "S.DTNIV", "unknown", recent);
  await snapshot(id.knownThenUnknown!, "S.DTNIV", "known", old, "A2");
  await snapshot(id.knownThenUnknown!, "S.DTNIV", "unknown", recent);
  await snapshot(id.staleKnown!, "S.DTNIV", "known", old, "B1");
  await snapshot(id.staleNotApplicable!, "S.DTNIV", "not_applicable", old);
  await snapshot(id.current!, "S.DTNIV", "known", recent, "B2");
  await snapshot(id.unknownThenKnown!, "S.DTNIV", "unknown", old);
  await snapshot(id.unknownThenKnown!, "S.DTNIV", "known", recent, "A1");
  await snapshot(id.notApplicable!, "S.DTNIV", "not_applicable", recent);
});

describe("gap filter", () => {
  it("keeps exactly the cases in each gap state", async () => {
    expect(pseudonyms(await list(im, "indicator=S.DTNIV&gap=missing"))).toEqual([P.missing, P.archivedMissing]);
    expect(pseudonyms(await list(im, "indicator=S.DTNIV&gap=unknown"))).toEqual([P.unknownRecent, P.knownThenUnknown]);
    expect(pseudonyms(await list(im, "indicator=S.DTNIV&gap=stale"))).toEqual([P.staleKnown, P.staleNotApplicable]);
    expect(pseudonyms(await list(im, "indicator=S.DTNIV&gap=open"))).toEqual([P.missing, P.unknownRecent, P.knownThenUnknown, P.staleKnown, P.staleNotApplicable, P.archivedMissing]);
  });

  it("answers the dashboard's drill-down link, combined with municipality and status", async () => {
    const data = await list(im, `indicator=S.DTNIV&gap=open&municipality=${loerrach}&status=active`);
    expect(pseudonyms(data)).toEqual([P.missing, P.unknownRecent, P.knownThenUnknown, P.staleKnown, P.staleNotApplicable]);
    expect(data.total).toBe(5);
    expect(data.query).toMatchObject({ indicator: "S.DTNIV", gap: "open", municipality: loerrach, status: "active" });
  });

  it("treats an indicator without a gap kind as any gap, and ignores a gap kind without indicator", async () => {
    expect((await list(im, "indicator=S.DTNIV")).total).toBe(6);
    expect((await list(im, "gap=missing")).total).toBe(9);
  });

  it("stays within scope: an integration manager of both municipalities also sees the other one's case", async () => {
    expect(pseudonyms(await list(imBoth, "indicator=S.DTNIV&gap=missing"))).toEqual([P.missing, P.archivedMissing, P.weilMissing]);
  });

  it("sorts and pages the filtered cases", async () => {
    const desc = await list(im, "indicator=S.DTNIV&gap=unknown&sort=pseudonym&dir=desc");
    expect(pseudonyms(desc)).toEqual([P.knownThenUnknown, P.unknownRecent]);
    // 25 more cases without any snapshot: 26 missing among the active ones, two pages.
    for (let i = 1; i <= 25; i++) await insertCase(`LOE-2015-${String(i).padStart(4, "0")}`, loerrach);
    const page1 = await list(im, "indicator=S.DTNIV&gap=missing&status=active");
    expect([page1.total, page1.pages, page1.rows.length]).toEqual([26, 2, 25]);
    const page2 = await list(im, "indicator=S.DTNIV&gap=missing&status=active&page=2");
    expect(pseudonyms(page2)).toEqual([P.missing]);
    // A page beyond the end shows the last page.
    expect(pseudonyms(await list(im, "indicator=S.DTNIV&gap=missing&status=active&page=99"))).toEqual([P.missing]);
  });

  it("counts open gaps over the soft indicators per case", async () => {
    const rows = (await list(im, "indicator=S.DTNIV&gap=open&status=active&sort=pseudonym&dir=desc")).rows as { pseudonym: string; openGaps: number }[];
    const byPseudonym = new Map(rows.map((r) => [r.pseudonym, r.openGaps]));
    expect(byPseudonym.get(P.missing)).toBe(softCount - 1); // S.IK is current
    expect(byPseudonym.get(P.staleKnown)).toBe(softCount);
    const current = (await list(im, "sort=pseudonym&dir=desc")).rows as { pseudonym: string; openGaps: number }[];
    expect(current.find((r) => r.pseudonym === P.current)?.openGaps).toBe(softCount - 1);
  });
});
