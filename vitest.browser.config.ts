// Browser tests: real Chromium against the real server and a real database (SQLite or, with
// TEST_DATABASE=postgres, PostgreSQL). One file at a time per run: two Chromiums of one run only slow each other.
import { defineConfig } from "vitest/config";

// What these files test happens in the browser: focus and keyboard paths, the editor's handling of large edits, the
// conflict panel's merge, the first-login redirect, the live progress of a whisper run and the English layout. The server side of each
// runs on both databases in the unit and HTTP pass (app/transcripts/transcripts.test.ts: saves, 409 on an older
// version, long turns; tests/http/one-time-password.test.ts; app/transcription/*.test.ts: queue, progress, cancel).
// So each file runs in one of the two browser runs only, split so that both take about as long (npm test runs them
// side by side); tests of the same kind inside other files skip the PostgreSQL run (tests/support/passes.ts).
const ONE_RUN_ONLY: Record<"sqlite" | "postgres", string[]> = {
  sqlite: ["tests/e2e/transcript-keyboard.test.ts", "tests/e2e/transcript-large-edits.test.ts", "tests/e2e/first-login.test.ts"],
  postgres: ["tests/e2e/transcript-conflict.test.ts", "tests/e2e/transcription-progress.test.ts", "tests/e2e/english-ui.test.ts"],
};
const otherRun = process.env.TEST_DATABASE === "postgres" ? "sqlite" : "postgres";

export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts", "tests/refi/**/*.e2e.ts"],
    exclude: ["node_modules/**", ...ONE_RUN_ONLY[otherRun]],
    setupFiles: ["tests/support/setup-env.ts"],
    globalSetup: ["tests/support/global-setup.ts", "tests/support/build.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: a form sent and its page rendered took longer on a slow machine (a
    // passing test failed in CI). 15 s, as a locator waits (tests/e2e/support/browser.ts); passing polls end at once.
    expect: { poll: { timeout: 15_000 } },
    globals: true,
  },
});
