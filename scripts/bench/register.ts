// npm run bench:register [-- --cases 10000 --repeat 7 --database postgres]: the case register's district-wide pages at
// the size of a whole district. A fresh database with the demo district and `--cases` generated cases (the demo's
// generator: snapshots with their gaps and history, contacts, plans), the app built and started as `npm start`
// would, then each page requested `--repeat` times over HTTP by the role that uses it (server time plus the HTML,
// as a browser waits for it): the gap dashboard (admin, an integration manager, the commissioner), the work list,
// the case list with and without a gap filter, the commissioner's statistics and the dashboard's CSV.
// Prints median/p95 per page and the HTML size; the last line is one JSON object. No target in an issue: a page of
// the register should answer well under a second (the figures say where it does not).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildApp, startServer } from "./server.ts";
import { usePostgres } from "./postgres.ts";

const { values: args } = parseArgs({
  options: { cases: { type: "string", default: "10000" }, repeat: { type: "string", default: "7" }, database: { type: "string", default: "sqlite" } },
});
const CASES = Number(args.cases);
const REPEAT = Number(args.repeat);
const say = (line: string) => console.log(`▶ ${line}`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))] ?? NaN;
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-bench-register-"));
process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
process.env.TEST_TMP_DIR = work;
const postgres = args.database === "postgres" ? await usePostgres() : null;
if (!postgres) process.env.DATABASE_URL = await (await import("../../tests/support/db.ts")).createTestDatabase();
const { db } = await import("../../app/db/client.server.ts");
const { seedReference } = await import("../../prisma/seed/reference.ts");
const { seedDemo, DEMO_USERS } = await import("../../prisma/seed/demo.ts");
const { HttpClient } = await import("../../tests/support/app-server.ts");

let t = Date.now();
await seedReference(db);
await seedDemo(db, { cases: CASES });
// A running PostgreSQL gathers statistics by itself after such a load (autovacuum); the bench does not wait for it.
if (args.database === "postgres") await db.$executeRawUnsafe("ANALYZE");
const counts = { cases: await db.case.count(), activeCases: await db.case.count({ where: { status: "active" } }), snapshots: await db.snapshot.count() };
say(`${counts.cases} cases (${counts.activeCases} active), ${counts.snapshots} snapshots, made in ${Math.round((Date.now() - t) / 1000)} s`);

buildApp();
const app = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, STORAGE: "local", STORAGE_DIR: path.join(work, "storage"), TRANSCRIPTION_WORKER: "off" });
for (let i = 0; i < 300 && !(await fetch(`${app.origin}/healthz`).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 100));

async function login(username: string) {
  const client = new HttpClient(app.origin);
  await client.login(username, DEMO_USERS.find((u) => u.username === username)!.password);
  return client;
}
const clients = { admin: await login("admin"), im: await login("im.loerrach"), commissioner: await login("beauftragte") };
const imScope = await db.case.count({ where: { status: "active", municipality: { managers: { some: { user: { username: "im.loerrach" } } } } } });
say(`im.loerrach's municipalities hold ${imScope} active cases`);

const pages: [string, keyof typeof clients, string][] = [
  ["dashboard (admin)", "admin", "/dashboard"],
  ["dashboard (integration manager)", "im", "/dashboard"],
  ["dashboard (commissioner, suppressed)", "commissioner", "/dashboard"],
  ["dashboard CSV (admin)", "admin", "/dashboard.csv"],
  ["work list (admin)", "admin", "/worklist"],
  ["work list (integration manager)", "im", "/worklist"],
  ["case list (admin)", "admin", "/cases"],
  ["case list, gap filter (admin)", "admin", "/cases?indicator=S.DTNIV&gap=open"],
  ["statistics (commissioner)", "commissioner", "/statistics"],
];
const results: Record<string, { medianMs: number; p95Ms: number; kb: number }> = {};
for (const [label, who, url] of pages) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < REPEAT + 1; i++) {
    t = performance.now();
    const res = await clients[who].get(url);
    const body = await res.arrayBuffer();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${url} as ${who}: HTTP ${res.status}\n${app.output().slice(-2000)}`);
    bytes = body.byteLength;
    if (i > 0) times.push(ms); // the first request warms the server's caches
  }
  results[label] = { medianMs: Math.round(quantile(times, 0.5)), p95Ms: Math.round(quantile(times, 0.95)), kb: Math.round(bytes / 1024) };
  say(`${label.padEnd(40)} median ${String(results[label].medianMs).padStart(5)} ms   p95 ${String(results[label].p95Ms).padStart(5)} ms   ${results[label].kb} KB`);
}
app.server.kill();
await db.$disconnect();
await postgres?.stop();
fs.rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ bench: "register", database: args.database, ...counts, imActiveCases: imScope, load1: os.loadavg()[0], pages: results }));
