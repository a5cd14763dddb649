// Index build rates on the paragraphs of a bench database (run.sh makes one): a bare FTS5 table (unicode61), the
// C tokenizer lw_german (lw_german.c), the app's JavaScript normalization into an ascii table, and the leanest
// whole design (paragraphs read inside SQLite, C tokenizer, contentless FTS5, one filter row each). One transaction
// per interview, as the app indexes; the median of three runs each, by this process's CPU time (the build machines'
// two cores are shared). Then checks that the C tokens equal the app's. Last line: JSON.
import Database from "better-sqlite3";
import fs from "node:fs";
import { indexText } from "../../../search/text/normalize.ts";
import { loadTokenizer } from "./load.ts";
const [dbPath, out] = process.argv.slice(2) as [string, string];
const src = new Database(dbPath, { readonly: true });
const ids = src.prepare(`SELECT t.id FROM Transcript t JOIN Interview i ON i.id = t.interviewId ORDER BY i.code`).pluck().all() as string[];
const texts = ids.map((id) => src.prepare(`SELECT text FROM TranscriptParagraph WHERE transcriptId = ? ORDER BY position`).pluck().all(id) as string[]);
const segs = texts.reduce((n, t) => n + t.length, 0);
const rate = (label: string, run: (db: Database.Database) => void, setup: string) => {
  const results: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    for (const f of [out, out + "-wal", out + "-shm"]) fs.rmSync(f, { force: true });
    const db = new Database(out);
    db.pragma("journal_mode = WAL"); db.pragma("synchronous = NORMAL");
    loadTokenizer(db);
    db.exec(setup);
    const t = process.cpuUsage();
    run(db);
    const cpu = process.cpuUsage(t);
    results.push(segs / ((cpu.user + cpu.system) / 1e6));
    db.close();
  }
  results.sort((a, b) => a - b);
  console.log(label.padEnd(70), Math.round(results[1]!), "seg/s");
  return results[1]!;
};
const perInterview = (db: Database.Database, table: string, f: (t: string) => string = (t) => t) => {
  const ins = db.prepare(`INSERT INTO ${table}(text) VALUES (?)`);
  for (const ts of texts) db.transaction(() => ts.forEach((t) => ins.run(f(t))))();
};
const bare = rate("bare unicode61 remove_diacritics 2 (raw rows from memory)", (db) => perInterview(db, "f"), `CREATE VIRTUAL TABLE f USING fts5(text, tokenize = "unicode61 remove_diacritics 2")`);
const german = rate("C tokenizer lw_german = normalize.ts in FTS5 (raw rows from memory)", (db) => perInterview(db, "f"), `CREATE VIRTUAL TABLE f USING fts5(text, tokenize = "lw_german")`);
const js = rate("JS normalize + ascii (rows from memory)", (db) => perInterview(db, "f", indexText), `CREATE VIRTUAL TABLE f USING fts5(text, tokenize = "ascii")`);
// The leanest whole design: paragraphs read inside SQLite, C tokenizer, contentless FTS5 (no text copy), the filter row.
const lean = rate("lean design: INSERT..SELECT from the DB, C tokenizer, contentless + filter row", (db) => {
  db.exec(`ATTACH '${dbPath.replace(/'/g, "''")}' AS src`);
  const fts = db.prepare(`INSERT INTO f(rowid, text) SELECT p.rowid, p.text FROM src.TranscriptParagraph p WHERE p.transcriptId = ?`);
  const flt = db.prepare(`INSERT INTO filters SELECT p.rowid, 'research', 'paragraph', i.id, c.municipalityId, c."group", p.speaker, i.interviewerId, i.date, i.languages, '[]', '[]' FROM src.TranscriptParagraph p JOIN src.Transcript t ON t.id = p.transcriptId JOIN src.Interview i ON i.id = t.interviewId JOIN src."Case" c ON c.id = i.caseId WHERE p.transcriptId = ?`);
  for (const id of ids) db.transaction(() => { fts.run(id); flt.run(id); })();
}, `CREATE VIRTUAL TABLE f USING fts5(text, content = '', contentless_delete = 1, tokenize = "lw_german");
    CREATE TABLE filters (rowid INTEGER PRIMARY KEY, audience TEXT, kind TEXT, interviewId TEXT, municipalityId TEXT, caseGroup TEXT, speaker TEXT, authorId TEXT, docDate DATETIME, language TEXT, codeIds TEXT, dimensions TEXT)`);
// The lean design keyed like the app: a SearchEntry row per paragraph (the app's table and indexes, without the text:
// the row every engine and the role/consent filters read, and a rowid that VACUUM cannot renumber, unlike the
// paragraph table's implicit one), and FTS5 rows keyed by it.
const entryColumns = ["kind", "sourceId", "title", "text", "interviewId", "caseId", "municipalityId", "caseGroup", "language", "speaker", "startMs", "authorId", "docDate", "codeIds", "dimensions", "audience", "updatedAt"];
const keyed = rate("lean design keyed by a SearchEntry row per paragraph (the app's indexes, no text)", (db) => {
  db.exec(`ATTACH '${dbPath.replace(/'/g, "''")}' AS src`);
  const entries = db.prepare(`INSERT INTO "SearchEntry" (${entryColumns.map((c) => `"${c}"`).join(", ")}) SELECT 'paragraph', p.transcriptId || ':' || p.position, '', '', i.id, c.id, c.municipalityId, c."group", i.languages, p.speaker, p.startMs, i.interviewerId, i.date, '[]', '[]', 'research', i.updatedAt
    FROM src.TranscriptParagraph p JOIN src.Transcript t ON t.id = p.transcriptId JOIN src.Interview i ON i.id = t.interviewId JOIN src."Case" c ON c.id = i.caseId WHERE p.transcriptId = ?`);
  const fts = db.prepare(`INSERT INTO f(rowid, text) SELECT e.rowid, p.text FROM src.TranscriptParagraph p CROSS JOIN "SearchEntry" e ON e.kind = 'paragraph' AND e.sourceId = p.transcriptId || ':' || p.position WHERE p.transcriptId = ?`);
  for (const id of ids) db.transaction(() => { entries.run(id); fts.run(id); })();
}, `CREATE VIRTUAL TABLE f USING fts5(text, content = '', contentless_delete = 1, tokenize = "lw_german");
    CREATE TABLE "SearchEntry" ("rowid" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "kind" TEXT NOT NULL, "sourceId" TEXT NOT NULL, "title" TEXT NOT NULL DEFAULT '', "text" TEXT NOT NULL,
      "interviewId" TEXT, "caseId" TEXT, "municipalityId" TEXT, "caseGroup" TEXT, "language" TEXT, "speaker" TEXT, "startMs" INTEGER, "authorId" TEXT, "docDate" DATETIME,
      "codeIds" TEXT NOT NULL DEFAULT '[]', "dimensions" TEXT NOT NULL DEFAULT '[]', "audience" TEXT NOT NULL, "updatedAt" DATETIME NOT NULL);
    CREATE INDEX "SearchEntry_interviewId_idx" ON "SearchEntry"("interviewId"); CREATE INDEX "SearchEntry_caseId_idx" ON "SearchEntry"("caseId");
    CREATE INDEX "SearchEntry_municipalityId_audience_idx" ON "SearchEntry"("municipalityId", "audience"); CREATE INDEX "SearchEntry_audience_kind_idx" ON "SearchEntry"("audience", "kind");
    CREATE UNIQUE INDEX "SearchEntry_kind_sourceId_key" ON "SearchEntry"("kind", "sourceId")`);
console.log(`C tokenizer ${(100 * german / bare).toFixed(0)} % of bare; JS-normalized ${(100 * js / bare).toFixed(0)} %; lean design ${(100 * lean / bare).toFixed(0)} %; keyed by SearchEntry ${(100 * keyed / bare).toFixed(0)} %`);
// Do the C stems agree with the JS ones? Compare the terms of both indexes over the same 2,000 paragraphs.
const db = new Database(":memory:"); loadTokenizer(db);
db.exec(`CREATE VIRTUAL TABLE c USING fts5(text, tokenize = "lw_german"); CREATE VIRTUAL TABLE j USING fts5(text, tokenize = "ascii");
  CREATE VIRTUAL TABLE cv USING fts5vocab(c, 'row'); CREATE VIRTUAL TABLE jv USING fts5vocab(j, 'row');`);
const sample = texts.flat().slice(0, 2000);
db.transaction(() => sample.forEach((t) => { db.prepare("INSERT INTO c(text) VALUES (?)").run(t); db.prepare("INSERT INTO j(text) VALUES (?)").run(indexText(t)); }))();
const cTerms = new Set(db.prepare("SELECT term FROM cv").pluck().all() as string[]);
const jTerms = new Set(db.prepare("SELECT term FROM jv").pluck().all() as string[]);
const onlyC = [...cTerms].filter((t) => !jTerms.has(t)); const onlyJ = [...jTerms].filter((t) => !cTerms.has(t));
console.log(`terms: C ${cTerms.size}, JS ${jTerms.size}, only C ${onlyC.length} (${onlyC.slice(0, 8).join(" ")}), only JS ${onlyJ.length} (${onlyJ.slice(0, 8).join(" ")})`);
console.log(JSON.stringify({ bench: "fts5-tokenizer", segments: segs, bareSegmentsPerSec: Math.round(bare), cTokenizerSegmentsPerSec: Math.round(german), jsNormalizedSegmentsPerSec: Math.round(js), leanDesignSegmentsPerSec: Math.round(lean), cTokenizerRatio: +(german / bare).toFixed(3), leanDesignRatio: +(lean / bare).toFixed(3), keyedBySearchEntrySegmentsPerSec: Math.round(keyed), keyedBySearchEntryRatio: +(keyed / bare).toFixed(3), termsDiffer: onlyC.length + onlyJ.length }));
