// `npm run worker` against a database without this checkout's schema printed Prisma's stack traces, then "worker
// started", then the same errors every second. It now says in one line what to run first, and names a database that
// is newer than the worker; so does transcription/worker-main.ts started directly (a process manager, the app's
// supervisor). On the test run's database flavour: a fresh SQLite file or a fresh PostgreSQL database.
import crypto from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const postgres = process.env.TEST_DATABASE === "postgres";

/** An empty database that nothing has migrated yet. */
async function emptyDatabase(): Promise<string> {
  if (postgres) {
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    const name = `lw_empty_${crypto.randomBytes(6).toString("hex")}`;
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(process.env.TEST_PG_ADMIN_URL!);
    url.pathname = `/${name}`;
    return url.toString();
  }
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-empty-"));
  return `file:${path.join(dir, "lebenswege.db")}`;
}

async function addMigrationRow(databaseUrl: string, name: string) {
  const sql = `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ('${crypto.randomUUID()}', 'x', CURRENT_TIMESTAMP, '${name}', CURRENT_TIMESTAMP, 1)`;
  if (postgres) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  } else {
    const db = new Database(databaseUrl.slice("file:".length));
    db.exec(sql);
    db.close();
  }
}

function run(command: string, args: string[], databaseUrl: string) {
  const { WHISPER_MODEL: _model, ...env } = process.env;
  const result = spawnSync(command, args, { cwd: root, env: { ...env, DATABASE_URL: databaseUrl, STORAGE: "local", TRANSCRIPTION_POLL_MS: "50" }, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe("npm run worker and the database schema", () => {
  it("refuses a database without the schema in one line that says to run npm start, and one newer than the worker", async () => {
    const url = await emptyDatabase();
    const empty = run("bash", ["scripts/worker.sh"], url);
    expect(empty.code).toBe(1);
    expect(empty.output).toContain("The transcription worker cannot start: the database has no schema yet. Run `npm start` (or `npm run db:deploy`) with this DATABASE_URL first");
    expect(empty.output).not.toContain("[transcription");
    expect(empty.output).not.toMatch(/\n\s+at |does not exist|Invalid `/);
    // Started directly, as a process manager (or the app's supervisor) does: the same one line.
    const direct = run(process.execPath, ["--import", "tsx", "transcription/worker-main.ts"], url);
    expect(direct.code).toBe(1);
    expect(direct.output.trim()).toBe("The transcription worker cannot start: the database has no schema yet. Run `npm start` (or `npm run db:deploy`) with this DATABASE_URL first, then start the worker again.");

    // Migrated as npm start does: the check lets the worker start.
    const migrate = run("bash", ["-c", "source scripts/lib.sh && migrate_database"], url);
    expect(migrate.code, migrate.output).toBe(0);
    const check = ["--import", "tsx", "transcription/check-migrated.ts"];
    expect(run(process.execPath, check, url)).toMatchObject({ code: 0, output: "" });

    // A database an app of a later version migrated.
    await addMigrationRow(url, "29991231000000_from_the_future");
    const newer = run(process.execPath, check, url);
    expect(newer.code).toBe(1);
    expect(newer.output).toContain("the database has 1 migration(s) this checkout does not know (newest: 29991231000000_from_the_future): this worker is older than the database");
    const directNewer = run(process.execPath, ["--import", "tsx", "transcription/worker-main.ts"], url);
    expect(directNewer.code).toBe(1);
    expect(directNewer.output).toContain("The transcription worker cannot start: the database has 1 migration(s) this checkout does not know");
    expect(directNewer.output).not.toContain("[transcription");
  }, 180_000);
});
