// Many matches: the FTS5 engine ranks the best candidates first and filters those, falls back to every filtered
// match when a filter is selective, counts up to 1,000 and counts facets over the first 1,000 matches. These
// tests hold it to the plain answer: the same hits in the same order as FTS5's own ORDER BY rank over every
// match (SQLite), the complete set behind a selective filter, paging without gaps or repeats (both databases).
import { db } from "../../app/db/client.server.ts";
import { indexTranscript } from "../../search/hooks.server.ts";
import { search } from "../../search/search.server.ts";
import { dialectOf } from "../../search/raw-sql.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import type { SearchFilters, Visibility } from "../../search/query/types.ts";
import { newRecordKey } from "../../app/statistics/record-key.server.ts";

const admin: Visibility = { research: true, codebook: true, narratives: true, counselling: "all" };
const sqlite = dialectOf(db) === "sqlite";

await seedReference(db);
const [m1, m2] = await db.municipality.findMany({ orderBy: { ags: "asc" }, take: 2, select: { id: true } });
const FILLER = "und dann war es so dass wir lange gewartet haben".split(" ");

/** An interview whose paragraphs all say "Arbeit", some more often and in shorter turns than others (so bm25 differs). */
async function interview(code: string, municipalityId: string, date: string, paragraphs: number, seed: number) {
  const c = await db.case.create({ data: { recordKey: newRecordKey(), pseudonym: `RANK-${code}`, municipalityId, group: "refugee", imStart: new Date("2020-01-01") }, select: { id: true } });
  const i = await db.interview.create({
    data: {
      code: `RANK-INT-${code}`,
      caseId: c.id,
      date: new Date(date),
      placeType: "office",
      languages: JSON.stringify(["de"]),
      status: "transcribed",
      consents: { create: { version: 1, givenBy: "person", givenAt: new Date("2025-01-01"), form: "written", language: "de", infoSheetVersion: "2025-01", scopeTranscription: true, scopeAnalysis: true } },
      transcript: {
        create: {
          source: "manual",
          language: "de",
          paragraphs: {
            create: Array.from({ length: paragraphs }, (_, position) => {
              const n = (position * 7 + seed) % 23;
              const words = [...Array.from({ length: 1 + (n % 4) }, () => "Arbeit"), ...Array.from({ length: 3 + n }, (_, k) => FILLER[(k + position) % FILLER.length]!)];
              return { position, speaker: position % 2 ? "B" : "I", startMs: position * 1000, endMs: position * 1000 + 900, text: `${words.join(" ")}.` };
            }),
          },
        },
      },
    },
    select: { id: true, transcript: { select: { id: true } } },
  });
  await db.$transaction((tx) => indexTranscript(tx, i.id), { maxWait: 15_000, timeout: 120_000 });
  return { id: i.id, transcriptId: i.transcript!.id };
}

// 1,010 + 15 paragraphs with "Arbeit": more than the engine's 500 first candidates and more than it counts.
const big = await interview("BIG", m1!.id, "2025-02-01T10:00:00Z", 1010, 1);
const small = await interview("SMALL", m2!.id, "2025-08-01T10:00:00Z", 15, 5);
const smallIds = Array.from({ length: 15 }, (_, p) => `${small.transcriptId}:${p}`).sort();

async function page(q: string, filters: SearchFilters, n: number, pageSize: number, sort: "relevance" | "date" = "relevance") {
  const r = await search({ q, visibility: admin, filters, page: n, pageSize, sort, facets: true }, db);
  if (!r.ok) throw new Error(r.hint);
  return r;
}

/** FTS5's own ranking over every match, through SearchEntry (the plain answer the engine must equal). */
async function plainFts5(where = "1 = 1", ...values: unknown[]): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ sourceId: string }[]>(
    `SELECT e."sourceId" FROM "SearchEntryFts" f JOIN "SearchEntry" e ON e."rowid" = f."rowid" WHERE f."SearchEntryFts" MATCH '"arbeit"' AND ${where} ORDER BY f.rank, e."rowid"`,
    ...values,
  );
  return rows.map((r) => r.sourceId);
}

describe("many matches", () => {
  it("counts up to 1,000 and says there are more", async () => {
    const r = await page("Arbeit", {}, 1, 20);
    expect(r.total).toBe(1000);
    expect(r.exact).toBe(false);
    expect(r.hits).toHaveLength(20);
  });

  it.runIf(sqlite)("ranks like FTS5's ORDER BY rank over every match, on the first and a later page", async () => {
    const plain = await plainFts5();
    expect(plain).toHaveLength(1025);
    const first = await page("Arbeit", {}, 1, 20);
    expect(first.hits.map((h) => h.sourceId)).toEqual(plain.slice(0, 20));
    const later = await page("Arbeit", {}, 30, 50); // offset 1,450: past the first candidates
    expect(later.hits.map((h) => h.sourceId)).toEqual([]);
    const deep = await page("Arbeit", {}, 12, 50); // offset 550: beyond 500 candidates
    expect(deep.hits.map((h) => h.sourceId)).toEqual(plain.slice(550, 600));
  });

  it("finds every match behind a selective filter (the best candidates hold none of them), in rank order", async () => {
    const r = await page("Arbeit", { municipalityIds: [m2!.id] }, 1, 50);
    expect(r.total).toBe(15);
    expect(r.exact).toBe(true);
    expect(r.hits.map((h) => h.sourceId).sort()).toEqual(smallIds);
    if (sqlite) expect(r.hits.map((h) => h.sourceId)).toEqual(await plainFts5(`e."municipalityId" = ?`, m2!.id));
    expect(r.facetsComplete).toBe(true);
    expect(r.facets!.municipality).toEqual({ [m2!.id]: 15 });
  });

  it("pages through a selective filter without gaps or repeats", async () => {
    const seen: string[] = [];
    for (let n = 1; n <= 4; n++) {
      const r = await page("Arbeit", { municipalityIds: [m2!.id] }, n, 4);
      expect(r.total).toBe(15);
      seen.push(...r.hits.map((h) => h.sourceId));
    }
    expect(seen.sort()).toEqual(smallIds);
  });

  it("sorts by date over every filtered match", async () => {
    const r = await page("Arbeit", { speakers: ["interviewee"] }, 1, 10, "date");
    expect(r.hits.map((h) => h.interview?.id)).toEqual(Array(7).fill(small.id).concat(Array(3).fill(big.id)));
  });

  it("facet counts: complete up to 1,000 results, and marked partial beyond (FTS5 and PostgreSQL)", async () => {
    const few = await page("Arbeit", { municipalityIds: [m1!.id], speakers: ["interviewer"] }, 1, 20);
    expect(few.total).toBe(505);
    expect(few.facetsComplete).toBe(true);
    expect(few.facets!.speaker).toEqual({ interviewer: 505 });
    // 1,025 matches: the counts cover the first 1,000 (a frequent word costs no more than its count)
    const many = await page("Arbeit", {}, 1, 20);
    expect(many.facetsComplete).toBe(false);
    expect(Object.values(many.facets!.municipality).reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
