// The run's temporary folder (SQLite test databases), removed at the end. With TEST_DATABASE=postgres: starts
// a throwaway PostgreSQL cluster on 127.0.0.1 for the whole run.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres, type RunningPostgres } from "./postgres.ts";
import { createTestDatabase } from "./db.ts";

let server: RunningPostgres | undefined;
let tmpDir: string | undefined;

export async function setup() {
  // One identity key for the whole run, so that a seeded template (tests/support/seed-template.ts) opens in every file.
  process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
  if (!process.env.TEST_TMP_DIR) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-run-"));
    process.env.TEST_TMP_DIR = tmpDir;
  }
  if (process.env.TEST_DATABASE !== "postgres") return;
  if (process.env.TEST_PG_ADMIN_URL) return; // an outer runner started one
  server = await startPostgres();
  process.env.TEST_PG_ADMIN_URL = server.url;
  // Every test file's database is a copy of this one, migrated once (tests/support/db.ts).
  process.env.TEST_PG_MIGRATED_TEMPLATE = new URL(await createTestDatabase()).pathname.slice(1);
}

export async function teardown() {
  try {
    await server?.stop();
  } finally {
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
