// Figures for findCodedSegments over 1,000 interviews (30 turns, 30 codings each; 300 cases with dated
// snapshots). Prints timings; asserts nothing (not a test).
//   SQLite:     npx tsx tests/retrieval/measure-retrieval.ts
//   PostgreSQL: DATABASE_URL=postgresql://... npx tsx tests/retrieval/measure-retrieval.ts (an empty, migrated database)
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { newRecordKey } from "../../app/statistics/record-key.server.ts";

process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
if (!process.env.DATABASE_URL) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lw-measure-")), "m.db");
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  const dir = path.resolve(import.meta.dirname, "..", "..", "prisma", "sqlite", "migrations");
  for (const d of fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort()) sqlite.exec(fs.readFileSync(path.join(dir, d, "migration.sql"), "utf8"));
  sqlite.close();
  process.env.DATABASE_URL = `file:${file}`;
}

const { db } = await import("../../app/db/client.server.ts");
const { seedReference } = await import("../../prisma/seed/reference.ts");
const { findCodedSegments } = await import("../../app/retrieval/segments.server.ts");
const { EMPTY_FILTERS } = await import("../../app/retrieval/filters.ts");
const { seedCodebook } = await import("./fixture.ts");

const INTERVIEWS = 1000;
const TURNS = 30;
const CODINGS = 30;
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

const started = Date.now();
await seedReference(db);
const codes = await seedCodebook(db);
const leafKeys = [...codes.keys()].filter((k) => k.includes("."));
const municipalities = await db.municipality.findMany({ select: { id: true } });
const dtniv = (await db.indicatorDefinition.findUniqueOrThrow({ where: { code: "S.DTNIV" }, select: { id: true } })).id;
const caseIds: string[] = [];
for (let n = 0; n < 300; n++) caseIds.push(`case${n}`);
await db.case.createMany({ data: caseIds.map((id, n) => ({ id, recordKey: newRecordKey(), pseudonym: `LOE-2020-${String(n).padStart(4, "0")}`, municipalityId: pick(municipalities).id, group: pick(["refugee", "eu_migrant", "other_migrant"]), imStart: new Date("2020-01-01") })) });
await db.snapshot.createMany({
  data: caseIds.flatMap((caseId) => [
    { caseId, indicatorId: dtniv, state: "known", value: JSON.stringify(pick(["A1", "A2", "B1"])), observedAt: new Date("2022-01-01"), source: "im_akte" },
    { caseId, indicatorId: dtniv, state: "known", value: JSON.stringify(pick(["B1", "B2"])), observedAt: new Date("2025-01-01"), source: "im_akte" },
  ]),
});
const words = "und dann haben wir in Lörrach eine Wohnung gesucht aber der Kurs war in Schopfheim und die Arbeit".split(" ");
for (let i = 0; i < INTERVIEWS; i++) {
  const id = `int${i}`;
  const date = new Date(Date.UTC(2023 + Math.floor(rand() * 3), Math.floor(rand() * 12), 1));
  await db.interview.create({
    data: {
      id,
      code: `INT-2024-${String(i).padStart(4, "0")}`,
      caseId: caseIds[i % caseIds.length]!,
      date,
      placeType: "office",
      languages: '["de"]',
      consents: { create: { version: 1, givenBy: "person", givenAt: date, form: "written", language: "de", infoSheetVersion: "1", scopeAnalysis: i % 10 !== 0 } },
      recordings: { create: { storageKey: `m-${id}`, displayName: "x.mp3", mediaType: "audio", contentType: "audio/mpeg", sizeBytes: BigInt(1), sha256: "0" } },
    },
  });
  const paragraphs = Array.from({ length: TURNS }, (_, p) => ({ position: p, speaker: p % 2 ? "B" : "I", startMs: p * 20_000, endMs: (p + 1) * 20_000, text: Array.from({ length: 60 }, () => pick(words)).join(" ") }));
  const t = await db.transcript.create({ data: { interviewId: id, source: "import", paragraphs: { create: paragraphs } }, select: { id: true } });
  // plain-text offsets of each paragraph's text (speaker label "I: " or "B: ", timestamp 12 + blank line)
  let offset = 0;
  const starts = paragraphs.map((p) => {
    const s = offset + 3;
    offset += 3 + p.text.length + 1 + 12 + 2;
    return s;
  });
  await db.coding.createMany({
    data: Array.from({ length: CODINGS }, () => {
      const p = Math.floor(rand() * TURNS);
      const start = starts[p]! + Math.floor(rand() * 100);
      return { transcriptId: t.id, interviewId: id, codeId: codes.get(pick(leafKeys))!, start, end: start + 40 + Math.floor(rand() * 80), quote: "x" };
    }),
  });
}
console.log(`seeded ${INTERVIEWS} interviews, ${INTERVIEWS * CODINGS} codings in ${((Date.now() - started) / 1000).toFixed(1)} s (${process.env.DATABASE_URL!.split(":")[0]})`);

const grant = { access: "any" as const, user: { id: "u", username: "m", displayName: "m", locale: "de", roles: ["researcher" as const], municipalityIds: [], sessionId: "s", csrfToken: "t" } };
const cases: [string, Partial<typeof EMPTY_FILTERS>][] = [
  ["one code", { codeIds: [codes.get("KUL.SPR")!] }],
  ["two codes OR", { codeIds: [codes.get("KUL.SPR")!, codes.get("X.DIS")!] }],
  ["two codes AND", { codeIds: [codes.get("KUL.SPR")!, codes.get("X.DIS")!], mode: "and" }],
  ["parent + sub-codes + municipality + German level at interview", { codeIds: [codes.get("KUL")!], municipalityIds: [municipalities[0]!.id], indicators: [{ code: "S.DTNIV", value: "B1" }] }],
  ["all codes, page 20", { page: 20 }],
  ["speaker interviewee", { codeIds: [codes.get("STR")!], speaker: "interviewee" }],
];
const figures: Record<string, { p50: number; p95: number; total: number }> = {};
for (const [name, f] of cases) {
  const times: number[] = [];
  let total = 0;
  for (let run = 0; run < 25; run++) {
    const t0 = performance.now();
    total = (await findCodedSegments(grant, { ...EMPTY_FILTERS, ...f })).total;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  figures[name] = { p50: Math.round(times[12]! * 10) / 10, p95: Math.round(times[23]! * 10) / 10, total };
  console.log(`${name.padEnd(64)} p50 ${figures[name].p50} ms  p95 ${figures[name].p95} ms  (${total} segments)`);
}
console.log(JSON.stringify({ retrieval: figures }));
await db.$disconnect();
