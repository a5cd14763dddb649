// Browser tests: real Chromium against the real server and a real database (SQLite or, with
// TEST_DATABASE=postgres, PostgreSQL). One file at a time: two Chromiums on two cores only slow each other.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts", "tests/refi/**/*.e2e.ts"],
    setupFiles: ["tests/support/setup-env.ts"],
    globalSetup: ["tests/support/global-setup.ts", "tests/support/build.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globals: true,
  },
});
