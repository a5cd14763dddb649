// Every worker start (transcription/worker-main.ts) asks this first: a worker against a database without this
// checkout's schema printed Prisma's stack traces ("relation SearchWordListState does not exist"), then "worker
// started", then the same errors again. One line instead, saying what to run. Also runnable on its own.
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { providerOf } from "../app/db/provider.ts";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");

/** The migrations of this checkout, by folder name. */
export function knownMigrations(flavour: "sqlite" | "postgres"): string[] {
  const dir = path.join(root, "prisma", flavour, "migrations");
  return fs
    .readdirSync(dir)
    .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
    .sort();
}

/** Finished migrations recorded in the database; null when it has no migration table (never migrated). */
export async function appliedMigrations(databaseUrl: string): Promise<string[] | null> {
  const query = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  if (providerOf(databaseUrl) === "postgres") {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const exists = await client.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`);
      if (!exists.rows[0]?.present) return null;
      return (await client.query<{ migration_name: string }>(query)).rows.map((r) => r.migration_name);
    } finally {
      await client.end();
    }
  }
  const file = path.resolve(databaseUrl.slice("file:".length).split("?")[0]!);
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!table) return null;
    return (db.prepare(query).all() as { migration_name: string }[]).map((r) => r.migration_name);
  } finally {
    db.close();
  }
}

/** null when the database has exactly what this checkout expects, else the one line to print. */
export async function migrationProblem(databaseUrl: string): Promise<string | null> {
  const flavour = providerOf(databaseUrl);
  const known = knownMigrations(flavour);
  let applied: string[] | null;
  try {
    applied = await appliedMigrations(databaseUrl);
  } catch (e) {
    return `the database of DATABASE_URL cannot be read (${e instanceof Error ? e.message : String(e)}). Is DATABASE_URL right and the database reachable?`;
  }
  const unknown = (applied ?? []).filter((m) => !known.includes(m));
  if (unknown.length) {
    return `the database has ${unknown.length} migration(s) this checkout does not know (newest: ${unknown.sort().at(-1)}): this worker is older than the database. Update it to the version the app runs, then start it again.`;
  }
  const missing = known.filter((m) => !(applied ?? []).includes(m));
  if (missing.length) {
    const what = applied === null || applied.length === 0 ? "has no schema yet" : `lacks ${missing.length} of this checkout's ${known.length} migrations`;
    return `the database ${what}. Run \`npm start\` (or \`npm run db:deploy\`) with this DATABASE_URL first, then start the worker again.`;
  }
  return null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url)) {
  if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env")); // the environment wins
  process.chdir(root);
  const problem = await migrationProblem(process.env.DATABASE_URL || "file:./data/lebenswege.db");
  if (problem) {
    console.error(`The transcription worker cannot start: ${problem}`);
    process.exit(1);
  }
}
