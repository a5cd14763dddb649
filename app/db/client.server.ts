// One Prisma client per process, chosen by DATABASE_URL: SQLite (embedded default) or PostgreSQL (scale-out).
// Both generated clients come from schemas that describe the same models (tests/schema), so the SQLite
// client's types describe either.
import path from "node:path";
import fs from "node:fs";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "../generated/prisma-sqlite/client.ts";
import { PrismaClient as PostgresClient } from "../generated/prisma-postgres/client.ts";
import { env } from "../env.server.ts";

export type Db = SqliteClient;
export type { Prisma } from "../generated/prisma-sqlite/client.ts";

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

function create(url: string): Db {
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length);
    if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new SqliteClient({ adapter: new SecureDeleteSQLite({ url }) });
  }
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
}

const store = globalThis as unknown as { __lebenswegeDb?: Db };

/** The process-wide client; kept on globalThis so dev rebuilds do not open new connections. */
export const db: Db = (store.__lebenswegeDb ??= create(env().DATABASE_URL));

export function createDb(url: string): Db {
  return create(url);
}
