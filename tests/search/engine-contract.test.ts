// The contract every search engine must keep, on the same fixture: German folding and stemming, phrase,
// prefix, AND/OR/NOT, other scripts, broken syntax, filters, facets, paging, and the role/consent visibility.
// Always runs on the database's engine (SQLite FTS5, or PostgreSQL text search with TEST_DATABASE=postgres);
// on Meilisearch only when MEILI_URL names a server (none can be installed here; its answers are never faked).
process.env.MEILI_INDEX ??= `lw_test_${process.pid}`;
import { db } from "../../app/db/client.server.ts";
import { SqlEngine } from "../../search/engines/sql.server.ts";
import { MeiliEngine, visibilityFilter } from "../../search/engines/meili.server.ts";
import { drainOutbox } from "../../search/outbox.server.ts";
import { countFacetsOfEntries } from "../../search/engines/sql.server.ts";
import { indexMemo, removeMemo } from "../../search/hooks.server.ts";
import { providerOf, search } from "../../search/search.server.ts";
import type { SearchEngine, SearchFilters, Visibility } from "../../search/query/types.ts";
import { buildFixture, VIS, type Fixture } from "./fixture.ts";
import { newRecordKey } from "../../app/statistics/record-key.server.ts";

const fixture: Fixture = await buildFixture(db);
const dbEngine = new SqlEngine(db, providerOf(db) === "sqlite" ? "sqlite" : "postgres");
const engines: [string, SearchEngine][] = [[dbEngine.name, dbEngine]];
if (process.env.MEILI_URL) {
  const r = await drainOutbox(db);
  if (r.failed) throw new Error(`Meilisearch at ${process.env.MEILI_URL} did not take the fixture`);
  engines.push(["meilisearch", new MeiliEngine(db)]);
} else {
  console.log("Search engine contract: Meilisearch SKIPPED, MEILI_URL is not set (no Meilisearch server on this machine). Ran on " + dbEngine.name + " only.");
}

/** Keys (P1, M1, N2, R1, code) of the documents a query finds. */
const keyOf = (sourceId: string): string => {
  for (const [k, v] of Object.entries(fixture.paragraphs)) if (v === sourceId) return k;
  for (const group of [fixture.memos, fixture.notes, fixture.narratives] as Record<string, string>[]) for (const [k, v] of Object.entries(group)) if (v === sourceId) return k;
  if (sourceId === fixture.codes.anerkennung) return "code";
  return `?${sourceId}`;
};

describe.each(engines)("search engine %s", (_name, engine) => {
  async function find(q: string, visibility: Visibility = VIS.researcher, filters: SearchFilters = {}): Promise<string[]> {
    const r = await search({ q, visibility, filters, pageSize: 50 }, db, engine);
    if (!r.ok) throw new Error(`query ${q} refused: ${r.hint}`);
    return r.hits.map((h) => keyOf(h.sourceId)).sort();
  }

  describe("German", () => {
    it("folds umlauts both ways and ignores case", async () => {
      expect(await find("Pruefungen")).toEqual(["P3"]);
      expect(await find("PRÜFUNGEN")).toEqual(["P3"]);
      expect(await find("schwer")).toEqual(["P3"]); // SCHWER in the text
      expect(await find("Loerrach")).toEqual(["P6"]);
    });
    it("stems at index and query time: Ausbildung finds Ausbildungen, Prüfung finds Prüfungen", async () => {
      expect(await find("Ausbildung")).toEqual(["P2", "P3"]);
      expect(await find("Ausbildungen")).toEqual(["P2", "P3"]);
      expect(await find("Prüfung")).toEqual(["P3"]);
      expect(await find("Diplom")).toEqual(["P1"]);
    });
  });

  it("finds a phrase only in its order", async () => {
    expect(await find('"arbeite in Lörrach"')).toEqual(["P6"]);
    expect(await find('„Lörrach arbeite in"')).toEqual([]);
  });

  it("finds prefixes, also where the prefix is longer than the stem", async () => {
    expect(await find("Ausbild*")).toEqual(["P2", "P3"]);
    expect(await find("Ausbildu*")).toEqual(["P2", "P3"]);
    expect(await find("Kenntnis*")).toEqual(["M1", "P1"]);
    expect(await find("Apothek*", VIS.researcher, { kinds: ["paragraph"] })).toEqual(["P1"]);
  });

  describe("word parts (*prüfung), as MAXQDA's and ATLAS.ti's substring search finds them", () => {
    const vocabulary = engine.wordsWithPart !== undefined;
    it.runIf(vocabulary)("finds words ending in a part, stemmed like a word, and words containing a part", async () => {
      expect(await find("Prüfung")).toEqual(["P3"]);
      expect(await find("*prüfung")).toEqual(["M1", "P1", "P3"]); // Kenntnisprüfung, Prüfungen; not P5 (no consent)
      expect(await find("*Prüfungen")).toEqual(["M1", "P1", "P3"]);
      expect(await find("*prüf*")).toEqual(["M1", "P1", "P3"]);
      expect(await find("*kenntnis*")).toEqual(["M1", "P1"]);
      expect(await find("Ausbildung -*prüfung")).toEqual(["P2"]);
      expect(await find("*prüfung AND Apothekerin")).toEqual(["P1"]);
      expect(await find("*qqqxyz OR Diplom")).toEqual(["P1"]);
      expect(await find("*qqqxyz")).toEqual([]);
      expect(await find("Diplom *qqqxyz")).toEqual([]);
    });
    it.runIf(vocabulary)("keeps roles and consent: a part finds only what the words would", async () => {
      expect(await find("*such*")).toEqual([]); // Wohnungssuche: a note (N1) and a memo without consent (M2)
      expect(await find("*such*", VIS.imM1(fixture))).toEqual(["N1"]);
      expect(await find("*such*", VIS.imM2(fixture))).toEqual([]);
      expect(await find("*such*", VIS.admin)).toEqual(["N1"]);
      // The words a part stood for are marked in the hits, but the outcome sent to the browser keeps only the
      // query's own terms (the vocabulary holds words of documents the user may not see).
      const r = await search({ q: "*prüfung", visibility: VIS.researcher, pageSize: 50 }, db, engine);
      if (!r.ok) throw new Error(r.hint);
      const p1 = r.hits.find((h) => h.sourceId === fixture.paragraphs.P1)!;
      expect(p1.snippet.segments.filter((x) => x.hit).map((x) => x.text)).toEqual(["Kenntnisprüfung"]);
      expect(r.terms).toEqual({ tokens: [], prefixes: [] });
      const im = await search({ q: "*such*", visibility: VIS.imM2(fixture) }, db, engine);
      expect(JSON.stringify(im)).not.toMatch(/such/);
    });
    it.runIf(vocabulary)("asks for a longer part when one stands for more than 100 words", async () => {
      const words = Array.from({ length: 101 }, (_, i) => `w${i}zzqk`).join(" ");
      const memo = await db.memo.create({ data: { type: "reflection", title: "Wortliste", contentJson: "{}", contentHtml: `<p>${words}</p>`, contentText: words, authorId: fixture.users.researcher }, select: { id: true } });
      try {
        await db.$transaction((tx) => indexMemo(tx, memo.id));
        expect(await search({ q: "*zzqk", visibility: VIS.researcher }, db, engine)).toEqual({ ok: false, hint: "partTooBroad" });
        expect(await find("*9zzqk")).toHaveLength(1); // w9zzqk, w19zzqk, ... w99zzqk: ten words, one memo
      } finally {
        await db.$transaction(async (tx) => {
          await tx.memo.delete({ where: { id: memo.id } });
          await removeMemo(tx, memo.id);
        });
      }
    });
    it.runIf(!vocabulary)("says that this engine cannot search word parts", async () => {
      expect(await search({ q: "*prüfung", visibility: VIS.researcher }, db, engine)).toEqual({ ok: false, hint: "leadingWildcard" });
    });
  });

  it("combines with AND, OR, NOT (and their German names, and -word)", async () => {
    expect(await find("Anerkennung AND Diplom")).toEqual(["P1"]);
    expect(await find("Anerkennung Diplom")).toEqual(["P1"]);
    expect(await find("Ausbildung OR Apothekerin")).toEqual(["P1", "P2", "P3"]);
    expect(await find("Ausbildung ODER Apothekerin")).toEqual(["P1", "P2", "P3"]);
    expect(await find("Ausbildung NOT Prüfung")).toEqual(["P2"]);
    expect(await find("Ausbildung -Prüfungen")).toEqual(["P2"]);
    expect(await find("(Diplom OR Elektrotechnik) AND Apothekerin")).toEqual(["P1"]);
    expect(await find("(Diplom OR Elektrotechnik) AND arbeiten")).toEqual(["P1", "P6"]); // arbeite, arbeiten: one stem
  });

  it("finds Persian and Arabic words, without vowel marks and across letter variants", async () => {
    expect(await find("هرات")).toEqual(["P4"]);
    expect(await find("مدرسة")).toEqual(["P4"]); // written with vowel marks and tanween in the text
    expect(await find("آموزش")).toEqual(["P4"]); // alef with madda
    expect(await find("كتاب")).toEqual(["P4"]); // Arabic kaf finds the Persian keheh
  });

  it("finds Arabic words with and without the article and its prefixed forms, and leaves Persian words whole", async () => {
    const memo = async (title: string, text: string) => {
      const m = await db.memo.create({ data: { type: "reflection", title, contentJson: "{}", contentHtml: `<p>${text}</p>`, contentText: text, authorId: fixture.users.researcher }, select: { id: true } });
      await db.$transaction((tx) => indexMemo(tx, m.id));
      return m.id;
    };
    const arabic = await memo("Arabisch", "ذهبت والمدرسة بعيدة، وصلت بالسيارة للمكتبة في الوقت");
    const persian = await memo("Persisch", "الان بعد از ورود به آلمان وقت دارم");
    const named = async (q: string) => (await find(q)).map((k) => (k === `?${arabic}` ? "AR" : k === `?${persian}` ? "FA" : k));
    try {
      // P4 has مَدْرَسَةٌ (no article), the memo والمدرسة ("and the school").
      expect(await named("مدرسة")).toEqual(["AR", "P4"]);
      expect(await named("المدرسة")).toEqual(["AR", "P4"]);
      expect(await named("بالمدرسة")).toEqual(["AR", "P4"]);
      expect(await named("سيارة")).toEqual(["AR"]); // بالسيارة, "with the car"
      expect(await named("مكتبة")).toEqual(["AR"]); // للمكتبة, "for the library"
      expect(await named("وقت")).toEqual(["AR", "FA"]); // الوقت (Arabic) and وقت (Persian): one word
      expect(await named("المدر*")).toEqual(["AR", "P4"]);
      expect(await named('"بالسيارة للمكتبة"')).toEqual(["AR"]);
      // Persian words stay whole: الان ("now") is not آن ("that"), ورود ("entry") is not رود ("river").
      expect(await named("الان")).toEqual(["FA"]);
      expect(await named("آن")).toEqual([]);
      expect(await named("ورود")).toEqual(["FA"]);
      expect(await named("رود")).toEqual([]);
    } finally {
      await db.$transaction(async (tx) => {
        await tx.memo.deleteMany({ where: { id: { in: [arabic, persian] } } });
        await removeMemo(tx, arabic);
        await removeMemo(tx, persian);
      });
    }
  });

  it("answers broken syntax with a hint, never an error", async () => {
    for (const [q, hint] of [
      ['"Ausbildung', "unclosedQuote"],
      ["(Ausbildung OR Prüfung", "unbalancedParens"],
      ["Ausbildung)", "unbalancedParens"],
      ["AND", "danglingOperator"],
      ["Ausbildung OR", "danglingOperator"],
      ["NOT Ausbildung", "onlyNegative"],
      ["A*", "tooShortPrefix"],
      ["*ab", "tooShortPart"],
      ["   ", "empty"],
      ["!!! ???", "empty"],
    ] as const) {
      const r = await search({ q, visibility: VIS.researcher }, db, engine);
      expect(r, q).toEqual({ ok: false, hint });
    }
    // What would break FTS5's own parser is plain text here.
    expect(await find("Ausbildung^ {weiter} : NEAR")).toEqual([]);
    expect(await find("Ausbildung^ {weiter} :")).toEqual(["P2"]);
    expect(await find("Ausbildung:weiter")).toEqual(["P2"]);
  });

  describe("role and consent", () => {
    it("researcher: transcripts and memos of interviews with the analysis scope, codes, released narratives; never notes", async () => {
      expect(await find("Ausbildung")).toEqual(["P2", "P3"]); // not P5 (no analysis consent), not N1/N2
      expect(await find("Pruefung Integrationskurs")).toEqual([]); // P5
      expect(await find("Wohnungssuche")).toEqual([]); // N1 (notes), M2 (memo of the interview without consent)
      expect(await find("Methode")).toEqual(["M3"]); // a memo on no interview
      expect(await find("Anerkennung")).toEqual(["M1", "P1", "R1", "code"]); // not the draft R2
    });
    it("researcher: a case memo only while its case has no interview or one with the analysis scope, at once after a consent change", async () => {
      const empty = await db.case.create({ data: { recordKey: newRecordKey(), pseudonym: "SRCH-0009", municipalityId: fixture.municipalities.m1, group: "refugee", imStart: new Date("2020-01-01") }, select: { id: true } });
      const memo = (caseId: string) =>
        db.memo.create({ data: { type: "case", title: "Fallnotiz", contentJson: "{}", contentHtml: "<p>Zwiebelturm</p>", contentText: "Zwiebelturm im Fallverlauf", authorId: fixture.users.researcher, caseId }, select: { id: true } });
      // c1: interview A with analysis; c3: only interview C, without it; the new case: no interview yet.
      const [analysed, denied, none] = [(await memo(fixture.cases.c1)).id, (await memo(fixture.cases.c3)).id, (await memo(empty.id)).id];
      const named = async () => (await find("Zwiebelturm")).map((k) => ({ [`?${analysed}`]: "c1", [`?${denied}`]: "c3", [`?${none}`]: "none" })[k] ?? k).sort();
      try {
        await db.$transaction(async (tx) => {
          for (const id of [analysed, denied, none]) await indexMemo(tx, id);
        });
        if (process.env.MEILI_URL) await drainOutbox(db);
        expect(await named()).toEqual(["c1", "none"]);
        // Meilisearch's filter (its answers are never faked here): c3 is listed as denied, the others are not.
        const meiliFilter = await visibilityFilter(db, VIS.researcher);
        expect([meiliFilter.includes(`"${fixture.cases.c3}"`), meiliFilter.includes(fixture.cases.c1), meiliFilter.includes(empty.id)]).toEqual([true, false, false]);
        expect(await find("Zwiebelturm", VIS.admin)).toHaveLength(2); // the admin's research part is no wider
        const faceted = await search({ q: "Zwiebelturm", visibility: VIS.researcher, facets: true }, db, engine);
        expect(faceted.ok && faceted.facets!.kind).toEqual({ memo: 2 });
        // C's consent grants analysis: the case memo is found without re-indexing; taken back, it is hidden again.
        await db.consentRecord.updateMany({ where: { interviewId: fixture.interviews.C, current: true }, data: { scopeAnalysis: true } });
        expect(await named()).toEqual(["c1", "c3", "none"]);
        await db.consentRecord.updateMany({ where: { interviewId: fixture.interviews.C, current: true }, data: { scopeAnalysis: false } });
        expect(await named()).toEqual(["c1", "none"]);
      } finally {
        await db.consentRecord.updateMany({ where: { interviewId: fixture.interviews.C, current: true }, data: { scopeAnalysis: false } });
        await db.$transaction(async (tx) => {
          await tx.memo.deleteMany({ where: { id: { in: [analysed, denied, none] } } });
          for (const id of [analysed, denied, none]) await removeMemo(tx, id);
        });
        await db.case.delete({ where: { id: empty.id } });
        if (process.env.MEILI_URL) await drainOutbox(db);
      }
    });
    it("integration manager: only the notes of their municipalities' cases", async () => {
      expect(await find("Ausbildung", VIS.imM1(fixture))).toEqual(["N1"]);
      expect(await find("Ausbildung", VIS.imM2(fixture))).toEqual(["N2"]);
      expect(await find("Wohnungssuche", VIS.imM2(fixture))).toEqual([]);
      expect(await find("Anerkennung", VIS.imM1(fixture))).toEqual([]);
    });
    it("commissioner: released anonymized narratives only", async () => {
      expect(await find("Anerkennung", VIS.commissioner)).toEqual(["R1"]);
      expect(await find("Ausbildung", VIS.commissioner)).toEqual([]);
      expect(await find("Entwurf", VIS.commissioner)).toEqual([]);
      const r = await search({ q: "Anerkennung", visibility: VIS.commissioner, showCase: false }, db, engine);
      expect(r.ok && r.hits.every((h) => h.casePseudonym === null && h.codes.length === 0)).toBe(true);
      // The title shown is the anonymized one from the frozen text, never the working title ("Rashas langer Weg").
      expect(r.ok && r.hits.map((h) => h.title)).toEqual(["Ein langer Weg"]);
      expect(await find("Rashas", VIS.commissioner)).toEqual([]);
    });
    it("admin: research (still only with the analysis scope) and every note", async () => {
      expect(await find("Ausbildung", VIS.admin)).toEqual(["N1", "N2", "P2", "P3"]);
    });
  });

  describe("filters and facets", () => {
    it("filters by speaker, municipality, case group, language, code, dimension, date and author", async () => {
      expect(await find("Ausbildung", VIS.researcher, { speakers: ["interviewer"] })).toEqual(["P2"]);
      expect(await find("Ausbildung", VIS.researcher, { speakers: ["interviewee"] })).toEqual(["P3"]);
      expect(await find("Ausbildung", VIS.admin, { municipalityIds: [fixture.municipalities.m2] })).toEqual(["N2"]);
      expect(await find("arbeite OR arbeiten", VIS.researcher, { caseGroups: ["eu_migrant"] })).toEqual(["P6"]);
      expect(await find("arbeite OR arbeiten OR هرات", VIS.researcher, { languages: ["fa"] })).toEqual(["P4", "P6"]);
      expect(await find("Anerkennung", VIS.researcher, { codeIds: [fixture.codes.anerkennung] })).toEqual(["P1", "code"]);
      expect(await find("Anerkennung", VIS.researcher, { codeIds: [fixture.codes.anerkennung, fixture.codes.arbeit] })).toEqual([]);
      expect(await find("arbeite OR arbeiten", VIS.researcher, { dimensions: ["KUL"] })).toEqual(["P6"]);
      expect(await find("Ausbildung OR arbeite", VIS.researcher, { from: new Date("2025-06-01"), to: new Date("2025-06-30") })).toEqual(["P6"]);
      expect(await find("Anerkennung OR Methode", VIS.researcher, { authorIds: [fixture.users.researcher], kinds: ["memo"] })).toEqual(["M1", "M3"]);
    });

    it("counts facets over everything found, not only the page", async () => {
      const r = await search({ q: "Ausbildung OR arbeite OR arbeiten", visibility: VIS.researcher, pageSize: 1, facets: true }, db, engine);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.total).toBe(4); // P1 (arbeiten), P2, P3, P6
      expect(r.hits).toHaveLength(1);
      expect(r.facets!.kind).toEqual({ paragraph: 4 });
      expect(r.facets!.speaker).toEqual({ interviewer: 1, interviewee: 3 });
      expect(r.facets!.municipality).toEqual({ [fixture.municipalities.m1]: 3, [fixture.municipalities.m2]: 1 });
      expect(r.facets!.code).toEqual({ [fixture.codes.anerkennung]: 1, [fixture.codes.arbeit]: 1 });
      expect(r.facets!.language).toEqual({ de: 4, fa: 1 });
    });

    it("counts the facets of a list of matches as it counts its own (how Meilisearch counts an OR, without counting twice)", async () => {
      const r = await search({ q: "Ausbildung OR arbeite OR arbeiten OR Anerkennung", visibility: VIS.researcher, pageSize: 50, facets: true }, db, engine);
      if (!r.ok) throw new Error(r.hint);
      expect(r.hits.length).toBe(r.total);
      expect(r.facets!.kind).toEqual({ paragraph: 4, memo: 1, narrative: 1, code: 1 });
      const named = await countFacetsOfEntries(db, r.hits.map((h) => ({ kind: h.kind, sourceId: h.sourceId })));
      expect(named).toEqual({ counts: r.facets, complete: true });
    });

    it("pages through the results", async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const r = await search({ q: "Ausbildung OR Anerkennung", visibility: VIS.researcher, pageSize: 2, page }, db, engine);
        if (!r.ok) throw new Error(r.hint);
        expect(r.total).toBe(6); // P1 P2 P3 M1 R1 code
        seen.push(...r.hits.map((h) => keyOf(h.sourceId)));
      }
      expect(seen.sort()).toEqual(["M1", "P1", "P2", "P3", "R1", "code"]);
    });
  });

  it("marks the hits in a snippet cut from the original text, with case, codes and the passage's time", async () => {
    const r = await search({ q: "Pruefung Ausbild*", visibility: VIS.researcher }, db, engine);
    if (!r.ok) throw new Error(r.hint);
    const p3 = r.hits.find((h) => keyOf(h.sourceId) === "P3")!;
    expect(p3.snippet.segments.filter((s) => s.hit).map((s) => s.text)).toEqual(["Ausbildungen", "Prüfungen"]);
    expect(p3.snippet.segments.map((s) => s.text).join("")).toBe("Ich habe zwei Ausbildungen angefangen, die Prüfungen waren SCHWER.");
    expect(p3.casePseudonym).toBe("SRCH-0001");
    expect(p3.speaker).toBe("B");
    // The link names the first word found (its turn, code points in the turn's text): the transcript selects it.
    expect(p3.href).toBe(`/interviews/${fixture.interviews.A}/transcript?at=15500&turn=2&from=14&to=26`);
    const p1 = (await search({ q: "Diplom", visibility: VIS.researcher }, db, engine)) as Extract<Awaited<ReturnType<typeof search>>, { ok: true }>;
    expect(p1.hits[0]!.codes.map((c) => c.id)).toEqual([fixture.codes.anerkennung]);
  });
});
