// npm run search:reindex: rebuilds every search index from the source tables (SearchEntry with its FTS5 or
// PostgreSQL index, then Meilisearch when MEILI_URL is set), with a progress bar. Safe while the app runs.
// Reads the same configuration as the app (.env or the environment).
import fs from "node:fs";
import path from "node:path";
import url from "node:url";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
process.chdir(root);

const { db } = await import("../app/db/client.server.ts");
const { searchConfig, SearchConfigError } = await import("../search/config.ts");
const { rebuildEntries, rebuildMeili } = await import("../search/reindex.server.ts");

const started = Date.now();
const tty = process.stdout.isTTY;
let lastLine = 0;
function bar(done: number, total: number, label: string) {
  const now = Date.now();
  if (!tty && now - lastLine < 2000 && done < total) return;
  lastLine = now;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round((100 * done) / Math.max(1, total))).padStart(3)} % ${done}/${total} ${label}`;
  if (tty) process.stdout.write(`\r${line.padEnd(80)}`);
  else console.log(line);
}

/** One line and exit 1 instead of a stack (or the app's "Lebenswege cannot start" for a reindex). */
async function fail(what: string): Promise<never> {
  console.error(`The search index cannot be rebuilt: ${what}`);
  await db.$disconnect().catch(() => undefined);
  process.exit(1);
}

let engine: ReturnType<typeof searchConfig>["engine"];
try {
  engine = searchConfig().engine;
} catch (e) {
  if (!(e instanceof SearchConfigError)) throw e;
  engine = await fail(e.message.replace(/^Lebenswege cannot start(: |, )/, ""));
}
console.log(`Rebuilding the search index (${engine === "meilisearch" ? "SearchEntry, then Meilisearch" : engine === "fts5" ? "SQLite FTS5" : "PostgreSQL text search"}) ...`);
const entries = await rebuildEntries(db, bar).catch((e: unknown) => {
  if (typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2021") {
    return fail("the database lacks this version's tables. Run `npm start` (or `npm run db:deploy`) with this DATABASE_URL first.");
  }
  throw e;
});
if (tty) process.stdout.write("\n");
console.log(`${entries.entries} index entries.`);
if (engine === "meilisearch") {
  const meili = await rebuildMeili(db, bar).catch((e: unknown) => {
    if (tty) process.stdout.write("\n");
    const cause = e instanceof Error ? ((e.cause instanceof Error ? e.cause.message : "") || e.message) : String(e);
    return fail(`Meilisearch at ${searchConfig().MEILI_URL} does not answer or refused the request (${cause}). Check MEILI_URL and MEILI_API_KEY; the database's own index was rebuilt.`);
  });
  if (tty) process.stdout.write("\n");
  console.log(`${meili.documents} documents sent to Meilisearch (${searchConfig().MEILI_URL}).`);
}
console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
await db.$disconnect();
