// The SQLite client as the app and the transcription workers share one file: several processes write to it.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPostgres } from "../../tests/support/passes.ts";
import { createDb, type Db } from "./client.server.ts";

describe.skipIf(onPostgres)("SQLite transactions while another process writes", () => {
  let url: string;
  let db: Db;
  let other: Database.Database; // another process's connection, as a worker's
  beforeAll(async () => {
    url = process.env.DATABASE_URL!; // this file's own database (tests/support/setup-env.ts)
    db = createDb(url);
    await db.municipality.create({ data: { ags: "08336050", name: "Lörrach", type: "Stadt" } });
    other = new Database(url.slice("file:".length), { timeout: 0 });
  });
  afterAll(async () => {
    other.close();
    await db.$disconnect();
  });

  it("a transaction that reads and then writes is not refused because another connection wrote in between", async () => {
    let otherWrite = "";
    await db.$transaction(async (tx) => {
      const before = await tx.municipality.findUniqueOrThrow({ where: { ags: "08336050" } });
      // Begun deferred, the transaction's snapshot would now be stale and its write below fail at once with
      // "database is locked"; begun immediately, it holds the write lock and the other connection must wait.
      try {
        other.prepare("UPDATE Municipality SET population = 1 WHERE ags = '08336050'").run();
        otherWrite = "written";
      } catch (e) {
        otherWrite = (e as { code?: string }).code ?? String(e);
      }
      await tx.municipality.update({ where: { id: before.id }, data: { population: 49_000 } });
    });
    expect(otherWrite).toBe("SQLITE_BUSY");
    expect((await db.municipality.findUniqueOrThrow({ where: { ags: "08336050" } })).population).toBe(49_000);
    // Once the transaction has ended, the other connection writes as before.
    other.prepare("UPDATE Municipality SET population = 2 WHERE ags = '08336050'").run();
    expect((await db.municipality.findUniqueOrThrow({ where: { ags: "08336050" } })).population).toBe(2);
  });
});
