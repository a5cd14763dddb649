// npm run search:reindex died with a raw stack for an unreachable Meilisearch, and with a SEARCH_ENGINE that does not
// fit the database it printed the app's "Lebenswege cannot start" with a stack. Now: one line, exit 1.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

function reindex(env: Record<string, string>) {
  const { MEILI_URL: _url, MEILI_API_KEY: _key, SEARCH_ENGINE: _engine, ...rest } = process.env;
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/search-reindex.ts"], { cwd: root, env: { ...rest, ...env }, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stderr: result.stderr, output: result.stdout + result.stderr };
}

describe("npm run search:reindex with a wrong search configuration", () => {
  it("an unreachable MEILI_URL: one line naming it and what to check, exit 1", () => {
    const run = reindex({ MEILI_URL: "http://127.0.0.1:9" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("The search index cannot be rebuilt: Meilisearch at http://127.0.0.1:9 does not answer");
    expect(run.stderr).toContain("Check MEILI_URL and MEILI_API_KEY");
    expect(run.output).not.toMatch(/\n\s+at /);
  });

  it("a SEARCH_ENGINE that does not fit the database: one line, not the app's start-up refusal", () => {
    const other = process.env.DATABASE_URL!.startsWith("postgres") ? "fts5" : "postgres";
    const run = reindex({ SEARCH_ENGINE: other });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(new RegExp(`^The search index cannot be rebuilt: SEARCH_ENGINE=${other} does not fit DATABASE_URL \\((SQLite|PostgreSQL)\\)\\.$`));
    expect(run.output).not.toContain("Lebenswege cannot start");
    expect(run.output).not.toMatch(/\n\s+at /);
  });
});
