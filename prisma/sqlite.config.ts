// Prisma CLI config for the embedded default (SQLite). Used by scripts/db-deploy.js and npm run db:*.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { MigrateSQLite } from "./migrate-adapters";

const url = process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/lebenswege.db";

export default defineConfig({
  experimental: { adapter: true, externalTables: true },
  engine: "js",
  schema: path.join("sqlite", "schema.prisma"),
  migrations: { path: path.join("sqlite", "migrations") },
  adapter: async () => new MigrateSQLite({ url }),
  // The FTS5 index, its filter table (search/, migration 20261129020000_search_fts5) and its word list (20261129140000_search_vocabulary) are no Prisma models: migrate must leave them alone.
  tables: { external: ["SearchEntryFts", "SearchEntryFts_data", "SearchEntryFts_idx", "SearchEntryFts_docsize", "SearchEntryFts_config", "SearchEntryFilters", "SearchEntryVocab"] },
});
