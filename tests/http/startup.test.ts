// Starting and stopping the real server process (app/http/server.js, as `npm start` runs it) with its embedded
// transcription worker: a server that cannot start says why and leaves no worker behind, and a worker whose server
// is already gone does not stay. (Both happened: a taken port printed a stack trace and left a worker running
// that held the SQLite database, so the next start's migration failed.) And the migration step of `npm start` creates
// the folder of a SQLite database file instead of failing with Prisma's bare "External error id#0", and says when the
// file is in use by another process, in one line. npm start refuses a taken port before it migrates and seeds, and its
// configuration check repeats each wrong value (never a secret) with what is expected and whether it came from .env.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { databaseIndependent, onPostgres } from "../support/passes.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsxLoader = path.join(root, "node_modules", "tsx", "dist", "loader.mjs");

/** Resolves when the process and everything that inherited its output are gone; rejects after `ms`. */
function closed(child: ReturnType<typeof spawn>, ms: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`output still open after ${ms} ms: a child process outlived the server`)), ms);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The environment without a Meilisearch the test run may have: the search check then only sees SEARCH_ENGINE. */
function withoutMeilisearch(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { MEILI_URL: _url, MEILI_API_KEY: _key, ...rest } = env;
  return rest;
}

describe("server start-up", () => {
  // Start-up before any database is touched, and SQLite's own folder: the SQLite pass only (tests/support/passes.ts).
  it.skipIf(databaseIndependent)("a taken port: says which port and what to do, exits 1, and starts no transcription worker", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const server = spawn(process.execPath, [path.join(root, "app", "http", "server.js")], {
        cwd: root,
        env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", TRANSCRIPTION_WORKER: "embedded", WHISPER_MODEL: "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
      server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
      // A worker left behind would hold the inherited output open: "close" would not come.
      const code = await closed(server, 20_000);
      expect(code).toBe(1);
      expect(output).toContain(`Lebenswege cannot start: port ${port} on 127.0.0.1 is already in use`);
      expect(output).toContain("set PORT to a free port");
      expect(output).not.toContain("[transcription");
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  }, 30_000);

  it.skipIf(databaseIndependent)("an embedded worker whose server died before the worker was up stops by itself", async () => {
    // A parent that forks the worker (as transcription/supervisor.js does) and exits at once.
    const parent = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { fork } from "node:child_process";
         const child = fork(${JSON.stringify(path.join(root, "transcription", "worker-main.ts"))}, [], { execArgv: ["--import", ${JSON.stringify(`file://${tsxLoader}`)}], stdio: ["ignore", "ignore", "ignore", "ipc"] });
         console.log(child.pid);
         process.exit(0);`,
      ],
      { cwd: root, env: { ...process.env, TRANSCRIPTION_WORKER: "embedded", WHISPER_MODEL: "" }, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    parent.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => parent.once("exit", resolve));
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 20_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const stillAlive = alive(pid);
    if (stillAlive) process.kill(pid, "SIGKILL");
    expect(stillAlive).toBe(false);
  }, 30_000);

  it.skipIf(databaseIndependent)("npm start refuses a taken port before it migrates and seeds (the demo logins would read as a successful start)", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const tmp = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-start-"));
    try {
      const file = path.join(tmp, "lebenswege.db");
      // A configuration that is right in every other way, so that only the port stops the start.
      const start = spawn("bash", ["scripts/start.sh"], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: "production",
          DEMO_DATA: "false",
          PORT: String(port),
          HOST: "127.0.0.1",
          DATABASE_URL: `file:${file}`,
          SESSION_SECRET: "s".repeat(32),
          IDENTITY_KEY: Buffer.alloc(32, 7).toString("base64"),
          WITHDRAWAL_JOURNAL: path.join(tmp, "withdrawals.jsonl"),
          STORAGE_DIR: path.join(tmp, "storage"),
          TRANSCRIPTION_WORKER: "off",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      start.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
      start.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await closed(start, 120_000);
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`Lebenswege cannot start: port ${port} on 127.0.0.1 is already in use (another Lebenswege or program?); stop it or set PORT to a free port.`);
      expect(stdout).not.toContain("Applying database migrations");
      expect(stdout).not.toContain("Seed done");
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      blocker.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 150_000);

  it.skipIf(databaseIndependent)("npm start's configuration check repeats a wrong value, never a secret, and says when it came from .env", () => {
    const tmp = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-start-"));
    try {
      const fromFile = { PORT: "abc", UPLOAD_MAX_BYTES: "8GB", SEARCH_ENGINE: "foo", SESSION_SECRET: "short-secret-in-env-file" };
      fs.writeFileSync(path.join(tmp, ".env"), Object.entries(fromFile).map(([k, v]) => `${k}=${v}\n`).join(""));
      // As scripts/start.sh runs it: .env exported, the environment winning over it (here for LOGIN_MAX_FAILURES).
      const check = spawnSync(process.execPath, ["--import", `file://${tsxLoader}`, path.join(root, "scripts", "check-env.ts")], {
        cwd: tmp,
        encoding: "utf8",
        env: { ...withoutMeilisearch(process.env), ...fromFile, IDENTITY_KEY: "not-a-key-but-secret", LOGIN_MAX_FAILURES: "many", DATABASE_URL: "file:./x.db" },
      });
      expect(check.status).toBe(1);
      expect(check.stderr).toContain('  - PORT: expected a port number 1-65535, got "abc"; set in .env\n');
      expect(check.stderr).toContain('  - UPLOAD_MAX_BYTES: expected a number of bytes, e.g. 8589934592 (8 GiB), got "8GB"; set in .env\n');
      expect(check.stderr).toContain('  - SEARCH_ENGINE: expected one of auto, fts5, postgres, meilisearch, got "foo"; set in .env');
      expect(check.stderr).toContain('  - LOGIN_MAX_FAILURES: expected a whole number of failed logins, 1-100, got "many"\n');
      expect(check.stderr).toContain("  - SESSION_SECRET: must be at least 32 characters (openssl rand -hex 32); set in .env\n");
      expect(check.stderr).toContain("  - IDENTITY_KEY: must be 32 random bytes, base64-encoded (openssl rand -base64 32)\n");
      expect(check.stderr).not.toContain("short-secret-in-env-file");
      expect(check.stderr).not.toContain("not-a-key-but-secret");
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(databaseIndependent)("npm start's migration step creates the folder of a SQLite DATABASE_URL, and says when it cannot", () => {
    const tmp = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "lebenswege-start-"));
    try {
      const file = path.join(tmp, "new", "folder", "lebenswege.db");
      const migrate = (url: string) => spawnSync("bash", ["-c", "source scripts/lib.sh && migrate_database"], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: url } });
      const ok = migrate(`file:${file}`);
      expect(ok.status, ok.stderr).toBe(0);
      const db = new Database(file, { readonly: true });
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'Case'`).get()).toEqual({ n: 1 });
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.close();
      // Before: Prisma's "External error id#0" and nothing else.
      const refused = migrate("file:/proc/no-such-folder/lebenswege.db");
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("Lebenswege cannot start: the folder of DATABASE_URL (/proc/no-such-folder) cannot be created");
      // Another process writing (a Lebenswege already running on the file): Prisma prints only "unknown variant
      // `SocketTimeout`"; the step names the cause.
      const holder = new Database(file);
      holder.exec("BEGIN IMMEDIATE");
      try {
        const busy = migrate(`file:${file}`);
        expect(busy.status).toBe(1);
        expect(busy.stderr).toContain(`Lebenswege cannot start: the database file (${file}) is in use by another process. Is Lebenswege (or its worker) already running`);
        // Only that line: not Prisma's WASM stack trace of some 40 lines before it.
        expect(busy.stderr).not.toContain("SocketTimeout");
        expect(busy.stderr.trim().split("\n")).toHaveLength(1);
      } finally {
        holder.exec("ROLLBACK");
        holder.close();
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  // Scale-out: app servers and workers started together all migrate. Prisma serializes them with an advisory lock
  // but gives up after 10 s; the later ones then failed to start while the first was still migrating.
  it.skipIf(!onPostgres)("npm start's migration step waits while another process migrates a PostgreSQL database", async () => {
    const server = new URL(process.env.DATABASE_URL!);
    const admin = new pg.Client(process.env.DATABASE_URL);
    await admin.connect();
    const name = `startup_lock_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const holder = new pg.Client(url.toString());
    await holder.connect();
    try {
      // What another instance's migration holds (the key is Prisma's, printed in its timeout message).
      await holder.query("SELECT pg_advisory_lock(72707369)");
      const child = spawn("bash", ["-c", "source scripts/lib.sh && migrate_database"], { cwd: root, env: { ...process.env, DATABASE_URL: url.toString() } });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      const exited = closed(child, 150_000);
      // Held until the step says it waits: past Prisma's own 10 s, where it failed before the fix.
      const waiting = "Another process is applying the database migrations; waiting for it";
      for (const until = Date.now() + 120_000; !output.includes(waiting) && child.exitCode === null && Date.now() < until; ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(output).toContain(waiting);
      await holder.query("SELECT pg_advisory_unlock(72707369)");
      expect(await exited, output).toBe(0);
      const migrated = await holder.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'Case'`);
      expect(migrated.rows[0].n).toBe(1);
    } finally {
      await holder.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 180_000);
});
