// Seeded databases from a template. Seeding the demo district through Prisma costs 3-4 s of CPU (a few hundred
// queries, argon2 for the demo users), and some 40 test servers per database are seeded the same way. So the first
// test file that needs a seed of a given size seeds a template database once per run; later ones get a copy of it
// (SQLite: the file; PostgreSQL: CREATE DATABASE ... TEMPLATE) and of its recordings. A copy is taken only where
// seeding would have started from the same point: a migrated database nothing has written to yet, no connection
// open on it, the run's identity key, recordings on the local disk. Anything else seeds as before.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createDb, type Db } from "../../app/db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { seedDemoInterviews } from "../../prisma/seed/demo-interviews.ts";
import { createTestDatabase } from "./db.ts";

export async function seedDemoDistrict(db: Db, cases: number) {
  await seedReference(db);
  await seedDemo(db, { cases });
  await seedDemoInterviews(db);
}

type Template = {
  databaseUrl: string;
  /** Row counts of every table right after migrating: a database that still has these has seen no writes. */
  emptyCounts: Record<string, number>;
  /** Local storage keys of the seeded recordings, with the template's copy of each. */
  recordings: { key: string; file: string }[];
  identityKey: string;
};

const onPostgres = () => process.env.TEST_DATABASE === "postgres";

/** Replaces the untouched database at `databaseUrl` with a seeded copy; false when it cannot (then seed it). */
export async function copySeededTemplate(databaseUrl: string, cases: number): Promise<boolean> {
  if (process.env.TEST_SEED_TEMPLATES === "off") return false; // to rule the copies out when a test fails
  const runDir = process.env.TEST_TMP_DIR;
  const storageDir = process.env.STORAGE_DIR;
  if (!runDir || !storageDir || (process.env.STORAGE ?? "local") !== "local" || process.env.MEILI_URL) return false;
  const template = await templateFor(runDir, cases);
  if (!template || template.identityKey !== process.env.IDENTITY_KEY) return false;
  const copied = onPostgres() ? await copyPostgres(databaseUrl, template) : await copySqlite(databaseUrl, template);
  if (!copied) return false;
  for (const r of template.recordings) fs.copyFileSync(r.file, path.join(storageDir, r.key));
  return true;
}

/** The run's template for this seed size: made by the first caller, waited for by the others (other test files). */
async function templateFor(runDir: string, cases: number): Promise<Template | null> {
  const base = path.join(runDir, `seed-template-${onPostgres() ? "pg" : "sqlite"}-${cases}`);
  const ready = `${base}.json`;
  let lock: number;
  try {
    lock = fs.openSync(`${base}.lock`, "wx");
  } catch {
    // Another file makes it. It takes a few seconds; if it failed, seed as before.
    for (let waited = 0; waited < 60_000 && !fs.existsSync(ready) && !fs.existsSync(`${base}.failed`); waited += 100) await sleep(100);
    return fs.existsSync(ready) ? (JSON.parse(fs.readFileSync(ready, "utf8")) as Template) : null;
  }
  fs.closeSync(lock);
  try {
    const template = await makeTemplate(base, cases);
    fs.writeFileSync(`${ready}.tmp`, JSON.stringify(template));
    fs.renameSync(`${ready}.tmp`, ready);
    return template;
  } catch (error) {
    fs.writeFileSync(`${base}.failed`, String(error));
    throw error;
  }
}

async function makeTemplate(base: string, cases: number): Promise<Template> {
  const databaseUrl = await createTestDatabase();
  const emptyCounts = await rowCounts(databaseUrl);
  const db = createDb(databaseUrl);
  try {
    await seedDemoDistrict(db, cases);
    const recordings = await db.recording.findMany({ select: { storageKey: true } });
    fs.mkdirSync(`${base}-storage`);
    return {
      databaseUrl,
      emptyCounts,
      recordings: recordings.map(({ storageKey: key }) => {
        const file = path.join(`${base}-storage`, key);
        fs.copyFileSync(path.join(process.env.STORAGE_DIR!, key), file);
        return { key, file };
      }),
      identityKey: process.env.IDENTITY_KEY!,
    };
  } finally {
    await db.$disconnect();
    // Everything in the main file, none of it left in a write-ahead log that a copy of the file would miss.
    if (!onPostgres()) {
      const file = new Database(sqliteFile(databaseUrl));
      file.pragma("wal_checkpoint(TRUNCATE)");
      file.close();
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([table, n]) => b[table] === n);

// One query for all tables (a UNION of counts), not one round trip per table.
const countAll = (tables: string[]) => tables.map((t) => `SELECT '${t}' AS name, count(*) AS n FROM "${t}"`).join(" UNION ALL ");

async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  if (onPostgres()) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      const counts = await client.query<{ name: string; n: string }>(countAll(tables.rows.map((t) => t.name)));
      return Object.fromEntries(counts.rows.map(({ name, n }) => [name, Number(n)]));
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqliteFile(databaseUrl), { fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
    const counts = db.prepare(countAll(tables.map((t) => t.name))).all() as { name: string; n: number }[];
    return Object.fromEntries(counts.map(({ name, n }) => [name, n]));
  } finally {
    db.close();
  }
}

const sqliteFile = (databaseUrl: string) => databaseUrl.slice("file:".length);

async function copySqlite(databaseUrl: string, template: Template): Promise<boolean> {
  const file = sqliteFile(databaseUrl);
  // A connection in WAL mode keeps a -shm file beside the database; one open here would go on reading the old file.
  if (fs.existsSync(`${file}-shm`) || fs.existsSync(`${file}-wal`)) return false;
  if (!sameCounts(await rowCounts(databaseUrl), template.emptyCounts)) return false;
  fs.copyFileSync(sqliteFile(template.databaseUrl), file);
  return true;
}

async function copyPostgres(databaseUrl: string, template: Template): Promise<boolean> {
  if (!sameCounts(await rowCounts(databaseUrl), template.emptyCounts)) return false;
  const name = new URL(databaseUrl).pathname.slice(1);
  const templateName = new URL(template.databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    // Refused while anyone is connected to it (this file's Prisma client, say): then it stays and is seeded.
    await admin.query(`DROP DATABASE "${name}"`);
  } catch {
    await admin.end();
    return false;
  }
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
  } finally {
    await admin.end();
  }
  return true;
}
