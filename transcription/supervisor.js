// The embedded default (TRANSCRIPTION_WORKER=embedded): the web server starts one transcription worker as a
// child process at a lower OS priority (WHISPER_NICE), restarts it when it dies and stops it with the server.
// Plain JavaScript, because app/http/server.js runs without a TypeScript loader.
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import url from "node:url";

const here = path.dirname(url.fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** @param {{ log?: (line: string) => void, env?: NodeJS.ProcessEnv }} [options] */
export function startEmbeddedWorker(options = {}) {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line) => console.log(`[transcription] ${line}`));
  if ((env.TRANSCRIPTION_WORKER ?? "embedded") !== "embedded") return null;
  const nice = Number(env.WHISPER_NICE ?? 10);
  const loader = url.pathToFileURL(path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "loader.mjs")).href;

  /** @type {import("node:child_process").ChildProcess | null} */
  let child = null;
  let stopping = false;
  let backoffMs = 1000;
  /** @type {NodeJS.Timeout | null} */
  let restartTimer = null;

  const spawn = () => {
    const startedAt = Date.now();
    const current = fork(path.join(here, "worker-main.ts"), [], {
      execArgv: ["--import", loader],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      // The admins' queue page lists it as the app's own worker.
      env: { ...env, TRANSCRIPTION_EMBEDDED: "1" },
    });
    child = current;
    try {
      if (current.pid) os.setPriority(current.pid, Math.max(os.getPriority(current.pid), Number.isFinite(nice) ? nice : 10));
    } catch {
      // worker-main.ts lowers its own priority as well
    }
    current.on("exit", (code, signal) => {
      if (child === current) child = null;
      if (stopping) return;
      // A worker that ran a while gets a quick restart; one that dies at once is restarted ever more slowly.
      if (Date.now() - startedAt > 60_000) backoffMs = 1000;
      log(`worker exited (${signal ?? `code ${code}`}); restarting in ${Math.round(backoffMs / 1000)} s`);
      restartTimer = setTimeout(spawn, backoffMs);
      backoffMs = Math.min(backoffMs * 2, 60_000);
    });
  };
  spawn();

  const wake = () => {
    if (child?.connected) child.send({ type: "wake" }, () => undefined);
  };
  // The app's "start transcription" action calls this, so the job starts now rather than at the next poll.
  globalThis.__lebenswegeTranscriptionWake = wake;

  return {
    wake,
    get pid() {
      return child?.pid;
    },
    /** Stops the worker: its running job goes back to the queue (SIGKILL after 10 s). */
    stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      delete globalThis.__lebenswegeTranscriptionWake;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const kill = setTimeout(() => current.kill("SIGKILL"), 10_000);
        current.once("exit", () => {
          clearTimeout(kill);
          resolve(undefined);
        });
        current.kill("SIGTERM");
      });
    },
  };
}
