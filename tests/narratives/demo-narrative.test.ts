// The demo's released narrative ("Vom Ankommen zur Anerkennung", what the commissioner reads at /narratives) must
// not let anyone recognise the woman it is about: no town, region, profession, country of origin or school year
// that, together, narrow her down. A demo database seeded by the older engine is redacted again on the next seed.
import { db } from "../../app/db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { fixturesDir, seedDemoInterviews } from "../../prisma/seed/demo-interviews.ts";
import { DEMO_NARRATIVE_TITLES, seedDemoNarratives } from "../../prisma/seed/demo-narratives.ts";

const IDENTIFYING = [/Weil am Rhein/u, /Schopfheim/u, /Wiesental/u, /Apothek/u, /Syrien|syrisch/iu, /7\. Klasse|siebte Klasse/iu, /Lörrach/u, /Bauingenieur/u, /sehr kleinen/u];

describe.runIf(fixturesDir() !== null)("the demo's released narrative", () => {
  it("shows none of the details that identify in combination, and still reads", async () => {
    await seedReference(db);
    await seedDemo(db, { cases: 30 });
    await seedDemoInterviews(db);
    const { released } = await seedDemoNarratives(db);
    const row = await db.narrative.findUniqueOrThrow({ where: { id: released! }, select: { status: true, releasedText: true, releasedHtml: true } });
    expect(row.status).toBe("released");
    for (const re of IDENTIFYING) {
      expect(row.releasedText, String(re)).not.toMatch(re);
      expect(row.releasedHtml, String(re)).not.toMatch(re);
    }
    expect(row.releasedText).toContain("Zuerst lebte die Familie in einer Gemeinde");
    expect(row.releasedText).toContain("im ganzen [Tal im Landkreis]");
    expect(row.releasedText).toContain("er ist [Fachkraft im technischen Bereich]");
    expect(row.releasedText).toContain("in die Mittelstufe der [Schule]");
  });

  it("is redacted again when an older engine released it", async () => {
    const { released } = await seedDemoNarratives(db);
    const before = await db.narrative.findUniqueOrThrow({ where: { id: released! }, select: { releasedText: true, releasedAt: true, reviewerId: true } });
    // As the engine before the combination details released it: towns and the profession left in the text.
    const old = before.releasedText!.replace("[Tal im Landkreis]", "Wiesental").replace("[Fachkraft im technischen Bereich]", "Bauingenieur");
    await db.narrative.update({ where: { id: released! }, data: { releasedText: old, releasedHtml: old, redactions: JSON.stringify({ decisions: [], nameMode: "placeholder", editorIds: [], reviewComment: null, submittedById: null }) } });
    expect(await seedDemoNarratives(db)).toEqual({ released, draft: expect.any(String) });
    const after = await db.narrative.findUniqueOrThrow({ where: { title: DEMO_NARRATIVE_TITLES.released, id: released! }, select: { releasedText: true, releasedHtml: true, releasedAt: true, reviewerId: true, redactions: true } });
    expect(after.releasedText).toBe(before.releasedText);
    expect(after.releasedHtml).not.toMatch(/Wiesental|Bauingenieur/u);
    expect({ releasedAt: after.releasedAt, reviewerId: after.reviewerId }).toEqual({ releasedAt: before.releasedAt, reviewerId: before.reviewerId });
    expect((JSON.parse(after.redactions) as { decisions: unknown[] }).decisions.length).toBeGreaterThan(10);
  });
});
