// The demo district's story <-> number links: proposals from the fixtures' links.yaml on the demo interviews'
// codings, some confirmed, and contradictions with the register for both demo integration managers.
import { db } from "../../app/db/client.server.ts";
import { seedReference } from "./reference.ts";
import { seedDemo } from "./demo.ts";
import { fixturesDir, seedDemoInterviews } from "./demo-interviews.ts";
import { seedDemoLinks } from "./demo-links.ts";
import { findContradictions } from "../../app/links/contradictions.server.ts";

describe.runIf(fixturesDir() !== null)("seedDemoLinks", () => {
  it("proposes the fixture links, confirms some, plants contradictions, and is idempotent", async () => {
    await seedReference(db);
    await seedDemo(db, { cases: 30 });
    await seedDemoInterviews(db);
    const first = await seedDemoLinks(db);
    // 23 fixture links, 3 of them birth years (P.GEBJ: base data, no fitting code when no coding covers them).
    expect(first.links).toBeGreaterThanOrEqual(20);
    expect(first.confirmed).toBe(3);
    const confirmed = await db.passageLink.findMany({ where: { status: "confirmed" }, select: { snapshot: { select: { verified: true, source: true } } } });
    expect(confirmed.every((l) => l.snapshot?.verified && l.snapshot.source === "selbstauskunft")).toBe(true);
    // Every link sits on a coding whose quote contains the link passage.
    const links = await db.passageLink.findMany({ select: { coding: { select: { quote: true } } } });
    expect(links.every((l) => l.coding.quote.length > 0)).toBe(true);

    for (const [username, indicator] of [["im.weil", "S.DTNIV"], ["im.loerrach", "S.WOHN"]] as const) {
      const user = await db.user.findUniqueOrThrow({ where: { username }, select: { municipalities: { select: { municipalityId: true } } } });
      const list = await findContradictions({ municipalityId: { in: user.municipalities.map((m) => m.municipalityId) } });
      expect(list.map((c) => c.indicator.code)).toContain(indicator);
    }
    const b1 = (await findContradictions({})).find((c) => c.indicator.code === "S.DTNIV" && c.story.value === "B1");
    expect(b1).toMatchObject({ register: expect.objectContaining({ value: "A2" }), kind: "ordinal", direction: "higher" });

    expect(await seedDemoLinks(db)).toEqual({ links: 0, confirmed: 0 });
  });
});
