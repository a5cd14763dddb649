// The tokenizer's parity test (parity.test.ts), run by run.sh, not by the app's test suite: the app does not use it.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { globals: true, include: ["scripts/experiments/fts5-german-tokenizer/parity.test.ts"], testTimeout: 120_000 },
});
