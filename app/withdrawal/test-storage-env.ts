// For withdrawal tests: a private local storage folder per test file. Imported first, before any module reads
// the configuration (env() is read once), so STORAGE_DIR points here. Not imported by the app.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const STORAGE_DIR = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-storage-"));
process.env.STORAGE = "local";
process.env.STORAGE_DIR = STORAGE_DIR;
