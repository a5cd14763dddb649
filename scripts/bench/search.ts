// npm run bench:search [-- --interviews N --words N --database postgres]: full-text search on SQLite FTS5 (or,
// with --database postgres, on PostgreSQL text search) at the size of a large project. From a fixed seed: 1,000
// interviews of about 10,000 words of German-like text (about 80 words per
// segment), codes on passages, case attributes, 10 % of interviews without the analysis consent. Measures
//   - index build rate (segments/s) through our indexing path (search/hooks.server.ts indexTranscript per
//     interview, one transaction each, as the app does), next to a bare FTS5 table inserted with the same rows
//     (the reference), and next to a bare FTS5 table fed the same paragraphs read from the same database
//     and normalized the same way (the work any German index of these rows must do; ADR 0009, "Performance");
//   - p50/p95 of a fixed query mix (frequent word, rare word, two-word AND, phrase, prefix; each alone, with two
//     filters, and with a researcher's role/consent filter) through search() (parse, engine, snippets), next to
//     the same queries on the bare table (the faster of two SQL forms per query) and a plain LIKE scan.
// Wall time and, beside it, this process's CPU time (the build machines' cores are shared: wall time swings with
// the others' load, which is printed too). Prints its figures and ends with one JSON line.
// Targets: p95 < 30 ms over the mix; build >= 80 % of bare (see docs/decisions/0009-search.md, "Performance").
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { newRecordKey } from "../../app/statistics/record-key.server.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const INTERVIEWS = arg("interviews", 1000);
const WORDS = arg("words", 10_000);
const WORDS_PER_SEGMENT = 80;
const REPEAT = arg("repeat", 15);

// `--database postgres`: the same data and queries on PostgreSQL's text search (a throwaway Debian cluster on
// 127.0.0.1), the scale-out engine without Meilisearch. The bare FTS5 limits stay SQLite files beside it.
const ON_POSTGRES = process.argv.includes("--database") && process.argv[process.argv.indexOf("--database") + 1] === "postgres";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-bench-search-"));
process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
process.env.NODE_ENV ??= "production";
delete process.env.MEILI_URL;
process.env.SEARCH_ENGINE = ON_POSTGRES ? "postgres" : "fts5";

const { default: Database } = await import("better-sqlite3");
const root = path.resolve(import.meta.dirname, "..", "..");
const { usePostgres } = await import("./postgres.ts");
const postgres = ON_POSTGRES ? await usePostgres() : null;
if (!postgres) {
  process.env.DATABASE_URL = `file:${path.join(tmp, "bench.db")}`;
  const raw = new Database(process.env.DATABASE_URL.slice(5));
  raw.pragma("journal_mode = WAL");
  const dir = path.join(root, "prisma", "sqlite", "migrations");
  for (const d of fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort()) raw.exec(fs.readFileSync(path.join(dir, d, "migration.sql"), "utf8"));
  raw.close();
}
const { db } = await import("../../app/db/client.server.ts");
const { indexTranscript } = await import("../../search/hooks.server.ts");
const { search } = await import("../../search/search.server.ts");
const { clearWordCache, indexText } = await import("../../search/text/normalize.ts");
const KEEP = process.argv.includes("--keep");

// ---- German-like text from a fixed seed ------------------------------------------------------------------
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261129);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

const FUNCTION_WORDS = "und die der ich das nicht war es in zu mit dann auch wir sie er ein eine so aber wie auf für dass den hat haben mein meine sehr schon noch mal bei von im am als nach wenn oder was man hier da ja".split(" ");
const ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "sch", "st", "br", "gr", "kl", "pf", "tr", "fl", "spr", "schw"];
const VOWELS = ["a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie", "eu"];
const CODAS = ["", "n", "r", "l", "t", "ch", "st", "nd", "ng", "ck", "tz", "ß", "rt", "lt"];
const ENDINGS = ["", "", "", "en", "e", "er", "ung", "ungen", "lich", "heit", "keit", "es", "ern", "isch"];
const syllable = () => pick(ONSETS) + pick(VOWELS) + pick(CODAS);
const vocabulary = Array.from({ length: 30_000 }, () => {
  const n = 1 + Math.floor(rand() * 3);
  let w = "";
  for (let i = 0; i < n; i++) w += syllable();
  w += pick(ENDINGS);
  return rand() < 0.3 ? w[0]!.toUpperCase() + w.slice(1) : w;
});
// Zipf over the vocabulary: cumulative weights for binary search.
const cumulative: number[] = [];
{
  let acc = 0;
  for (let i = 0; i < vocabulary.length; i++) cumulative.push((acc += 1 / Math.pow(i + 1, 1.07)));
}
function zipfWord(): string {
  const x = rand() * cumulative.at(-1)!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return vocabulary[lo]!;
}
// Topic words with a known share of segments, in several inflections, so the mix has fixed targets.
const TOPICS: [number, string[]][] = [
  [0.2, ["Arbeit", "Arbeiten", "arbeiten", "Arbeitgeber"]],
  [0.08, ["Ausbildung", "Ausbildungen", "ausbilden", "Ausbildungsplatz"]],
  [0.05, ["Anerkennung", "anerkannt", "Anerkennungen"]],
  [0.03, ["Prüfung", "Prüfungen", "Pruefung"]],
  [0.0005, ["Kenntnisprüfung"]],
];
function segmentText(): string {
  const words: string[] = [];
  for (let i = 0; i < WORDS_PER_SEGMENT; i++) words.push(rand() < 0.45 ? pick(FUNCTION_WORDS) : zipfWord());
  for (const [share, forms] of TOPICS) if (rand() < share) words.splice(Math.floor(rand() * words.length), 0, pick(forms));
  if (rand() < 0.02) words.splice(Math.floor(rand() * words.length), 0, "die", "erste", "Arbeit");
  let text = words.join(" ");
  text = text[0]!.toUpperCase() + text.slice(1) + ".";
  return text.replace(/ (\S+) (\S+) (\S+) /g, (m, a: string, b: string, c: string) => (rand() < 0.08 ? ` ${a}, ${b} ${c} ` : m));
}

// ---- data ---------------------------------------------------------------------------------------------------
const t0 = Date.now();
const municipalities = await Promise.all(
  Array.from({ length: 12 }, (_, i) => db.municipality.create({ data: { ags: `0833${String(6000 + i).padStart(4, "0")}`, name: `Gemeinde ${i + 1}`, type: "Gemeinde" }, select: { id: true } })),
);
const codes: { id: string }[] = [];
for (const dim of ["STR", "KUL", "SOZ", "IDE"]) {
  const rootCode = await db.code.create({ data: { key: dim, name: dim, colour: "#336699" }, select: { id: true } });
  for (let i = 1; i <= 6; i++) codes.push(await db.code.create({ data: { key: `${dim}.B${i}`, parentId: rootCode.id, name: `${dim} ${i}`, colour: "#336699" }, select: { id: true } }));
}
const segmentsPerInterview = Math.round(WORDS / WORDS_PER_SEGMENT);
const interviewIds: string[] = [];
let segments = 0;
let rawRows: { text: string }[] = [];
const allTexts: string[][] = [];
const bare = new Database(path.join(tmp, "bare.db"));
bare.pragma("journal_mode = WAL");
bare.pragma("synchronous = NORMAL");
bare.exec(`CREATE TABLE raw(id INTEGER PRIMARY KEY, text TEXT NOT NULL); CREATE VIRTUAL TABLE bare USING fts5(text, tokenize = "unicode61 remove_diacritics 2");`);
const rawInsert = bare.prepare("INSERT INTO raw(text) VALUES (?)");
for (let n = 0; n < INTERVIEWS; n++) {
  const c = await db.case.create({ data: { recordKey: newRecordKey(), pseudonym: `BEN-${String(n).padStart(5, "0")}`, municipalityId: municipalities[n % 12]!.id, group: pick(["refugee", "eu_migrant", "other_migrant"]), imStart: new Date("2020-01-01") }, select: { id: true } });
  const interview = await db.interview.create({
    data: {
      code: `BEN-INT-${n}`,
      caseId: c.id,
      date: new Date(Date.UTC(2024, n % 12, 1 + (n % 28))),
      placeType: "office",
      languages: JSON.stringify(n % 7 === 0 ? ["de", "ar"] : ["de"]),
      status: "transcribed",
      consents: { create: { version: 1, givenBy: "person", givenAt: new Date("2024-01-01"), form: "written", language: "de", infoSheetVersion: "1", scopeTranscription: true, scopeAnalysis: n % 10 !== 0 } },
      transcript: { create: { source: "import", language: "de" } },
    },
    select: { id: true, transcript: { select: { id: true } } },
  });
  const texts = Array.from({ length: segmentsPerInterview }, segmentText);
  await db.transcriptParagraph.createMany({
    data: texts.map((text, position) => ({ transcriptId: interview.transcript!.id, position, speaker: position % 2 ? "B" : "I", startMs: position * 30_000, endMs: position * 30_000 + 29_000, text })),
  });
  const codings = Array.from({ length: 10 }, () => {
    const start = Math.floor(rand() * texts.length * 500);
    return { transcriptId: interview.transcript!.id, interviewId: interview.id, codeId: pick(codes).id, start, end: start + 300, quote: "…" };
  });
  await db.coding.createMany({ data: codings });
  interviewIds.push(interview.id);
  allTexts.push(texts);
  segments += texts.length;
  rawRows = rawRows.concat(texts.map((text) => ({ text })));
  if (rawRows.length >= 20_000) {
    bare.transaction(() => rawRows.forEach((r) => rawInsert.run(r.text)))();
    rawRows = [];
  }
  if (n % 100 === 99) process.stdout.write(`\rdata: ${n + 1}/${INTERVIEWS} interviews`);
}
bare.transaction(() => rawRows.forEach((r) => rawInsert.run(r.text)))();
rawRows = [];
console.log(`\rdata: ${INTERVIEWS} interviews, ${segments} segments, ${(segments * WORDS_PER_SEGMENT / 1e6).toFixed(1)} M words (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

// ---- index build ----------------------------------------------------------------------------------------------
if (!ON_POSTGRES) await (db as unknown as { $executeRawUnsafe(sql: string): Promise<number> }).$executeRawUnsafe("PRAGMA synchronous = NORMAL");
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const loadAtBuild = os.loadavg()[0]!;
clearWordCache();
let started = process.hrtime.bigint();
let cpuStarted = cpuMs();
for (let i = 0; i < interviewIds.length; i++) {
  await db.$transaction((tx) => indexTranscript(tx, interviewIds[i]!), { timeout: 120_000 });
  if (i % 50 === 49) process.stdout.write(`\rindex: ${i + 1}/${interviewIds.length}`);
}
const ourSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const ourCpuSeconds = (cpuMs() - cpuStarted) / 1000;
const ourRate = segments / ourSeconds;
console.log(`\rindex (ours, per interview in one transaction each, normalize + SearchEntry + ${ON_POSTGRES ? "vector trigger + GIN index" : "FTS5 trigger"}): ${ourRate.toFixed(0)} segments/s (${ourSeconds.toFixed(1)} s)`);

// Bare FTS5: the same rows from memory through a prepared statement (better-sqlite3), the same transactions
// (one interview each), no normalization, no table, no Prisma.
const bareInsert = bare.prepare("INSERT INTO bare(rowid, text) VALUES (?, ?)");
started = process.hrtime.bigint();
cpuStarted = cpuMs();
let bareRowid = 0;
for (const texts of allTexts) bare.transaction(() => texts.forEach((text) => bareInsert.run(++bareRowid, text)))();
const bareSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const bareCpuSeconds = (cpuMs() - cpuStarted) / 1000;
const bareRate = segments / bareSeconds;
console.log(`index (bare FTS5 table, same rows, same transactions): ${bareRate.toFixed(0)} segments/s (${bareSeconds.toFixed(1)} s); ours = ${((100 * ourRate) / bareRate).toFixed(0)} %`);
// CPU time of this process: less disturbed than wall time by other processes on a shared machine.
console.log(`index by CPU time: ours ${(segments / ourCpuSeconds).toFixed(0)} segments/s, bare ${(segments / bareCpuSeconds).toFixed(0)} segments/s; ours = ${((100 * bareCpuSeconds) / ourCpuSeconds).toFixed(0)} %`);

// Bare FTS5 on normalized text: per interview, the paragraphs read from the same database file (better-sqlite3,
// no Prisma), normalized by the same function from a cold word cache, inserted into an FTS5 table with our
// tokenizer, one transaction each. No SearchEntry row, no filter row, no codes, no Prisma.
// (SQLite only: it reads the app's database file.)
let normalizedRate = Number.NaN;
if (!ON_POSTGRES) {
  const normalizedDb = new Database(process.env.DATABASE_URL!.slice(5));
  normalizedDb.pragma("synchronous = NORMAL");
  normalizedDb.exec(`CREATE VIRTUAL TABLE bare_normalized USING fts5(text, tokenize = 'ascii')`);
  const readParagraphs = normalizedDb.prepare(`SELECT p."text" FROM "TranscriptParagraph" p JOIN "Transcript" t ON t."id" = p."transcriptId" WHERE t."interviewId" = ? ORDER BY p."position"`).pluck();
  const normalizedInsert = normalizedDb.prepare("INSERT INTO bare_normalized(text) VALUES (?)");
  clearWordCache();
  started = process.hrtime.bigint();
  cpuStarted = cpuMs();
  for (const id of interviewIds) normalizedDb.transaction(() => (readParagraphs.all(id) as string[]).forEach((text) => normalizedInsert.run(indexText(text))))();
  const normalizedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const normalizedCpuSeconds = (cpuMs() - cpuStarted) / 1000;
  normalizedRate = segments / normalizedSeconds;
  normalizedDb.exec("DROP TABLE bare_normalized");
  normalizedDb.close();
  console.log(`index (bare FTS5 fed the same paragraphs from the same database, normalized the same way): ${normalizedRate.toFixed(0)} segments/s (${normalizedSeconds.toFixed(1)} s); ours = ${((100 * ourRate) / normalizedRate).toFixed(0)} % (by CPU time ${((100 * normalizedCpuSeconds) / ourCpuSeconds).toFixed(0)} %)`);
}

// The floor under our path: one Prisma interactive transaction per interview with two trivial statements (our
// indexing needs at least a read and a write, and the index must be written in the transaction of the text).
// Even if everything else cost what the bare table costs, this alone caps the ratio at bare / (bare + floor).
let txFloorMs = Number.NaN;
if (!ON_POSTGRES) {
  const rounds = 500;
  const floorStarted = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    await db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe("SELECT 1");
      await tx.$queryRawUnsafe("SELECT 1");
    });
  }
  txFloorMs = Number(process.hrtime.bigint() - floorStarted) / 1e6 / rounds;
  const bareMsPerInterview = (1000 * bareSeconds) / interviewIds.length;
  console.log(`Prisma transaction floor (2 trivial statements): ${txFloorMs.toFixed(2)} ms per interview; bare FTS5 ${bareMsPerInterview.toFixed(2)} ms per interview; so at most ${((100 * bareMsPerInterview) / (bareMsPerInterview + txFloorMs)).toFixed(0)} % of bare for any index written inside the app's transactions`);
}

// ---- queries --------------------------------------------------------------------------------------------------
// PostgreSQL plans by its statistics, which autovacuum gathers some time after a bulk load: gather them now, as a
// settled database has them (without them, filters were planned against the text index: 30x slower).
if (ON_POSTGRES) await (db as unknown as { $executeRawUnsafe(sql: string): Promise<number> }).$executeRawUnsafe("ANALYZE");
const admin = { research: true, codebook: true, narratives: true, counselling: "all" as const };
const researcher = { research: true, codebook: true, narratives: true, counselling: null };
const twoFilters = { speakers: ["interviewee" as const], municipalityIds: [municipalities[0]!.id, municipalities[1]!.id, municipalities[2]!.id] };
const BASE: [string, string, string][] = [
  // [name, our query, bare FTS5 MATCH]
  ["frequent word", "Arbeit", "arbeit"],
  ["rare word", "Kenntnisprüfung", "kenntnisprüfung"],
  ["two-word AND", "Ausbildung Anerkennung", "ausbildung AND anerkennung"],
  ["phrase", '"erste Arbeit"', '"erste arbeit"'],
  ["prefix", "Ausbild*", "ausbild*"],
];
const MIX = BASE.flatMap(([name, q]) => [
  { name: `${name}`, q, visibility: admin, filters: {} },
  { name: `${name} + 2 filters`, q, visibility: admin, filters: twoFilters },
  { name: `${name} + 2 filters + role`, q, visibility: researcher, filters: twoFilters },
]);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
/** CPU time of this process per query (the work itself; wall time also holds waiting for the shared cores). */
const cpuTimes: number[] = [];
async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const s = process.hrtime.bigint();
  const c = cpuMs();
  await fn();
  cpuTimes.push(cpuMs() - c);
  return Number(process.hrtime.bigint() - s) / 1e6;
}

const perQuery: Record<string, { p50: number; p95: number; total: number }> = {};
const all: number[] = [];
const loadAtQueries = os.loadavg()[0]!;
for (const m of MIX) {
  const first = await search({ q: m.q, visibility: m.visibility, filters: m.filters, pageSize: 20 });
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) times.push(await time(() => search({ q: m.q, visibility: m.visibility, filters: m.filters, pageSize: 20 })));
  all.push(...times);
  perQuery[m.name] = { p50: pct(times, 50), p95: pct(times, 95), total: first.ok ? first.total : -1 };
}
const mixCpu = cpuTimes.splice(0);
const facetTimes: number[] = [];
for (const m of MIX) for (let i = 0; i < 3; i++) facetTimes.push(await time(() => search({ q: m.q, visibility: m.visibility, filters: m.filters, pageSize: 20, facets: true })));
// Word parts (*prüfung) are looked up in the whole vocabulary first: reported apart, not part of the mix.
const partQueries = ["*prüfung", "*kenntnis*"];
const timeParts = async () => {
  const times: number[] = [];
  const totals: Record<string, number | string> = {};
  for (const q of partQueries) {
    const first = await search({ q, visibility: researcher, pageSize: 20 });
    totals[q] = first.ok ? first.total : first.hint;
    for (let i = 0; i < 5; i++) times.push(await time(() => search({ q, visibility: researcher, pageSize: 20 })));
  }
  cpuTimes.length = 0;
  return { times, totals };
};
if (ON_POSTGRES) {
  // PostgreSQL's word list (search/word-list.server.ts): every vector read per lookup until the first snapshot,
  // as a worker takes it after the build (every entry is noted as changed until then).
  const scan = await timeParts();
  console.log(`word parts on PostgreSQL before the word list's first snapshot (every vector read): p50 ${pct(scan.times, 50).toFixed(1)} ms, p95 ${pct(scan.times, 95).toFixed(1)} ms`);
  const { refreshWordList } = await import("../../search/word-list.server.ts");
  const refresh = await refreshWordList(db, { wait: true });
  await db.$executeRawUnsafe(`DELETE FROM "SearchWordListPending"`); // as after the margin: only later changes are read from their vectors
  console.log(`word list snapshot: ${refresh.words} words in ${refresh.ms} ms`);
}
const { times: partTimes, totals: partTotals } = await timeParts();
console.log(`word parts (${partQueries.join(", ")}: ${Object.values(partTotals).join(", ")} results; not in the mix): p50 ${pct(partTimes, 50).toFixed(1)} ms, p95 ${pct(partTimes, 95).toFixed(1)} ms`);

// The bare table in two SQL forms, the faster one per query counts: FTS5's ORDER BY rank (ranks inside, then
// snippets for the 20), and a bm25 top-20 heap first with snippets for those (the form our layer ranks with).
const bareForms = {
  rank: bare.prepare("SELECT rowid, snippet(bare, 0, '[', ']', '…', 12) AS s FROM bare WHERE bare MATCH @match ORDER BY rank LIMIT 20"),
  bm25: bare.prepare(
    "WITH top AS MATERIALIZED (SELECT rowid AS r, bm25(bare) AS score FROM bare WHERE bare MATCH @match ORDER BY score LIMIT 20) SELECT b.rowid, snippet(bare, 0, '[', ']', '…', 12) AS s FROM top JOIN bare b ON b.rowid = top.r WHERE bare MATCH @match ORDER BY top.score",
  ),
};
cpuTimes.length = 0;
const bareTimes: number[] = [];
const bareByQuery: Record<string, { p50: number; p95: number; form: string }> = {};
for (const [name, , match] of BASE) {
  let best: { times: number[]; form: string } | null = null;
  for (const [form, statement] of Object.entries(bareForms)) {
    const times: number[] = [];
    statement.all({ match });
    for (let i = 0; i < REPEAT; i++) times.push(await time(() => statement.all({ match })));
    if (!best || pct(times, 50) < pct(best.times, 50)) best = { times, form };
  }
  bareTimes.push(...best!.times);
  bareByQuery[name] = { p50: pct(best!.times, 50), p95: pct(best!.times, 95), form: best!.form };
}
const likeQuery = bare.prepare("SELECT count(*) AS n FROM raw WHERE text LIKE ?");
const likeTimes: number[] = [];
for (const [, , match] of BASE) {
  const needle = `%${match.replace(/"|\*| AND .*/g, "")}%`;
  for (let i = 0; i < 3; i++) likeTimes.push(await time(() => likeQuery.get(needle)));
}

console.log("\nquery (p50 / p95 ms, results)");
for (const [name, r] of Object.entries(perQuery)) console.log(`  ${name.padEnd(34)} ${r.p50.toFixed(1).padStart(6)} / ${r.p95.toFixed(1).padStart(6)}   ${r.total}`);
console.log("bare FTS5 (bm25 top 20 + snippet, no filters; the faster of two SQL forms)");
for (const [name, r] of Object.entries(bareByQuery)) console.log(`  ${name.padEnd(34)} ${r.p50.toFixed(1).padStart(6)} / ${r.p95.toFixed(1).padStart(6)}   (${r.form})`);
const summary = {
  bench: "search",
  engine: ON_POSTGRES ? "postgres" : "fts5",
  interviews: INTERVIEWS,
  segments,
  words: segments * WORDS_PER_SEGMENT,
  build: {
    oursSegmentsPerSec: Math.round(ourRate),
    bareFts5SegmentsPerSec: Math.round(bareRate),
    ratio: Number((ourRate / bareRate).toFixed(3)),
    cpuRatio: Number((bareCpuSeconds / ourCpuSeconds).toFixed(3)),
    bareNormalizedFromDbSegmentsPerSec: ON_POSTGRES ? null : Math.round(normalizedRate),
    ratioToNormalizedFromDb: ON_POSTGRES ? null : Number((ourRate / normalizedRate).toFixed(3)),
    prismaTransactionFloorMs: ON_POSTGRES ? null : Number(txFloorMs.toFixed(2)),
  },
  machine: { cores: os.cpus().length, loadAtBuild: Number(loadAtBuild.toFixed(2)), loadAtQueries: Number(loadAtQueries.toFixed(2)) },
  query: { mixP50Ms: Number(pct(all, 50).toFixed(2)), mixP95Ms: Number(pct(all, 95).toFixed(2)), mixCpuP50Ms: Number(pct(mixCpu, 50).toFixed(2)), mixCpuP95Ms: Number(pct(mixCpu, 95).toFixed(2)), withFacetsP50Ms: Number(pct(facetTimes, 50).toFixed(2)), withFacetsP95Ms: Number(pct(facetTimes, 95).toFixed(2)) },
  wordParts: { p50Ms: Number(pct(partTimes, 50).toFixed(1)), p95Ms: Number(pct(partTimes, 95).toFixed(1)) },
  bareFts5: { p50Ms: Number(pct(bareTimes, 50).toFixed(2)), p95Ms: Number(pct(bareTimes, 95).toFixed(2)) },
  likeScan: { p50Ms: Number(pct(likeTimes, 50).toFixed(1)), p95Ms: Number(pct(likeTimes, 95).toFixed(1)) },
  targets: { p95Under30ms: pct(all, 95) < 30, buildAtLeast80PercentOfBare: ourRate >= 0.8 * bareRate },
};
console.log(`mix by CPU time: p50 ${summary.query.mixCpuP50Ms} ms, p95 ${summary.query.mixCpuP95Ms} ms; load average (1 min) ${summary.machine.loadAtBuild} at the build, ${summary.machine.loadAtQueries} at the queries, ${summary.machine.cores} cores`);
console.log(`mix: p50 ${summary.query.mixP50Ms} ms, p95 ${summary.query.mixP95Ms} ms (target < 30); with facets p95 ${summary.query.withFacetsP95Ms} ms; bare FTS5 p95 ${summary.bareFts5.p95Ms} ms; LIKE scan p95 ${summary.likeScan.p95Ms} ms`);
await db.$disconnect();
bare.close();
if (KEEP && ON_POSTGRES) console.log(`kept: PostgreSQL at ${process.env.DATABASE_URL} (stop it with pg_ctl when done)`);
else await postgres?.stop();
if (KEEP) console.log(`kept: ${tmp}`);
else fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify(summary));
