// The demo district's fixture codings: seeded onto the three demo transcripts by the researcher, exactly at the
// fixtures' offsets (the transcript's plain text is the fixture's int-0N.txt), only where the consent allows.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { beforeAll, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { DEMO_INTERVIEWS, fixturesDir, seedDemoInterviews } from "../../prisma/seed/demo-interviews.ts";
import { OffsetMap } from "../../app/coding/anchoring.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";

type FixtureCoding = { id: string; code: string; start: number; end: number; quote: string };
const dir = fixturesDir()!;
const fixture = (name: string) => (YAML.parse(fs.readFileSync(path.join(dir, `${name}.codings.yaml`), "utf8")) as { codings: FixtureCoding[] }).codings;

beforeAll(async () => {
  expect(dir, "the interview fixtures (../shared/fixtures/interviews) are needed").toBeTruthy();
  await seedReference(db);
  await seedDemo(db, { cases: 3 });
  await seedDemoInterviews(db);
});

it("puts the fixture codings on the demo transcripts with the fixtures' quotes, by the researcher", async () => {
  const researcher = await db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
  for (const demo of DEMO_INTERVIEWS) {
    const interview = await db.interview.findUniqueOrThrow({
      where: { code: demo.code },
      select: { id: true, transcript: { select: { paragraphs: { orderBy: { position: "asc" } } } }, consents: { where: { current: true }, select: { scopeSpecialCategories: true } } },
    });
    // the plain text the offsets index into is the fixture's transcript file, character for character
    const text = writeText(interview.transcript!.paragraphs.map((p) => ({ ...p, words: null })));
    expect(text).toBe(fs.readFileSync(path.join(dir, `${demo.fixture}.txt`), "utf8"));
    const special = interview.consents[0]!.scopeSpecialCategories;
    const expected = fixture(demo.fixture).filter((c) => special || c.code !== "X.GES");
    const rows = await db.coding.findMany({ where: { interviewId: interview.id }, select: { start: true, end: true, quote: true, createdById: true, orphaned: true, code: { select: { key: true } } } });
    const key = (c: { start: number; end: number; quote: string; code: string }) => `${c.code}@${c.start}-${c.end}:${c.quote}`;
    expect(rows.map((r) => key({ ...r, code: r.code.key! })).sort()).toEqual(expected.map(key).sort());
    const map = new OffsetMap(text);
    for (const r of rows) {
      expect(map.slice(r.start, r.end)).toBe(r.quote);
      expect(r).toMatchObject({ createdById: researcher.id, orphaned: false });
    }
  }
  // int-02 consented to special categories (its trauma passage is coded X.GES); int-03 did not
  const ges = await db.coding.findMany({ where: { code: { key: "X.GES" } }, select: { interview: { select: { code: true } } } });
  expect(ges.map((g) => g.interview.code)).toEqual(["INT-2025-0002"]);
});

it("does not seed the codings twice", async () => {
  const before = await db.coding.count();
  await seedDemoInterviews(db);
  expect(await db.coding.count()).toBe(before);
  expect(before).toBe(90);
});
