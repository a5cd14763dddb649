// npm run backup -- <folder>: a consistent backup of the embedded installation while it runs. The SQLite database
// as one snapshot (a copy of the file would miss what is still in the write-ahead log, or catch a checkpoint
// halfway), then the recordings and scanned consent forms that this copy refers to, each checked against
// the sha256 stored with it. Writes <folder>/lebenswege-backup-<time>/ with a manifest.json; exit code 1 when a
// referenced file is missing or differs (the backup is then incomplete, and says which), 2 for a wrong call.
// Not included, on purpose: IDENTITY_KEY (kept apart from backups: docs/decisions/0004) and SESSION_SECRET.
// PostgreSQL and S3 have their own tools (pg_dump or base backups; bucket versioning or replication).
import fs from "node:fs";
import { sha256File } from "../app/utils/sha256-file.server.ts";
import { sqliteFilePath } from "../app/env.server.ts";
import path from "node:path";
import url from "node:url";
import Database from "better-sqlite3";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
process.chdir(root);

const target = process.argv[2];
if (!target || target.startsWith("-")) {
  console.error("Usage: npm run backup -- <folder>   (the backup is written into a new sub-folder of <folder>)");
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL ?? "file:./data/lebenswege.db";
if (!databaseUrl.startsWith("file:")) {
  console.error("DATABASE_URL is a PostgreSQL database: back it up with pg_dump or the server's base backups (see README, Backup).");
  process.exit(2);
}
const databaseFile = sqliteFilePath(databaseUrl);
if (!fs.existsSync(databaseFile)) {
  console.error(`No database at ${databaseFile} (DATABASE_URL).`);
  process.exit(2);
}
const storageKind = process.env.STORAGE ?? "local";
const storageDir = path.resolve(process.env.STORAGE_DIR ?? "./data/storage");

const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
const out = path.join(path.resolve(target), `lebenswege-backup-${stamp}`);
// Only this account may read a backup: it holds special-category data (the live files are 0600 as well).
fs.mkdirSync(out, { recursive: true, mode: 0o700 });

// 1. The database, online: readers and writers of the running app go on meanwhile. VACUUM INTO writes one read
// transaction's snapshot (SQLite's backup API starts again whenever another connection writes, so under steady
// writes it never ends), and leaves free pages out: what secure_delete zeroed does not travel into the backup.
const started = Date.now();
const source = new Database(databaseFile, { readonly: true, fileMustExist: true });
source.pragma("busy_timeout = 10000");
const backupFile = path.join(out, "lebenswege.db");
source.prepare("VACUUM INTO ?").run(backupFile);
source.close();
fs.chmodSync(backupFile, 0o600);
const copy = new Database(backupFile);
const integrity = copy.pragma("integrity_check", { simple: true });
const files = copy
  .prepare(`SELECT 'recording' AS kind, "storageKey" AS key, "sha256" AS sha FROM "Recording" UNION ALL SELECT 'consent-document', "storageKey", "sha256" FROM "ConsentDocument"`)
  .all() as { kind: string; key: string; sha: string }[];
const counts = Object.fromEntries(["Case", "Interview", "Transcript", "Coding", "Memo", "BiographyNote", "Snapshot", "AuditLog"].map((t) => [t, (copy.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]));
copy.close();
console.log(`Database: ${databaseFile} -> ${backupFile} (integrity ${integrity})`);

// 2. The stored files this copy refers to (a file uploaded after the copy belongs to the next backup; one erased by a
// withdrawal meanwhile is not copied any more).
const problems: string[] = [];
let bytes = 0;
if (storageKind === "local") {
  fs.mkdirSync(path.join(out, "storage"));
  for (const f of files) {
    const from = path.join(storageDir, f.key);
    const to = path.join(out, "storage", f.key);
    if (!/^[0-9a-f-]{36}$/.test(f.key) || !fs.existsSync(from)) {
      problems.push(`${f.kind} ${f.key}: missing in ${storageDir}`);
      continue;
    }
    fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
    if ((await sha256File(to)) !== f.sha) problems.push(`${f.kind} ${f.key}: content differs from its stored sha256`);
    bytes += fs.statSync(to).size;
  }
  console.log(`Files: ${files.length - problems.length} of ${files.length} recordings and consent forms from ${storageDir} (${(bytes / 1e6).toFixed(1)} MB), each checked against its sha256`);
} else {
  console.log(`Files: ${files.length} objects in S3 storage, not copied (use the bucket's versioning or replication).`);
}

// The withdrawal journal as it is now: if the live one is lost with the machine, the copy in a later backup still
// lists the withdrawals an earlier backup lacks (npm run restore -- <earlier> --journal <later>/withdrawals.jsonl).
const journal = path.resolve(process.env.WITHDRAWAL_JOURNAL ?? "./data/withdrawals.jsonl");
const journalCopied = fs.existsSync(journal);
if (journalCopied) fs.copyFileSync(journal, path.join(out, "withdrawals.jsonl"));

const manifest = {
  createdAt: new Date().toISOString(),
  database: { file: "lebenswege.db", sha256: await sha256File(backupFile), integrity, counts },
  storage: storageKind === "local" ? { folder: "storage", files: files.length, copied: files.length - problems.length, bytes } : { kind: "s3", objects: files.length, copied: 0 },
  withdrawalJournal: journalCopied ? "withdrawals.jsonl" : null,
  problems,
  notIncluded: ["IDENTITY_KEY (keep it apart from backups; without it identity records cannot be read)", "SESSION_SECRET"],
};
fs.writeFileSync(path.join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`Backup written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
// The administration's audit log shows when backups were taken (and whether complete), as evidence of the backup
// routine. Written to the live database after the snapshot; a failure here does not fail the backup.
try {
  const { audit } = await import("../app/audit/audit.server.ts");
  const { db } = await import("../app/db/client.server.ts");
  await audit(null, null, { action: "backup.create", entity: "backup", detail: { folder: path.basename(out), complete: integrity === "ok" && problems.length === 0, files: storageKind === "local" ? files.length - problems.length : 0, problems: problems.length } });
  await db.$disconnect();
} catch (e) {
  console.warn(`The backup could not be noted in the audit log: ${(e as Error).message}`);
}
if (integrity !== "ok" || problems.length) {
  console.error(`The backup is incomplete:\n  ${[...(integrity !== "ok" ? [`integrity check: ${integrity}`] : []), ...problems].join("\n  ")}`);
  process.exit(1);
}
