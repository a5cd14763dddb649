// What the administration overview says about backups and the withdrawal journal (ADR 0015): when the last backup
// was noted (npm run backup writes `backup.create` into the audit log), and whether the journal that a restore
// replays exists, how many withdrawals it holds, and whether it lies beside the database (a disk that fails takes
// both).
import fs from "node:fs";
import path from "node:path";
import { db } from "../db/client.server.ts";
import { env, isPostgres, sqliteFilePath } from "../env.server.ts";
import { journalPath, readJournal } from "../withdrawal/journal.server.ts";

export type BackupStatus = {
  database: "sqlite" | "postgres";
  lastBackup: { at: string; complete: boolean } | null;
  journal: { file: string; exists: boolean; entries: number; lastAt: string | null; besideDatabase: boolean };
};

export async function backupStatus(): Promise<BackupStatus> {
  const database = isPostgres() ? "postgres" : "sqlite";
  const last = await db.auditLog.findFirst({ where: { entity: "backup", action: "backup.create" }, orderBy: { at: "desc" }, select: { at: true, detail: true } });
  let complete = false;
  try {
    complete = (JSON.parse(last?.detail ?? "{}") as { complete?: boolean }).complete === true;
  } catch {
    complete = false;
  }
  const file = journalPath();
  const { entries } = readJournal(file);
  const databaseDir = database === "sqlite" ? path.dirname(sqliteFilePath(env().DATABASE_URL)) : null;
  return {
    database,
    lastBackup: last ? { at: last.at.toISOString(), complete } : null,
    journal: {
      file,
      exists: fs.existsSync(file),
      entries: entries.length,
      lastAt: entries.at(-1)?.requestedAt ?? null,
      besideDatabase: databaseDir !== null && path.dirname(file) === databaseDir,
    },
  };
}
