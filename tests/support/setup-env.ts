// Runs before every test file: a fresh database and a complete test configuration, set before any app
// module reads its environment.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "./db.ts";

process.env.NODE_ENV = "test";
process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
process.env.DATABASE_URL = await createTestDatabase();
// Recordings of this test file go to a private folder (a test may still point STORAGE elsewhere).
process.env.STORAGE ??= "local";
process.env.STORAGE_DIR = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-storage-"));
// Its withdrawals are journaled there too (app/withdrawal/journal.server.ts), never into the repository's data/.
process.env.WITHDRAWAL_JOURNAL = path.join(process.env.STORAGE_DIR, "withdrawals.jsonl");
