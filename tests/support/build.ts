// vitest globalSetup: builds the app once per run (so HTTP tests never see a stale build) and hands the
// workers a private copy of the server bundle, so a rebuild by someone else during the run changes nothing.
// SKIP_BUILD=1 uses the existing build/index.js as it is.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
let copyDir: string | undefined;

export async function setup() {
  if (process.env.TEST_BUILD_PATH) return; // an outer runner prepared one
  if (process.env.SKIP_BUILD !== "1") {
    const started = Date.now();
    const build = () => spawnSync("npx", ["remix", "build"], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    let r = build();
    // A second try covers a build that ran at the same moment in another terminal (both empty public/build).
    if (r.status !== 0) r = build();
    if (r.status !== 0) throw new Error(`npx remix build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    console.log(`[tests] remix build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const built = path.join(root, "build", "index.js");
  if (!fs.existsSync(built)) throw new Error("build/index.js is missing: run npx remix build (or unset SKIP_BUILD)");
  // Inside the project so that the bundle's bare imports still resolve from node_modules.
  removeStaleCopies();
  copyDir = path.join(root, ".cache", `test-build-${crypto.randomBytes(4).toString("hex")}`);
  fs.mkdirSync(copyDir, { recursive: true });
  fs.copyFileSync(built, path.join(copyDir, "index.js"));
  process.env.TEST_BUILD_PATH = path.join(copyDir, "index.js");
}

export async function teardown() {
  if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true });
}

/** Copies left by runs that were killed before their teardown. */
function removeStaleCopies() {
  const cache = path.join(root, ".cache");
  if (!fs.existsSync(cache)) return;
  for (const name of fs.readdirSync(cache)) {
    const dir = path.join(cache, name);
    if (name.startsWith("test-build-") && Date.now() - fs.statSync(dir).mtimeMs > 24 * 3600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}
