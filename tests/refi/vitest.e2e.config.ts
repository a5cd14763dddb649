// Runs the exchange page's browser test (tests/refi/*.e2e.ts) like the other browser tests, until
// vitest.browser.config.ts includes it: npx vitest run --config tests/refi/vitest.e2e.config.ts
import { defineConfig } from "vitest/config";
import browser from "../../vitest.browser.config.ts";

export default defineConfig({ ...browser, test: { ...browser.test, include: ["tests/refi/**/*.e2e.ts"] } });
