// A production install has no user (the seed makes users only for the demo district): every start says so and names
// the command, which makes an admin with a one-time password printed once and never takes over an existing account.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { verifyPassword } from "../../app/auth/password.server.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsxLoader = path.join(root, "node_modules", "tsx", "dist", "loader.mjs");

function run(script: string, args: string[] = []) {
  const result = spawnSync(process.execPath, ["--import", `file://${tsxLoader}`, path.join(root, script), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DEMO_DATA: "false" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe("the first admin of a production install", () => {
  it("the start names the command while no active admin exists; the command prints a one-time password once and refuses a taken username", async () => {
    const first = run("prisma/seed/index.ts");
    expect(first.code).toBe(0);
    expect(first.output).toContain("No active admin account exists: create one with `npm run user:create-admin -- <username>`");
    expect(await db.user.count()).toBe(0);

    const made = run("scripts/create-admin.ts", ["--", "A.Mueller", "Anna Müller"]);
    expect(made.output).toContain('Admin "a.mueller" created.');
    expect(made.code).toBe(0);
    const password = /One-time password[^:]*: (\S+)/.exec(made.output)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const user = await db.user.findUniqueOrThrow({ where: { username: "a.mueller" }, select: { id: true, displayName: true, passwordHash: true, active: true, oneTimePasswordSetAt: true, roles: { select: { role: true } } } });
    expect(user).toMatchObject({ displayName: "Anna Müller", active: true, roles: [{ role: "admin" }] });
    expect(await verifyPassword(user.passwordHash, password!)).toBe(true);
    expect(user.passwordHash).not.toContain(password!);
    // A one-time password (docs/decisions/0024): the first login leads only to choosing an own one, within 7 days.
    expect(Date.now() - user.oneTimePasswordSetAt!.getTime()).toBeLessThan(120_000);
    expect(made.output).toContain('It is valid for 7 days and only to choose your own: sign in at /login, which leads to "Mein Konto" (/account).');
    const marked = await db.auditLog.findFirstOrThrow({ where: { action: "user.password.one-time", entityId: user.id }, select: { userId: true, detail: true } });
    expect(marked.userId).toBeNull();
    expect(JSON.parse(marked.detail!)).toMatchObject({ generated: true, via: "command line" });

    const again = run("scripts/create-admin.ts", ["a.mueller"]);
    expect(again.code).toBe(1);
    expect(again.output).toContain('Cannot create the admin: the user "a.mueller" exists already.');
    expect(again.output).not.toMatch(/\n\s+at /);
    const after = await db.user.findUniqueOrThrow({ where: { username: "a.mueller" }, select: { passwordHash: true } });
    expect(after.passwordHash).toBe(user.passwordHash);

    // Never signed in: the command names --reissue, which prints a new one-time password and voids the old one.
    expect(again.output).toContain("npm run user:create-admin -- --reissue a.mueller");
    const reissued = run("scripts/create-admin.ts", ["--", "--reissue", "a.mueller"]);
    expect(reissued.code).toBe(0);
    const second = /One-time password[^:]*: (\S+)/i.exec(reissued.output)?.[1];
    expect(second).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const renewed = await db.user.findUniqueOrThrow({ where: { username: "a.mueller" }, select: { passwordHash: true, oneTimePasswordSetAt: true } });
    expect(await verifyPassword(renewed.passwordHash, second!)).toBe(true);
    expect(await verifyPassword(renewed.passwordHash, password!)).toBe(false);
    expect(renewed.oneTimePasswordSetAt!.getTime()).toBeGreaterThanOrEqual(user.oneTimePasswordSetAt!.getTime());
    // Once the admin has chosen their own password, the command line no longer resets it.
    await db.user.update({ where: { username: "a.mueller" }, data: { oneTimePasswordSetAt: null } });
    const refused = run("scripts/create-admin.ts", ["--reissue", "a.mueller"]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("has chosen their own password");
    expect((await db.user.findUniqueOrThrow({ where: { username: "a.mueller" }, select: { passwordHash: true } })).passwordHash).toBe(renewed.passwordHash);
    expect(run("scripts/create-admin.ts", ["--reissue", "b.nobody"]).output).toContain('there is no user "b.nobody"');

    const bad = run("scripts/create-admin.ts", ["Anna Müller"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("is no valid username");
    expect(await db.user.count()).toBe(1);

    expect(run("prisma/seed/index.ts").output).not.toContain("No active admin account");
  }, 120_000);
});
