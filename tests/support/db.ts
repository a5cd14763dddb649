// A real database per test file: a fresh SQLite file (default) or a fresh PostgreSQL database
// (TEST_DATABASE=postgres, server started by tests/support/global-setup.ts). Migrations are applied with
// the same SQL files that prisma migrate deploy uses.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..", "..");

function migrationFiles(flavour: "sqlite" | "postgres"): string[] {
  const dir = path.join(root, "prisma", flavour, "migrations");
  return fs
    .readdirSync(dir)
    .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
    .sort()
    .map((d) => fs.readFileSync(path.join(dir, d, "migration.sql"), "utf8"));
}

/** Creates an empty, migrated database and returns its DATABASE_URL. */
export async function createTestDatabase(): Promise<string> {
  if (process.env.TEST_DATABASE === "postgres") {
    const admin = process.env.TEST_PG_ADMIN_URL;
    if (!admin) throw new Error("TEST_PG_ADMIN_URL is not set: run the tests through vitest's global set-up");
    const name = `lw_test_${crypto.randomBytes(6).toString("hex")}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    for (const sql of migrationFiles("postgres")) await db.query(sql);
    await db.end();
    return url.toString();
  }
  // Inside the run's folder (tests/support/global-setup.ts), which is removed when the run ends.
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-test-"));
  const file = path.join(dir, "test.db");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  for (const sql of migrationFiles("sqlite")) db.exec(sql);
  db.close();
  return `file:${file}`;
}
