import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { loader as worklistLoader } from "../routes/worklist.tsx";
import { daysAgo, makeCase, makeUser, municipalityId, respond, signIn, snap, type SignedIn } from "./test-support.server.ts";
import { WORKLIST_PAGE_SIZE } from "./worklist.server.ts";

type Data = { total: number; complete: number; page: number; pageCount: number; cases: { pseudonym: string; lastObservedAt: string | null; gaps: { code: string; state: string }[] }[] };

let im: SignedIn;
let imBoth: SignedIn;
let commissioner: SignedIn;
let complete: string;

async function worklist(who: SignedIn, query = ""): Promise<Data> {
  const res = await respond(() => worklistLoader({ request: who.get(`/worklist${query}`), params: {}, context: {} }));
  expect(res.status).toBe(200);
  return (await res.json()) as Data;
}

beforeAll(async () => {
  await seedReference(db);
  const loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  im = await signIn(await makeUser("im", ["integration_manager"], [loerrach]));
  imBoth = await signIn(await makeUser("im.both", ["integration_manager"], [loerrach, weil]));
  commissioner = await signIn(await makeUser("comm", ["commissioner"]));

  // Lörrach: updated 10 days ago, 400 days ago (and stale), never; one case with every indicator current; one archived
  const recent = await makeCase(loerrach, { pseudonym: "LOE-2026-0001" });
  await snap(recent.id, "S.DTNIV", "known", daysAgo(10), "B1");
  await snap(recent.id, "S.ERW", "unknown", daysAgo(12));
  const old = await makeCase(loerrach, { pseudonym: "LOE-2026-0002" });
  await snap(old.id, "S.DTNIV", "known", daysAgo(400), "A2");
  await makeCase(loerrach, { pseudonym: "LOE-2026-0003" });
  const done = await makeCase(loerrach, { pseudonym: "LOE-2026-0004" });
  complete = done.pseudonym;
  const indicators = await db.indicatorDefinition.findMany({ where: { active: true }, select: { code: true } });
  for (const { code } of indicators) await snap(done.id, code, "not_applicable", daysAgo(1));
  await makeCase(loerrach, { pseudonym: "LOE-2026-0005", status: "archived", archivedAt: "2026-01-01" });
  // Weil: another municipality's case
  await makeCase(weil, { pseudonym: "WEIL-2026-0001" });
});

describe("work list", () => {
  it("lists the manager's active cases with open indicators, never updated first, then the oldest update", async () => {
    const data = await worklist(im);
    expect(data.cases.map((c) => c.pseudonym)).toEqual(["LOE-2026-0003", "LOE-2026-0002", "LOE-2026-0001"]);
    expect(data.total).toBe(3);
    expect(data.complete).toBe(1);
    expect(JSON.stringify(data)).not.toContain(complete);
    expect(JSON.stringify(data)).not.toContain("WEIL-");
    const recent = data.cases.find((c) => c.pseudonym === "LOE-2026-0001")!;
    const states = Object.fromEntries(recent.gaps.map((g) => [g.code, g.state]));
    expect(states["S.DTNIV"]).toBeUndefined(); // current: not a gap
    expect(states["S.ERW"]).toBe("unknown");
    expect(states["S.IK"]).toBe("missing");
    const old = data.cases.find((c) => c.pseudonym === "LOE-2026-0002")!;
    expect(old.gaps.find((g) => g.code === "S.DTNIV")!.state).toBe("stale");
  });

  it("shows a manager of both municipalities both, and pages", async () => {
    const data = await worklist(imBoth);
    expect(data.cases.map((c) => c.pseudonym)).toContain("WEIL-2026-0001");
    expect(data.total).toBe(4);
    const loerrach = await municipalityId("08336050");
    for (let i = 0; i < WORKLIST_PAGE_SIZE; i++) await makeCase(loerrach, { pseudonym: `LOE-2025-${String(i + 1).padStart(4, "0")}` });
    const first = await worklist(im);
    expect(first.pageCount).toBe(2);
    expect(first.cases).toHaveLength(WORKLIST_PAGE_SIZE);
    const second = await worklist(im, "?page=2");
    expect(second.cases.map((c) => c.pseudonym)).toEqual(["LOE-2026-0003", "LOE-2026-0002", "LOE-2026-0001"]);
    expect((await worklist(im, "?page=99")).page).toBe(2);
    expect((await worklist(im, "?page=abc")).page).toBe(1);
  });

  it("ignores a municipality outside the scope and refuses roles without the work list", async () => {
    const weil = await municipalityId("08336091");
    const data = await worklist(im, `?municipality=${weil}`);
    expect(JSON.stringify(data)).not.toContain("WEIL-");
    const res = await respond(() => worklistLoader({ request: commissioner.get("/worklist"), params: {}, context: {} }));
    expect(res.status).toBe(403);
  });
});
