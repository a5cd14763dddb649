// npm run backup on the embedded installation: taken while the app runs and another connection keeps writing, the
// copy is consistent (SQLite's integrity check, every row written before the backup began is in it), its recordings
// match their stored sha256, and an app started on the copy logs in and plays a recording byte for byte. A missing
// file makes the backup say so and fail; on PostgreSQL it points to pg_dump.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { db } from "../../app/db/client.server.ts";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");
const onPostgres = process.env.DATABASE_URL!.startsWith("postgres");

/** The script as an operator runs it (`npm run backup -- <folder>`), with this test file's configuration. */
async function backup(folder: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/backup.ts", folder], { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.skipIf(onPostgres)("backup of the embedded installation (SQLite and local storage)", () => {
  let app: AppServer;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-backup-test-"));
  beforeAll(async () => {
    app = await startAppServer({ env: { STORAGE: "local", STORAGE_DIR: process.env.STORAGE_DIR! } });
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("is consistent while the app runs and another connection writes, and an app on the copy plays the recordings", async () => {
    // Something the app itself wrote (a login) and rows written right before the backup.
    await app.loginAs("forschung");
    const marker = await db.auditLog.create({ data: { action: "audit.view", entity: "audit", detail: "before the backup" }, select: { id: true } });
    let writing = true;
    const writer = (async () => {
      let n = 0;
      // setImmediate between writes: better-sqlite3 answers at once, and a loop of settled promises would starve
      // the event loop (the backup's exit would never be read).
      while (writing) {
        await db.auditLog.create({ data: { action: "audit.view", entity: "audit", detail: `during the backup ${n++}` } });
        await new Promise((resolve) => setImmediate(resolve));
      }
      return n;
    })();
    const result = await backup(folder);
    writing = false;
    const written = await writer;
    expect(result.code, result.stderr).toBe(0);
    expect(written).toBeGreaterThan(0);

    const [dir] = fs.readdirSync(folder).filter((d) => d.startsWith("lebenswege-backup-"));
    const out = path.join(folder, dir!);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.database.integrity).toBe("ok");
    expect(manifest.problems).toEqual([]);
    const recordings = await db.recording.findMany({ select: { id: true, storageKey: true } });
    expect(recordings.length).toBeGreaterThan(0);
    expect(manifest.storage.copied).toBe(recordings.length + (await db.consentDocument.count()));
    for (const r of recordings) expect(fs.readFileSync(path.join(out, "storage", r.storageKey)).equals(fs.readFileSync(path.join(process.env.STORAGE_DIR!, r.storageKey)))).toBe(true);
    expect(fs.readdirSync(out).sort()).toEqual(["lebenswege.db", "manifest.json", "storage"]);
    // Special-category data: readable by this account only.
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(out, "lebenswege.db")).mode & 0o777).toBe(0o600);
    // The administration sees it in the audit log (after the snapshot: the backup does not hold its own entry).
    const noted = await db.auditLog.findFirstOrThrow({ where: { action: "backup.create" }, select: { detail: true } });
    expect(JSON.parse(noted.detail!)).toEqual({ folder: dir, complete: true, files: manifest.storage.copied, problems: 0 });

    // The copy as a restored installation: its own app, its own storage folder.
    const restored = await startAppServer({ databaseUrl: `file:${path.join(out, "lebenswege.db")}`, seed: false, env: { STORAGE: "local", STORAGE_DIR: path.join(out, "storage") } });
    try {
      expect(await restored.db.auditLog.count({ where: { id: marker.id } })).toBe(1);
      const client = await restored.loginAs("forschung");
      const media = await client.get(`/recordings/${recordings[0]!.id}/media`);
      expect(media.status).toBe(200);
      expect(Buffer.from(await media.arrayBuffer()).equals(fs.readFileSync(path.join(process.env.STORAGE_DIR!, recordings[0]!.storageKey)))).toBe(true);
    } finally {
      await restored.stop();
    }
  });

  it("fails and names the file when a recording it refers to is missing", async () => {
    const recording = await db.recording.findFirstOrThrow({ select: { storageKey: true } });
    const stored = path.join(process.env.STORAGE_DIR!, recording.storageKey);
    const aside = `${stored}.aside`;
    fs.renameSync(stored, aside);
    try {
      const result = await backup(folder);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`recording ${recording.storageKey}: missing`);
    } finally {
      fs.renameSync(aside, stored);
    }
  });
});

describe.skipIf(!onPostgres)("backup on PostgreSQL", () => {
  it("points to PostgreSQL's own tools and writes nothing", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-backup-test-"));
    const result = await backup(folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("pg_dump");
    expect(fs.readdirSync(folder)).toEqual([]);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
