// npm run restore: a backup put back in place must not bring back what a person withdrew after it was taken. The
// withdrawals are journaled outside the database (WITHDRAWAL_JOURNAL) and repeated on the restored copy: its rows,
// recordings and search entries are gone again, a partial withdrawal's consent scope is off again, and a second
// replay changes nothing. The restore (a replay too) refuses while the app answers on its port and, before it
// replaces anything, an identity key that does not open the backup; a withdrawal whose journal
// cannot be written erases nothing yet and stays pending.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { startAppServer, type AppServer, type HttpClient } from "../support/app-server.ts";
import { createDb, db } from "../../app/db/client.server.ts";
import { journalWithdrawal, readJournal } from "../../app/withdrawal/journal.server.ts";
import { withdrawInterview } from "../../app/withdrawal/withdraw.server.ts";
import { WITHDRAWAL_PARTS } from "../../app/withdrawal/erasers.server.ts";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");
const onPostgres = process.env.DATABASE_URL!.startsWith("postgres");
const journal = process.env.WITHDRAWAL_JOURNAL!;

async function script(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", file, ...args], { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function withdraw(client: HttpClient, interviewId: string, form: Record<string, string>) {
  const res = await client.post(`/interviews/${interviewId}/withdraw`, { _csrf: await client.csrfToken(), intent: "confirm", ...form });
  expect(res.status, await res.text()).toBe(302);
}

describe.skipIf(onPostgres)("restore of a backup repeats the withdrawals made after it (SQLite and local storage)", () => {
  let app: AppServer;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-restore-test-"));
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  // Six runs of the scripts as an operator starts them (npx tsx), each a few seconds on a busy machine.
  it("puts the backup in place and withdraws again what was withdrawn after it", { timeout: 180_000 }, async () => {
    app = await startAppServer({ env: { STORAGE: "local", STORAGE_DIR: process.env.STORAGE_DIR! } });
    const port = new URL(app.origin).port;
    const withAudio = await db.interview.findMany({ where: { recordings: { some: {} } }, select: { id: true, recordings: { select: { storageKey: true } } }, orderBy: { code: "asc" } });
    expect(withAudio.length).toBeGreaterThanOrEqual(2);
    const [whole, partial] = withAudio as [(typeof withAudio)[0], (typeof withAudio)[0]];
    expect(await db.searchEntry.count({ where: { interviewId: whole.id } })).toBeGreaterThan(0);
    const interviewsAtBackup = await db.interview.count();
    // A stretch of the whole-withdrawn interview's transcript, to look for in the restored file's bytes.
    const spoken = (await db.transcriptParagraph.findFirstOrThrow({ where: { transcript: { interviewId: whole.id } }, orderBy: { position: "asc" }, select: { text: true } })).text.slice(0, 60);

    const backup = await script("scripts/backup.ts", [folder]);
    expect(backup.code, backup.stderr).toBe(0);
    const [dir] = fs.readdirSync(folder).filter((d) => d.startsWith("lebenswege-backup-"));
    const backupDir = path.join(folder, dir!);
    expect(fs.existsSync(path.join(backupDir, "withdrawals.jsonl"))).toBe(false); // no withdrawal yet

    // After the backup: the person of one interview withdraws everything, another only the recording.
    const researcher = await app.loginAs("forschung");
    await withdraw(researcher, whole.id, { scope: "whole" });
    await withdraw(researcher, partial.id, { scope: "partial", parts: "recording" });
    const journaled = readJournal(journal).entries;
    expect(journaled.map((e) => [e.interviewId, e.scope, e.parts])).toEqual([
      [whole.id, "whole", [...WITHDRAWAL_PARTS]],
      [partial.id, "partial", ["recording"]],
    ]);
    expect(fs.readFileSync(journal, "utf8")).not.toMatch(/forschung|Karimi/);
    // A later backup carries the journal as it was then.
    await new Promise((resolve) => setTimeout(resolve, 1100)); // its folder is named by the second
    const later = await script("scripts/backup.ts", [folder]);
    expect(later.code, later.stderr).toBe(0);

    // Refused while the app answers on its port: nothing is replaced.
    const refused = await script("scripts/restore.ts", [backupDir], { PORT: port });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Stop it");
    // Also when the app was started on a port the restore does not know: the file is open in its process.
    if (!onPostgres) {
      const elsewhere = await script("scripts/restore.ts", [backupDir], { PORT: "1" });
      expect(elsewhere.code).toBe(2);
      expect(elsewhere.stderr).toMatch(/is open in process \d+/);
    }
    expect(await db.interview.count({ where: { id: whole.id } })).toBe(0);
    // A replay repeats withdrawals on the live database: refused while the app answers too.
    const replayWhileRunning = await script("scripts/restore.ts", ["--replay-only"], { PORT: port });
    expect(replayWhileRunning.code).toBe(2);
    expect(replayWhileRunning.stderr).toContain("Stop it");
    expect(replayWhileRunning.stdout).not.toContain("Withdrawals from the journal");

    await app.stop();
    await db.$disconnect();
    const dbFile = process.env.DATABASE_URL!.slice("file:".length);
    const movedAside = () => fs.readdirSync(path.dirname(dbFile)).some((f) => f.startsWith(`${path.basename(dbFile)}.before-restore-`));
    // An IDENTITY_KEY that does not open the backup's identity records: said before anything is replaced.
    const liveBytes = fs.readFileSync(dbFile);
    const wrongKey = await script("scripts/restore.ts", [backupDir], { PORT: port, IDENTITY_KEY: Buffer.alloc(32, 7).toString("base64") });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/identity record\(s\) of the backup written with key "k1" do not open/);
    expect(wrongKey.stderr).toContain("Nothing was restored; the database in place is unchanged.");
    expect(movedAside()).toBe(false);
    expect(fs.readFileSync(dbFile).equals(liveBytes)).toBe(true);
    expect(fs.readdirSync(path.dirname(dbFile)).filter((f) => f.endsWith(".restoring"))).toEqual([]);
    // The machine is lost with its journal: the earlier backup is restored, and the later backup's copy of the
    // journal says what to repeat.
    fs.rmSync(journal);
    const restored = await script("scripts/restore.ts", [backupDir], { PORT: port });
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect(restored.stdout).toContain("repeated 2");
    expect(movedAside()).toBe(true);

    const after = createDb(process.env.DATABASE_URL!);
    try {
      // The backup's other rows are back; the withdrawn ones are gone again, with their files and index entries.
      expect(await after.interview.count()).toBe(interviewsAtBackup - 1);
      expect(await after.interview.count({ where: { id: whole.id } })).toBe(0);
      expect(await after.searchEntry.count({ where: { interviewId: whole.id } })).toBe(0);
      // Not even in the unused space of the file's pages (the backup carried it; the restore rewrites the file).
      for (const f of [dbFile, `${dbFile}-wal`].filter((f) => fs.existsSync(f))) expect(fs.readFileSync(f).includes(Buffer.from(spoken)), f).toBe(false);
      expect(await after.recording.count({ where: { interviewId: partial.id } })).toBe(0);
      for (const r of [...whole.recordings, ...partial.recordings]) expect(fs.existsSync(path.join(process.env.STORAGE_DIR!, r.storageKey))).toBe(false);
      const consent = await after.consentRecord.findFirstOrThrow({ where: { interviewId: partial.id, current: true }, select: { scopeRecording: true, scopeTranscription: true } });
      expect(consent).toEqual({ scopeRecording: false, scopeTranscription: true });
      // Repeated under their own ids, as done, and the restore is in the audit log.
      const rows = await after.withdrawal.findMany({ where: { id: { in: journaled.map((e) => e.withdrawalId) } }, select: { status: true } });
      expect(rows).toEqual([{ status: "done" }, { status: "done" }]);
      // The audit entries written after the backup (the live withdrawals) were carried over, not lost.
      const live = await after.auditLog.findMany({ where: { action: "withdrawal.start", entityId: whole.id }, select: { detail: true } });
      expect(live.some((e) => !e.detail!.includes("replayedFromJournal"))).toBe(true);
      const entry = await after.auditLog.findFirstOrThrow({ where: { action: "backup.restore" }, select: { detail: true } });
      expect(JSON.parse(entry.detail!)).toMatchObject({ journalEntries: 2, repeated: 2, failed: 0 });
      // The other interviews' recordings came back from the backup.
      const kept = await after.recording.findMany({ select: { storageKey: true } });
      expect(kept.length).toBeGreaterThan(0);
      for (const r of kept) expect(fs.existsSync(path.join(process.env.STORAGE_DIR!, r.storageKey))).toBe(true);

      // Replaying again changes nothing (the live journal has the repeated withdrawals again).
      expect(readJournal(journal).entries.map((e) => e.withdrawalId)).toEqual(journaled.map((e) => e.withdrawalId));
      const again = await script("scripts/restore.ts", ["--replay-only"], { PORT: port });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("already in the database 2, repeated 0");

      // On a machine whose .env has another identity key, the identity records would not open: said, exit 1.
      expect(await after.identity.count()).toBeGreaterThan(0);
      const otherKey = await script("scripts/restore.ts", ["--replay-only"], { PORT: port, IDENTITY_KEY: Buffer.alloc(32, 7).toString("base64") });
      expect(otherKey.code).toBe(1);
      expect(otherKey.stderr).toMatch(/identity record\(s\) written with key "k1" do not open/);
    } finally {
      await after.$disconnect();
    }
  });
});

describe.skipIf(!onPostgres)("replay after a PostgreSQL restore (npm run restore -- --replay-only)", () => {
  it("repeats on the restored database the withdrawals made after its backup", { timeout: 120_000 }, async () => {
    const app = await startAppServer();
    // A replay while the app answers on its port is refused, like the full restore.
    const whileRunning = await script("scripts/restore.ts", ["--replay-only"], { PORT: new URL(app.origin).port });
    expect(whileRunning.code).toBe(2);
    expect(whileRunning.stderr).toContain("Stop it");
    const port = new URL(app.origin).port;
    await app.stop();
    const interview = await db.interview.findFirstOrThrow({ where: { transcript: { isNot: null } }, select: { id: true } });
    // The backup: a copy of the database as it is now (what pg_restore of a dump taken now would give).
    await db.$disconnect();
    const source = new URL(process.env.DATABASE_URL!);
    const copyName = `${source.pathname.slice(1)}_restored`;
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${copyName}" TEMPLATE "${source.pathname.slice(1)}"`);
    await admin.end();
    const copyUrl = new URL(source);
    copyUrl.pathname = `/${copyName}`;

    const user = await db.user.findFirstOrThrow({ where: { username: "forschung" }, select: { id: true } });
    await withdrawInterview(null, { id: user.id, username: "forschung" } as never, interview.id, { scope: "whole" });
    const restored = createDb(copyUrl.toString());
    try {
      expect(await restored.interview.count({ where: { id: interview.id } })).toBe(1);
      // Two app servers' journals (here the same withdrawal in both): each withdrawal is repeated once.
      const second = path.join(path.dirname(journal), "withdrawals-web2.jsonl");
      fs.copyFileSync(journal, second);
      const replay = await script("scripts/restore.ts", ["--replay-only", "--journal", journal, second], { DATABASE_URL: copyUrl.toString(), PORT: port });
      expect(replay.code, replay.stderr + replay.stdout).toBe(0);
      expect(replay.stdout).toContain("repeated 1");
      expect(await restored.interview.count({ where: { id: interview.id } })).toBe(0);
      expect(await restored.searchEntry.count({ where: { interviewId: interview.id } })).toBe(0);
      expect(await restored.transcriptParagraph.count({ where: { transcript: { interviewId: interview.id } } })).toBe(0);
      // A restore of a file backup is not for PostgreSQL: it points to pg_restore and changes nothing.
      const refused = await script("scripts/restore.ts", ["/nonexistent"], { DATABASE_URL: copyUrl.toString() });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("pg_restore");
    } finally {
      await restored.$disconnect();
    }
  });
});

describe("the withdrawal journal", () => {
  it("a withdrawal whose journal cannot be written erases nothing and stays pending, and finishes once it can", async () => {
    const interview = await db.interview.findFirst({ where: { status: { not: "withdrawn" }, transcript: { isNot: null } }, select: { id: true } });
    let id = interview?.id;
    if (!id) {
      const app = await startAppServer({ env: { STORAGE: "local", STORAGE_DIR: process.env.STORAGE_DIR! } });
      await app.stop();
      id = (await db.interview.findFirstOrThrow({ where: { status: { not: "withdrawn" }, transcript: { isNot: null } }, select: { id: true } })).id;
    }
    const user = await db.user.findFirstOrThrow({ where: { username: "forschung" }, select: { id: true } });
    const actor = { id: user.id, username: "forschung", displayName: "", locale: "de", roles: ["researcher" as const], municipalityIds: [], sessionId: "", csrfToken: "" };
    const paragraphs = await db.transcriptParagraph.count({ where: { transcript: { interviewId: id } } });
    expect(paragraphs).toBeGreaterThan(0);
    // A folder where the journal file should be: it cannot be opened for appending.
    fs.rmSync(journal, { force: true });
    fs.mkdirSync(journal);
    try {
      await expect(withdrawInterview(null, actor as never, id, { scope: "partial", parts: ["transcript"] })).rejects.toThrow();
      expect(await db.withdrawal.count({ where: { interviewId: id, status: "pending" } })).toBe(1);
      expect(await db.transcriptParagraph.count({ where: { transcript: { interviewId: id } } })).toBe(paragraphs);
    } finally {
      fs.rmSync(journal, { recursive: true });
    }
    const resumed = await withdrawInterview(null, actor as never, id, null);
    expect(resumed).toMatchObject({ resumed: true, withdrawal: { status: "done" } });
    expect(await db.transcriptParagraph.count({ where: { transcript: { interviewId: id } } })).toBe(0);
    expect(readJournal(journal).entries.map((e) => e.withdrawalId)).toEqual([resumed.withdrawal.id]);
  });

  it("reads each withdrawal once and skips lines that cannot be read, such as one cut off by a crash", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-journal-")), "withdrawals.jsonl");
    const line = (id: string) => JSON.stringify({ withdrawalId: id, interviewId: "i1", caseId: null, scope: "partial", parts: ["recording"], requestedAt: "2026-11-30T10:00:00.000Z", createdById: null });
    fs.writeFileSync(file, `${line("w1")}\n${line("w1")}\n{"withdrawalId":"w2","parts":["everything"]}\n${line("w3")}\n${line("w4").slice(0, 30)}`);
    const { entries, unreadable } = readJournal(file);
    expect(entries.map((e) => e.withdrawalId)).toEqual(["w1", "w3"]);
    expect(unreadable).toEqual([3, 5]);
    expect(readJournal(path.join(path.dirname(file), "none.jsonl"))).toEqual({ entries: [], revocations: [], unreadable: [] });
    // The next withdrawal after such a cut-off line starts on a line of its own and stays readable.
    journalWithdrawal({ ...JSON.parse(line("w6")), withdrawalId: "w6" }, file);
    expect(readJournal(file).entries.map((e) => e.withdrawalId)).toEqual(["w1", "w3", "w6"]);
  });
});
