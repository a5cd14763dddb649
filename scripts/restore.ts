// npm run restore -- <backup folder> [--journal <file>...] [--force]
// npm run restore -- --replay-only [--journal <file>...]
// Puts a backup of `npm run backup` back in place (the SQLite database and the stored files it refers to, each
// checked against its sha256), brings its schema up to date, and repeats every withdrawal made after the backup
// was taken from the withdrawal journal (WITHDRAWAL_JOURNAL, or the files given with --journal): a restore must
// not bring back what a person withdrew (Art. 17 GDPR; docs/decisions/0015-backups.md). The database it replaces is
// moved aside, not deleted. `--replay-only` repeats the journal on the configured database as it is (after a
// PostgreSQL restore with pg_restore or a base backup). Exit 0: restored and every withdrawal repeated; 1: a check
// failed or a withdrawal could not be repeated (named); 2: wrong call, nothing changed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { sha256File } from "../app/utils/sha256-file.server.ts";
import { sqliteFilePath } from "../app/env.server.ts";
import net from "node:net";
import path from "node:path";
import url from "node:url";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
process.chdir(root);

const args = process.argv.slice(2);
const force = args.includes("--force");
const replayOnly = args.includes("--replay-only");
const journals: string[] = [];
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  // --journal takes every following file (a shell glob: one journal per app server on a share, see README).
  if (args[i] === "--journal") while (i + 1 < args.length && !args[i + 1]!.startsWith("--")) journals.push(path.resolve(args[++i]!));
  else if (!args[i]!.startsWith("--")) positional.push(args[i]!);
}
const usage = () => {
  console.error("Usage: npm run restore -- <backup folder> [--journal <file>...] [--force]\n       npm run restore -- --replay-only [--journal <file>...] [--force]");
  process.exit(2);
};
if (replayOnly ? positional.length : positional.length !== 1) usage();
if (journals.some((j) => !fs.existsSync(j))) {
  console.error(`No journal file at ${journals.find((j) => !fs.existsSync(j))}.`);
  process.exit(2);
}
const journalFiles = journals.length ? journals : [path.resolve(process.env.WITHDRAWAL_JOURNAL ?? "./data/withdrawals.jsonl")];

const databaseUrl = process.env.DATABASE_URL ?? "file:./data/lebenswege.db";

/** The app must not run meanwhile (a replay too: its pages would show, and let edit, what is being withdrawn again). */
async function refuseWhileAppAnswers() {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "127.0.0.1";
  const listening = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host, timeout: 1000 }, () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => (socket.destroy(), resolve(false)));
  });
  if (listening && !force) {
    console.error(`Something answers on ${host}:${port}: is Lebenswege running? Stop it (and any worker) first; --force restores anyway.`);
    process.exit(2);
  }
}

/** Key ids of the identity records in a database file that the configured keys do not open (one record each). */
async function identityKeysNotOpening(file: string): Promise<{ keyId: string; records: number }[]> {
  const { default: Database } = await import("better-sqlite3");
  const { open } = await import("../app/identity/crypto.server.ts");
  const backup = new Database(file, { readonly: true });
  try {
    const groups = backup.prepare(`SELECT "keyId" AS keyId, COUNT(*) AS records FROM "Identity" GROUP BY "keyId"`).all() as { keyId: string; records: number }[];
    return groups.filter((g) => {
      const row = backup.prepare(`SELECT "caseId" AS caseId, "keyId" AS keyId, "iv" AS iv, "tag" AS tag, "ciphertext" AS ciphertext FROM "Identity" WHERE "keyId" = ? LIMIT 1`).get(g.keyId) as { caseId: string; keyId: string; iv: string; tag: string; ciphertext: string };
      try {
        open(row, row.caseId);
        return false;
      } catch {
        return true;
      }
    });
  } finally {
    backup.close();
  }
}
const problems: string[] = [];
let restoredFrom: { folder: string; createdAt: string } | null = null;

if (replayOnly) await refuseWhileAppAnswers();
if (!replayOnly) {
  if (!databaseUrl.startsWith("file:")) {
    console.error("DATABASE_URL is a PostgreSQL database: restore it with pg_restore or the server's base backup, then run\n  npm run restore -- --replay-only\nto repeat the withdrawals made since.");
    process.exit(2);
  }
  const folder = path.resolve(positional[0]!);
  const manifestFile = path.join(folder, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    console.error(`${folder} is not a backup of npm run backup (no manifest.json in it).`);
    process.exit(2);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { createdAt: string; database: { file: string; sha256: string }; storage: { folder?: string; kind?: string }; problems: string[] };
  const backupDb = path.join(folder, manifest.database.file);
  if (!fs.existsSync(backupDb) || (await sha256File(backupDb)) !== manifest.database.sha256) {
    console.error(`The backup's database ${backupDb} is missing or differs from the sha256 in its manifest: not restored.`);
    process.exit(2);
  }
  if (manifest.problems.length) console.warn(`The backup was incomplete when it was taken:\n  ${manifest.problems.join("\n  ")}`);

  // The app must not run meanwhile: it would keep writing into the file that is moved aside, and everything entered
  // after the restore would be lost with the next start. Any process holding the file open (the app on whatever
  // port, a worker) is named; the port probe remains for an app on another machine's view of the same file.
  const databaseFile = sqliteFilePath(databaseUrl);
  const holders = processesUsing([databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`]);
  if (holders.length && !force) {
    console.error(`The database file ${databaseFile} is open in ${holders.map((h) => `process ${h.pid} (${h.command})`).join(", ")}: is Lebenswege or its worker running? Stop it first; --force restores anyway.`);
    process.exit(2);
  }
  await refuseWhileAppAnswers();

  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  // The copy is made first (the slow part), so the database in place is replaced only by a complete file.
  const incoming = `${databaseFile}.restoring`;
  fs.copyFileSync(backupDb, incoming);
  fs.chmodSync(incoming, 0o600);
  // Checked before anything is replaced: with a key that does not fit, the live database stays where it is.
  const closed = await identityKeysNotOpening(incoming);
  if (closed.length) {
    fs.rmSync(incoming, { force: true });
    for (const k of closed) console.error(`${k.records} identity record(s) of the backup written with key "${k.keyId}" do not open with IDENTITY_KEY / IDENTITY_OLD_KEYS: set the key the backed-up installation used (it is not in the backup, docs/decisions/0004).`);
    console.error("Nothing was restored; the database in place is unchanged.");
    process.exit(2);
  }
  let aside: string | null = null;
  if (fs.existsSync(databaseFile)) {
    // Moved aside, not deleted: the operator decides (it holds personal data; delete it once the restore is confirmed).
    aside = `${databaseFile}.before-restore-${stamp}`;
    for (const suffix of ["", "-wal", "-shm"]) if (fs.existsSync(databaseFile + suffix)) fs.renameSync(databaseFile + suffix, aside + suffix);
    console.log(`The database that was in place is now ${aside} (it holds personal data: delete it once the restore is confirmed).`);
  }
  fs.renameSync(incoming, databaseFile);
  console.log(`Database: ${backupDb} -> ${databaseFile}`);

  // The stored files the restored database refers to, from the backup, each checked against its sha256.
  const { default: Database } = await import("better-sqlite3");
  const restored = new Database(databaseFile, { readonly: true });
  const migrated = !!restored.prepare(`SELECT 1 FROM sqlite_master WHERE name = '_prisma_migrations'`).get();
  const files = restored.prepare(`SELECT "storageKey" AS key, "sha256" AS sha FROM "Recording" UNION ALL SELECT "storageKey", "sha256" FROM "ConsentDocument"`).all() as { key: string; sha: string }[];
  restored.close();
  if ((process.env.STORAGE ?? "local") === "local" && manifest.storage.folder) {
    const storageDir = path.resolve(process.env.STORAGE_DIR ?? "./data/storage");
    fs.mkdirSync(storageDir, { recursive: true });
    let copied = 0;
    for (const f of files) {
      const from = path.join(folder, manifest.storage.folder, f.key);
      const to = path.join(storageDir, f.key);
      if (!/^[0-9a-f-]{36}$/.test(f.key)) {
        problems.push(`stored file ${f.key}: not a storage key`);
        continue;
      }
      if (fs.existsSync(to) && (await sha256File(to)) === f.sha) continue;
      if (!fs.existsSync(from)) {
        problems.push(`stored file ${f.key}: not in the backup`);
        continue;
      }
      fs.copyFileSync(from, `${to}.restoring`);
      if ((await sha256File(`${to}.restoring`)) !== f.sha) {
        fs.rmSync(`${to}.restoring`);
        problems.push(`stored file ${f.key}: differs from its sha256 in the backup`);
        continue;
      }
      fs.renameSync(`${to}.restoring`, to);
      copied++;
    }
    console.log(`Files: ${copied} copied into ${storageDir}, ${files.length - copied - problems.length} were there already.`);
    // Uploaded after the backup was taken: their rows are not in the restored database. Named, not deleted.
    const referenced = new Set(files.map((f) => f.key));
    const unreferenced = fs.readdirSync(storageDir).filter((name) => /^[0-9a-f-]{36}$/.test(name) && !referenced.has(name));
    if (unreferenced.length) console.warn(`${unreferenced.length} file(s) in ${storageDir} belong to no recording or consent form of the restored database (uploaded after the backup): ${unreferenced.join(", ")}. Delete them once the restore is confirmed.`);
  } else {
    console.log(`Files: ${files.length} recordings and consent forms in S3 storage: restore them with the bucket's versioning or replication.`);
  }

  // A backup of an earlier version gets the schema the code expects before anything is replayed.
  // (A database made without Prisma's migration history, as the tests make theirs, is used as it is.)
  if (migrated) execFileSync("bash", ["-c", "source scripts/lib.sh && migrate_database"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: databaseUrl } });
  // The audit log is the record of who read and changed personal data: its entries written after the backup was
  // taken (they are in the database moved aside) are carried over, in order, with new ids after the backup's.
  if (aside) {
    const target = new Database(databaseFile);
    try {
      target.prepare("ATTACH DATABASE ? AS before").run(aside);
      const columns = `"at", "userId", "username", "action", "entity", "entityId", "detail", "ip"`;
      const carried = target
        .prepare(`INSERT INTO main."AuditLog" (${columns}) SELECT ${columns} FROM before."AuditLog" WHERE "id" > (SELECT COALESCE(MAX("id"), 0) FROM main."AuditLog") ORDER BY "id"`)
        .run().changes;
      target.exec("DETACH DATABASE before");
      if (carried) console.log(`Audit log: ${carried} entries written after the backup carried over from the database moved aside.`);
    } catch (e) {
      problems.push(`the audit entries written after the backup could not be carried over from ${aside}: ${(e as Error).message}`);
    } finally {
      target.close();
    }
  }
  restoredFrom = { folder, createdAt: manifest.createdAt };
  // Later backups beside this one carry the journal as it was when they were taken: read too, so a journal lost with
  // the machine is covered up to the newest backup.
  const parent = path.dirname(folder);
  for (const sibling of fs.readdirSync(parent).filter((d) => d.startsWith("lebenswege-backup-")).sort()) {
    const copy = path.join(parent, sibling, "withdrawals.jsonl");
    const siblingManifest = path.join(parent, sibling, "manifest.json");
    if (!fs.existsSync(copy) || !fs.existsSync(siblingManifest)) continue;
    const createdAt = (JSON.parse(fs.readFileSync(siblingManifest, "utf8")) as { createdAt: string }).createdAt;
    if (createdAt > manifest.createdAt && !journalFiles.includes(copy)) journalFiles.push(copy);
  }
}

// Every journaled withdrawal the restored database does not have as done is repeated.
const { readJournal } = await import("../app/withdrawal/journal.server.ts");
const { replayWithdrawals, replayConsentRevocations, countOutcomes } = await import("../app/withdrawal/replay.server.ts");
const { audit } = await import("../app/audit/audit.server.ts");
const { db } = await import("../app/db/client.server.ts");
const entries = new Map<string, ReturnType<typeof readJournal>["entries"][number]>();
const revocations = new Map<string, ReturnType<typeof readJournal>["revocations"][number]>();
for (const file of journalFiles) {
  const { entries: read, revocations: taken, unreadable } = readJournal(file);
  for (const r of taken) revocations.set(`${r.interviewId}|${r.requestedAt}|${r.scopes.join(",")}`, r);
  if (!fs.existsSync(file)) console.warn(`No withdrawal journal at ${file}: no withdrawal is repeated from it.`);
  if (unreadable.length) console.warn(`${file}: line(s) ${unreadable.join(", ")} cannot be read and are skipped (a line cut off by a crash is expected at the end).`);
  for (const e of read) if (!entries.has(e.withdrawalId)) entries.set(e.withdrawalId, e);
}
const ordered = [...entries.values()].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
const results = await replayWithdrawals(ordered);
// Scopes taken back on the consent form after the backup are taken back again.
const consentReplay = await replayConsentRevocations([...revocations.values()]);
if (consentReplay.repeated) console.log(`Consent taken back on the form after the backup: repeated for ${consentReplay.repeated} interview(s).`);
for (const r of results.filter((r) => r.outcome !== "already-done")) {
  const what = `${r.entry.scope} withdrawal ${r.entry.withdrawalId} of interview ${r.entry.interviewId} (${r.entry.requestedAt})`;
  if (r.outcome === "failed") problems.push(`${what}: could not be repeated (${r.message}); run the restore's replay again: npm run restore -- --replay-only`);
  else console.log(`${what}: ${r.outcome === "repeated" ? "repeated" : r.outcome === "resumed" ? "finished (it was running when the backup was taken)" : "its interview is not in this database (made after the backup)"}`);
}
// The identity records must open with the keys configured here (a fresh machine's .env has new ones).
const { checkIdentityKeys } = await import("../app/identity/key-check.server.ts");
const keyChecks = await checkIdentityKeys(db);
for (const k of keyChecks.filter((k) => !k.opens)) {
  problems.push(`${k.records} identity record(s) written with key "${k.keyId}" do not open with IDENTITY_KEY / IDENTITY_OLD_KEYS: set the key the backed-up installation used (it is not in the backup, docs/decisions/0004), or every identity page fails.`);
}
const counts = countOutcomes(results);
await audit(null, null, { action: "backup.restore", entity: "backup", detail: { ...(restoredFrom ? { backupCreatedAt: restoredFrom.createdAt } : { replayOnly: true }), journalEntries: ordered.length, ...counts, consentRevocationsRepeated: consentReplay.repeated, identityKeysOpen: keyChecks.every((k) => k.opens) } });
await db.$disconnect();
if (databaseUrl.startsWith("file:")) {
  // A repeated withdrawal deletes rows, but their bytes can stay in the unused space of pages still in use (secure
  // delete clears what it frees, not what the backup already carried): rewriting the file keeps only live rows.
  const { default: Database } = await import("better-sqlite3");
  const file = new Database(sqliteFilePath(databaseUrl));
  file.exec("VACUUM");
  file.pragma("wal_checkpoint(TRUNCATE)");
  file.close();
}
console.log(`Withdrawals from the journal: ${ordered.length}; already in the database ${counts["already-done"]}, repeated ${counts.repeated}, finished ${counts.resumed}, interview not in the database ${counts["interview-unknown"]}, failed ${counts.failed}.`);
if (problems.length) {
  console.error(`The restore is not complete:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(restoredFrom ? `Restored from ${restoredFrom.folder}. Start the app with npm start.` : "Done.");

/** Other processes that have one of these files open (Linux: /proc/<pid>/fd), with their command line. */
function processesUsing(files: string[]): { pid: number; command: string }[] {
  const wanted = new Set(files.filter((f) => fs.existsSync(f)).map((f) => fs.realpathSync(f)));
  if (!wanted.size || !fs.existsSync("/proc/self/fd")) return [];
  const found: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile, or another user's process
    }
    const open = fds.some((fd) => {
      try {
        return wanted.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (!open) continue;
    let command = "";
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 120);
    } catch {
      // keep the pid alone
    }
    found.push({ pid, command });
  }
  return found;
}
