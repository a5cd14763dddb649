// npm start and npm run worker check the Node.js version with the range of "engines" in package.json: Node 21 (and
// 20 before 20.18) was let through although the packages are installed and tested for 20.18+ and 22+ only.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

/** ensure_node of scripts/lib.sh with a `node` on PATH that reports `version` (the real node, process.versions changed). */
function ensureNode(version: string) {
  const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), "fake-node-"));
  fs.writeFileSync(path.join(dir, "version.mjs"), `Object.defineProperty(process, "versions", { value: { ...process.versions, node: ${JSON.stringify(version)} } });\n`);
  fs.writeFileSync(path.join(dir, "node"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --import ${JSON.stringify(path.join(dir, "version.mjs"))} "$@"\n`, { mode: 0o755 });
  const result = spawnSync("bash", ["-c", "source scripts/lib.sh && ensure_node && echo accepted"], { cwd: root, env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, encoding: "utf8" });
  return result.stdout + result.stderr;
}

describe("the Node.js version check of npm start and npm run worker", () => {
  it("accepts what package.json's engines accept and refuses the rest, naming the version found", () => {
    const engines = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).engines.node;
    expect(engines).toBe(">=20.18 <21 || >=22");
    for (const ok of ["20.18.0", "20.20.2", "22.0.0", "24.3.1"]) expect(ensureNode(ok), ok).toContain("accepted");
    for (const refused of ["21.7.3", "20.17.0", "18.20.4"]) {
      const output = ensureNode(refused);
      expect(output, refused).not.toContain("accepted");
      expect(output).toContain(`Lebenswege needs Node.js 20.18 or a later 20.x, or 22 or newer (found: v${refused}).`);
    }
  });
});
