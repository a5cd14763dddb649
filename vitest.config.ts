import os from "node:os";
import { defineConfig } from "vitest/config";
import { reachesDatabase, testFilesUnder } from "./tests/support/reaches-database.ts";

const include = ["app/**/*.test.ts", "tests/**/*.test.ts", "prisma/**/*.test.ts"];
const exclude = ["tests/e2e/**", "node_modules/**"];
// The PostgreSQL pass runs only the files that can reach the database; the rest would repeat the SQLite pass's
// result (tests/support/reaches-database.ts, ADR 0025).
const sameOnEitherDatabase =
  process.env.TEST_DATABASE === "postgres" ? testFilesUnder(["app", "tests", "prisma"]).filter((f) => !f.startsWith("tests/e2e/") && !reachesDatabase(f)) : [];

export default defineConfig({
  test: {
    include,
    exclude: [...exclude, ...sameOnEitherDatabase],
    setupFiles: ["tests/support/setup-env.ts"],
    globalSetup: ["tests/support/global-setup.ts", "tests/support/build.ts"],
    pool: "forks",
    // Vitest's default is one worker less than the cores: one on the two-core build machines. Most test time is
    // spent waiting for child processes (app servers, whisper, PostgreSQL), so two files at a time cut the unit
    // pass from about 350 to 225 s there. Three were no faster (505 and 684 s against 516 and 554 on a slow machine):
    // the cores are busy then. Every test file has its own database and storage folder.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // A limit for a hung test, not a speed target: sweeps over every route (identity-leak, page titles) take 10-20 s
    // on a quiet machine and passed 30 s on a busy one (two files at a time on two cores, a slower CI machine).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globals: true,
  },
});
