// Driver adapters for the Prisma CLI only (migrate/generate), with the shims that Prisma 6.19 needs
// to work offline without native engines. Why each shim exists: docs/decisions/0001-prisma-offline.md.
// The app itself uses the stock adapters (app/db/client.server.ts).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

type Script = { executeScript(sql: string): Promise<void>; executeRaw(q: { sql: string; args: unknown[] }): Promise<number> };

/** SQLite: the shadow database replays multi-statement migrations through executeRaw; route them to exec(). */
export class MigrateSQLite extends PrismaBetterSQLite3 {
  override async connectToShadowDb() {
    const adapter = (await super.connectToShadowDb()) as unknown as Script;
    const original = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (q) => {
      if (q.args.length === 0) {
        await adapter.executeScript(q.sql);
        return 0;
      }
      return original(q);
    };
    return adapter as never;
  }
}

let performIOPatched = false;

/** PostgreSQL: accept "char"/name columns, use a real separate shadow DB, run scripts whole ($$ bodies). */
export class MigratePg extends PrismaPg {
  constructor(private readonly connectionString: string) {
    super({ connectionString });
  }

  override async connect() {
    const adapter = await super.connect();
    patchPerformIO(adapter);
    const client = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
    (adapter as unknown as Script).executeScript = async (script: string) => {
      await client.query(script);
    };
    return adapter;
  }

  override async connectToShadowDb() {
    const admin = await this.connect();
    const name = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
    await (admin as unknown as Script).executeScript(`CREATE DATABASE "${name}"`);
    const url = new URL(this.connectionString);
    url.pathname = `/${name}`;
    const shadow = await new MigratePg(url.toString()).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await (admin as unknown as Script).executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.dispose();
    };
    return shadow;
  }
}

function patchPerformIO(adapter: object) {
  if (performIOPatched) return;
  // PgQueryable is the grand-prototype of the adapter instance.
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto) return;
  const original = proto.performIO;
  proto.performIO = async function (this: unknown, query: unknown) {
    const result = await original.call(this, query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
    }
    return result;
  };
  performIOPatched = true;
}
