// A real database per test file: a fresh SQLite file (default) or a fresh PostgreSQL database
// (TEST_DATABASE=postgres, server started by tests/support/global-setup.ts). Migrations are applied with
// the same SQL files that prisma migrate deploy uses, and recorded in its table as it does: a transcription worker
// checks them before it starts (transcription/check-migrated.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import Database from "better-sqlite3";

const root = path.resolve(import.meta.dirname, "..", "..");

function migrationFiles(flavour: "sqlite" | "postgres"): { name: string; sql: string }[] {
  const dir = path.join(root, "prisma", flavour, "migrations");
  return fs
    .readdirSync(dir)
    .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

// Prisma's own table (as `prisma migrate deploy` creates it), with one finished row per migration.
const MIGRATIONS_TABLE = {
  sqlite: `CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgres: `CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};
const recordMigration = `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count") VALUES ($1, $2, CURRENT_TIMESTAMP, $3, 1)`;
const checksum = (sql: string) => crypto.createHash("sha256").update(sql).digest("hex");

/** Creates an empty, migrated database and returns its DATABASE_URL. */
export async function createTestDatabase(): Promise<string> {
  if (process.env.TEST_DATABASE === "postgres") {
    // Loaded only here: every test file of the SQLite pass imports this module, and pg took some 80 ms of each.
    const { default: pg } = await import("pg");
    const admin = process.env.TEST_PG_ADMIN_URL;
    if (!admin) throw new Error("TEST_PG_ADMIN_URL is not set: run the tests through vitest's global set-up");
    const name = `lw_test_${crypto.randomBytes(6).toString("hex")}`;
    const template = process.env.TEST_PG_MIGRATED_TEMPLATE;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    // A copy of the run's migrated template (tests/support/global-setup.ts) takes a tenth of the time of migrating.
    await client.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    if (template) return url.toString();
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    await db.query(MIGRATIONS_TABLE.postgres);
    for (const migration of migrationFiles("postgres")) {
      await db.query(migration.sql);
      await db.query(recordMigration, [crypto.randomUUID(), checksum(migration.sql), migration.name]);
    }
    await db.end();
    return url.toString();
  }
  // Inside the run's folder (tests/support/global-setup.ts), which is removed when the run ends.
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-test-"));
  const file = path.join(dir, "test.db");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(MIGRATIONS_TABLE.sqlite);
  const record = db.prepare(recordMigration.replace(/\$\d/g, "?"));
  for (const { name, sql } of migrationFiles("sqlite")) {
    db.exec(sql);
    record.run(crypto.randomUUID(), checksum(sql), name);
  }
  db.close();
  return `file:${file}`;
}
