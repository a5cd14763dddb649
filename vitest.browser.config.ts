// Browser tests: real Chromium against the real server and a real database (SQLite or, with
// TEST_DATABASE=postgres, PostgreSQL). One file at a time per run: two Chromiums of one run only slow each other (a
// third file at once beside the other run left no core idle and each file took 1.5-1.9 times as long: no faster).
import { defineConfig } from "vitest/config";

// Each browser file runs against one of the two databases, not both (ADR 0025). What a browser test adds to the unit
// and HTTP pass is what the browser does: pages, focus, keys, layout, the editor, live progress. The server side of
// every flow, the same Prisma queries and raw SQL, runs on both databases there (npm test runs that pass twice). Run
// twice, the browser files were half of CI's time and took it past 30 minutes on a slow machine. The files are split
// so that both runs, side by side in npm test (scripts/test.sh), take about as long; search runs on both because its
// engine differs by database (FTS5, PostgreSQL text search), down to what a snippet marks.
// A file not named here runs on both: assign a new file to the run with less to do.
const RUN_OF: Record<string, "sqlite" | "postgres" | "both"> = {
  "tests/e2e/search.test.ts": "both",
  "tests/e2e/notes.test.ts": "sqlite",
  "tests/e2e/coding.test.ts": "sqlite",
  "tests/e2e/transcript-editor.test.ts": "sqlite",
  "tests/e2e/transcript-keyboard.test.ts": "sqlite",
  "tests/e2e/transcript-large-edits.test.ts": "sqlite",
  "tests/e2e/first-login.test.ts": "sqlite",
  "tests/e2e/narratives.test.ts": "sqlite",
  "tests/e2e/story-number.test.ts": "sqlite",
  "tests/e2e/autocode.test.ts": "sqlite",
  "tests/refi/exchange.e2e.ts": "sqlite",
  "tests/e2e/codebook.test.ts": "sqlite",
  "tests/e2e/identity-erasure-ground.test.ts": "sqlite",
  "tests/e2e/foundation.test.ts": "postgres",
  "tests/e2e/interview-consent-recording.test.ts": "postgres",
  "tests/e2e/transcription-progress.test.ts": "postgres",
  "tests/e2e/transcript-conflict.test.ts": "postgres",
  "tests/e2e/english-ui.test.ts": "postgres",
  "tests/e2e/retrieval-statistics.test.ts": "postgres",
  "tests/e2e/case-recontact.test.ts": "postgres",
};
const thisRun = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
const otherRunOnly = Object.keys(RUN_OF).filter((file) => RUN_OF[file] !== "both" && RUN_OF[file] !== thisRun);

export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts", "tests/refi/**/*.e2e.ts"],
    exclude: ["node_modules/**", ...otherRunOnly],
    setupFiles: ["tests/support/setup-env.ts"],
    globalSetup: ["tests/support/global-setup.ts", "tests/support/build.ts"],
    pool: "forks",
    fileParallelism: false,
    // A limit for a hung test, not a speed target: the longest flows (a code chosen, its passages read and played, with
    // an accessibility check) take 20-40 s on a quiet machine and passed 60 s on a slow CI machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: a form sent and its page rendered took longer on a slow machine (a
    // passing test failed in CI). 15 s, as a locator waits (tests/e2e/support/browser.ts); passing polls end at once.
    expect: { poll: { timeout: 15_000 } },
    globals: true,
  },
});
