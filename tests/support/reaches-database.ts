// Which test files can reach the database, read off their imports: the PostgreSQL pass of npm test runs only those
// (vitest.config.ts). A file that never reaches it (a parser, a formatter, a pure rule) gives the same result on both
// databases, and running it again cost CI time (30 minutes in all; ADR 0025).
//
// Conservative on purpose: a file counts as reaching the database if anything it imports, directly or through the
// repository's own modules, is the app's database client, the test database or app server helpers, a database driver,
// or starts another process (a worker, a script, a server: they may open the database themselves).
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

const DATABASE_MODULES = [
  "app/db/client.server.ts",
  "tests/support/db.ts",
  "tests/support/app-server.ts",
  "tests/support/postgres.ts",
  "tests/support/seed-template.ts",
].map((f) => path.join(root, f));
const DATABASE_PACKAGES = /^(pg|better-sqlite3|@prisma\/|node:child_process$|child_process$)/;

// import … from "x", import "x", export … from "x", import("x")
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

function resolve(from: string, specifier: string): string | undefined {
  let target: string;
  if (specifier.startsWith("#app/")) target = path.join(root, "app", specifier.slice(5));
  else if (specifier.startsWith("#tests/")) target = path.join(root, "tests", specifier.slice(7));
  else if (specifier.startsWith(".")) target = path.resolve(path.dirname(from), specifier);
  else return undefined;
  for (const candidate of [target, `${target}.ts`, `${target}.tsx`, `${target}.js`, path.join(target, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

export function reachesDatabase(testFile: string, seen = new Map<string, boolean>()): boolean {
  const file = path.resolve(root, testFile);
  const known = seen.get(file);
  if (known !== undefined) return known;
  seen.set(file, false); // an import cycle adds nothing
  if (DATABASE_MODULES.includes(file)) return seen.set(file, true), true;
  const source = fs.readFileSync(file, "utf8");
  for (const [, specifier] of source.matchAll(IMPORT)) {
    if (DATABASE_PACKAGES.test(specifier!)) return seen.set(file, true), true;
    const target = resolve(file, specifier!);
    if (target && /\.(ts|tsx|js|mjs)$/.test(target) && reachesDatabase(target, seen)) return seen.set(file, true), true;
  }
  return false;
}

/** The *.test.ts files under the given folders, relative to the repository (as vitest's include and exclude read them). */
export function testFilesUnder(folders: string[]): string[] {
  return folders.flatMap((folder) =>
    fs
      .readdirSync(path.join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => path.join(folder, f).split(path.sep).join("/")),
  );
}
