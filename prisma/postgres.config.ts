// Prisma CLI config for scale-out (PostgreSQL). DATABASE_URL=postgresql://... selects it.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { MigratePg } from "./migrate-adapters";

const url = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://localhost:5432/lebenswege";

export default defineConfig({
  experimental: { adapter: true, externalTables: true },
  engine: "js",
  schema: path.join("postgres", "schema.prisma"),
  migrations: { path: path.join("postgres", "migrations") },
  adapter: async () => new MigratePg(url),
  // The stored search vectors (search/, migration 20261129110000_search_vector_table) and the word list of word parts
  // (20261130050000_search_word_list) are no Prisma models: migrate must leave them alone.
  tables: { external: ["public.SearchEntryVector", "public.SearchWordList", "public.SearchWordListState", "public.SearchWordListPending"] },
});
