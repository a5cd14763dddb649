// SQLite (embedded default) and PostgreSQL (scale-out) have their own Prisma schema and migrations, but one
// data model: the app uses the SQLite client's types for both. These checks keep the two in step, and the
// migrations in step with the schema.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const read = (p: string) => fs.readFileSync(path.join(root, p), "utf8");
const prisma = path.join(root, "node_modules", ".bin", "prisma");

/** Removes // comments (outside string literals). */
function stripComments(source: string): string {
  return source
    .split("\n")
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '"' && line[i - 1] !== "\\") inString = !inString;
        if (!inString && line[i] === "/" && line[i + 1] === "/") return line.slice(0, i);
      }
      return line;
    })
    .join("\n");
}

type Block = { kind: string; name: string; lines: string[] };

/** model / enum / view / type blocks, each line whitespace-normalised; generator and datasource are left out. */
function parseSchema(source: string): Map<string, Block> {
  const blocks = new Map<string, Block>();
  const re = /^\s*(model|enum|view|type)\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm;
  for (const m of stripComments(source).matchAll(re)) {
    const lines = m[3]!
      .split("\n")
      .map((l) => l.trim().replace(/\s+/g, " "))
      .filter(Boolean);
    blocks.set(`${m[1]} ${m[2]}`, { kind: m[1]!, name: m[2]!, lines });
  }
  return blocks;
}

function diffBlocks(a: Map<string, Block>, b: Map<string, Block>): string[] {
  const problems: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    if (!x || !y) {
      problems.push(`${key} only in ${x ? "sqlite" : "postgres"}`);
      continue;
    }
    const before = problems.length;
    const left = new Set(x.lines);
    const right = new Set(y.lines);
    for (const l of left) if (!right.has(l)) problems.push(`${key}: sqlite has "${l}", postgres does not`);
    for (const l of right) if (!left.has(l)) problems.push(`${key}: postgres has "${l}", sqlite does not`);
    if (problems.length === before && x.lines.join("\n") !== y.lines.join("\n")) problems.push(`${key}: same fields in a different order`);
  }
  return problems;
}

const migrationNames = (flavour: string) =>
  fs
    .readdirSync(path.join(root, "prisma", flavour, "migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

function migrateDiff(args: string[], env: Record<string, string>) {
  const r = spawnSync(prisma, ["migrate", "diff", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe("the SQLite and PostgreSQL schemas", () => {
  const sqlite = parseSchema(read("prisma/sqlite/schema.prisma"));
  const postgres = parseSchema(read("prisma/postgres/schema.prisma"));

  it("describe the same models, fields, types and attributes", () => {
    expect(sqlite.size).toBeGreaterThan(10);
    expect(diffBlocks(sqlite, postgres)).toEqual([]);
  });

  it("would notice a difference (the parser reads fields and attributes)", () => {
    const changed = parseSchema(read("prisma/postgres/schema.prisma").replace(/(\n\s*username\s+String\s+)@unique/, "$1"));
    expect(diffBlocks(sqlite, changed)).toEqual([
      'model User: sqlite has "username String @unique", postgres does not',
      'model User: postgres has "username String", sqlite does not',
    ]);
    const user = sqlite.get("model User")!;
    expect(user.lines).toContain("id String @id @default(cuid())");
    expect(sqlite.get("model UserRole")!.lines).toContain("@@id([userId, role])");
  });

  it("have migrations of the same names, each for its provider", () => {
    const names = migrationNames("sqlite");
    expect(names.length).toBeGreaterThan(0);
    expect(migrationNames("postgres")).toEqual(names);
    expect(read("prisma/sqlite/migrations/migration_lock.toml")).toMatch(/provider = "sqlite"/);
    expect(read("prisma/postgres/migrations/migration_lock.toml")).toMatch(/provider = "postgresql"/);
  });
});

describe("migrations against the schema (prisma migrate diff)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lebenswege-diff-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // The config opens its adapter on DATABASE_URL even for a diff: give it a throwaway file.
  const sqliteEnv = { DATABASE_URL: `file:${path.join(tmp, "diff.db")}` };

  // The SQLite checks need no server: the SQLite pass runs them (the PostgreSQL pass would repeat them).
  const sqlitePass = process.env.TEST_DATABASE !== "postgres";
  it.runIf(sqlitePass)("SQLite: the migrations produce exactly the schema (no drift)", () => {
    const r = migrateDiff(["--from-migrations", "prisma/sqlite/migrations", "--to-schema-datamodel", "prisma/sqlite/schema.prisma", "--exit-code", "--config", "prisma/sqlite.config.ts"], sqliteEnv);
    expect(r.output).toMatch(/No difference detected/);
    expect(r.status, r.output).toBe(0);
  });

  it.runIf(sqlitePass)("SQLite: a schema change without a migration is reported as drift (the check can fail)", () => {
    const changed = path.join(tmp, "changed.prisma");
    fs.writeFileSync(changed, read("prisma/sqlite/schema.prisma").replace(/(\n\s*displayName\s+String\n)/, "$1  nickname String?\n"));
    const r = migrateDiff(["--from-migrations", "prisma/sqlite/migrations", "--to-schema-datamodel", changed, "--exit-code", "--config", "prisma/sqlite.config.ts"], sqliteEnv);
    expect(r.status, r.output).toBe(2);
    expect(r.output).toMatch(/nickname/);
  });

  // Needs a PostgreSQL server (the shadow database): runs with TEST_DATABASE=postgres.
  it.runIf(process.env.TEST_PG_ADMIN_URL)("PostgreSQL: the migrations produce exactly the schema (no drift)", () => {
    const r = migrateDiff(
      ["--from-migrations", "prisma/postgres/migrations", "--to-schema-datamodel", "prisma/postgres/schema.prisma", "--exit-code", "--config", "prisma/postgres.config.ts"],
      { DATABASE_URL: process.env.TEST_PG_ADMIN_URL! },
    );
    expect(r.output).toMatch(/No difference detected/);
    expect(r.status, r.output).toBe(0);
  }, 120_000);
});
