import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "tests/**/*.test.ts", "prisma/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    setupFiles: ["tests/support/setup-env.ts"],
    globalSetup: ["tests/support/global-setup.ts", "tests/support/build.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globals: true,
  },
});
