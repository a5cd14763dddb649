// The app as the benchmarks run it: built afresh (an old build/ would measure old code; SKIP_BUILD=1 when build/ is
// known to be current) and started as `npm start` would, on a free port of 127.0.0.1, with the caller's settings.
import { execFileSync, fork } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

export function buildApp() {
  if (process.env.SKIP_BUILD !== "1" || !fs.existsSync(path.join(root, "build", "index.js"))) {
    execFileSync("npx", ["remix", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts app/http/server.js in production mode; its output is collected (for error messages and readiness). */
export async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const server = fork(path.join(root, "app", "http", "server.js"), [], {
    cwd: root,
    execArgv: [],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DEMO_DATA: "false", ...env },
  });
  const state = { output: "" };
  server.stdout!.on("data", (d: Buffer) => (state.output += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (state.output += d.toString()));
  process.on("exit", () => server.kill("SIGKILL"));
  return { server, origin: `http://127.0.0.1:${port}`, output: () => state.output };
}
