// The PostgreSQL pass leaves out files that cannot reach a database (ADR 0025): a file that can must never be left out.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reachesDatabase } from "./reaches-database.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

describe("which test files reach the database", () => {
  it("counts a file that reaches the database client only through modules of its own, and one that starts a process", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reaches-db-"));
    const client = path.relative(dir, path.join(root, "app/db/client.server.ts"));
    fs.writeFileSync(path.join(dir, "c.ts"), `export { db } from "${client}";\n`);
    fs.writeFileSync(path.join(dir, "b.ts"), `import { db } from "./c.ts";\nexport const b = db;\n`);
    fs.writeFileSync(path.join(dir, "a.test.ts"), `import { b } from "./b";\nimport { a } from "./a.test.ts"; // a cycle\n`);
    fs.writeFileSync(path.join(dir, "spawns.test.ts"), `import { spawn } from "node:child_process";\n`);
    fs.writeFileSync(path.join(dir, "lazy.test.ts"), `const m = await import("./b.ts");\n`);
    fs.writeFileSync(path.join(dir, "pure.test.ts"), `import { x } from "./pure.ts";\nimport { it } from "vitest";\n`);
    fs.writeFileSync(path.join(dir, "pure.ts"), `export const x = 1;\n`);
    expect(reachesDatabase(path.join(dir, "a.test.ts"))).toBe(true);
    expect(reachesDatabase(path.join(dir, "spawns.test.ts"))).toBe(true);
    expect(reachesDatabase(path.join(dir, "lazy.test.ts"))).toBe(true);
    expect(reachesDatabase(path.join(dir, "pure.test.ts"))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  it("reads the repository's own files so: routes and HTTP tests reach it, the statistics rules do not", () => {
    expect(reachesDatabase("app/transcripts/transcripts.test.ts")).toBe(true);
    expect(reachesDatabase("tests/http/access-matrix.test.ts")).toBe(true);
    expect(reachesDatabase("app/statistics/suppression.test.ts")).toBe(false);
  });
});
