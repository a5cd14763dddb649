// One Prisma client per process, chosen by DATABASE_URL: SQLite (embedded default) or PostgreSQL (scale-out).
// Both generated clients come from schemas that describe the same models (tests/schema), so the SQLite
// client's types describe either.
import path from "node:path";
import fs from "node:fs";
import type { PrismaClient as SqliteClient } from "../generated/prisma-sqlite/client.ts";
import { env } from "../env.server.ts";
import { providerOf } from "./provider.ts";

export type Db = SqliteClient;
export type { Prisma } from "../generated/prisma-sqlite/client.ts";

async function loadSqlite() {
  const [{ PrismaBetterSQLite3 }, { PrismaClient }] = await Promise.all([import("@prisma/adapter-better-sqlite3"), import("../generated/prisma-sqlite/client.ts")]);
  /**
   * Each SQLite connection overwrites what it deletes with zeros: without it a withdrawn interview's rows stay
   * readable in the file's freed pages (docs/decisions/0012-erasure-on-disk.md). The setting belongs to the
   * connection, not the file, so it is made wherever Prisma opens one.
   */
  class SecureDeleteSQLite extends PrismaBetterSQLite3 {
    override async connect() {
      const adapter = await super.connect();
      await adapter.executeScript("PRAGMA secure_delete = ON;");
      return adapter;
    }
  }
  return (url: string): Db => {
    const file = url.slice("file:".length);
    if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaClient({ adapter: new SecureDeleteSQLite({ url }) });
  };
}

async function loadPostgres() {
  const [{ PrismaPg }, { PrismaClient }] = await Promise.all([import("@prisma/adapter-pg"), import("../generated/prisma-postgres/client.ts")]);
  return (url: string): Db => new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
}

// Only the generated client and driver of the configured database are loaded: each took 100-200 ms to import, which
// every process paid for both (the app, each worker and engine, each script and test file).
const configuredUrl = env().DATABASE_URL;
const configured = providerOf(configuredUrl);
const createConfigured = configured === "sqlite" ? await loadSqlite() : await loadPostgres();

function create(url: string): Db {
  if (providerOf(url) !== configured) {
    throw new Error(`This process loaded the ${configured} client of DATABASE_URL; it cannot open a ${providerOf(url)} database besides.`);
  }
  return createConfigured(url);
}

const store = globalThis as unknown as { __lebenswegeDb?: Db };

/** The process-wide client; kept on globalThis so dev rebuilds do not open new connections. */
export const db: Db = (store.__lebenswegeDb ??= create(configuredUrl));

export function createDb(url: string): Db {
  return create(url);
}
