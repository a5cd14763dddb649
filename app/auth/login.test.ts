import { describe, expect, it, beforeAll } from "vitest";
import { db } from "../db/client.server.ts";
import { hashPassword } from "./password.server.ts";
import { login } from "./login.server.ts";
import { getSessionUser } from "./session.server.ts";

const req = (cookie?: string) => new Request("http://localhost/x", { headers: cookie ? { cookie } : {} });

describe("login", () => {
  beforeAll(async () => {
    await db.user.create({ data: { username: "ilse", displayName: "Ilse", passwordHash: await hashPassword("correct horse battery"), roles: { create: { role: "integration_manager" } } } });
    await db.user.create({ data: { username: "gone", displayName: "Gone", active: false, passwordHash: await hashPassword("correct horse battery") } });
  });

  it("signs in with the right password and the cookie identifies the user", async () => {
    const result = await login(req(), "Ilse", "correct horse battery");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const cookie = result.cookies[0]!.split(";")[0]!;
    const user = await getSessionUser(req(cookie));
    expect(user?.username).toBe("ilse");
    expect(user?.roles).toEqual(["integration_manager"]);
  });

  it("gives the same answer for an unknown user, a wrong password and a deactivated user", async () => {
    expect(await login(req(), "nobody", "correct horse battery")).toEqual({ ok: false, reason: "failed" });
    expect(await login(req(), "ilse", "wrong")).toEqual({ ok: false, reason: "failed" });
    expect(await login(req(), "gone", "correct horse battery")).toEqual({ ok: false, reason: "failed" });
  });

  it("throttles after repeated failures, even with the right password", async () => {
    for (let i = 0; i < 5; i++) await login(req(), "ilse", "wrong");
    expect(await login(req(), "ilse", "correct horse battery")).toEqual({ ok: false, reason: "throttled" });
  });

  it("throttles guesses sent all at once as it does one after another", async () => {
    await db.user.create({ data: { username: "parallel", displayName: "Parallel", passwordHash: await hashPassword("correct horse battery") } });
    const results = await Promise.all(Array.from({ length: 12 }, () => login(req(), "parallel", "wrong guess")));
    expect(results.filter((r) => !r.ok && r.reason === "failed")).toHaveLength(5); // LOGIN_MAX_FAILURES
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(7);
    expect(await login(req(), "parallel", "correct horse battery")).toEqual({ ok: false, reason: "throttled" });
  });

  it("writes an audit entry for each attempt and the log refuses changes", async () => {
    const entries = await db.auditLog.findMany({ where: { action: { startsWith: "login." } } });
    expect(entries.length).toBeGreaterThanOrEqual(8);
    // The database refuses (SQLite reports the trigger's abort as a constraint violation).
    await expect(db.auditLog.updateMany({ data: { action: "x" } })).rejects.toThrow();
    await expect(db.auditLog.deleteMany({})).rejects.toThrow();
    const after = await db.auditLog.findMany({ where: { action: { startsWith: "login." } } });
    expect(after).toEqual(entries);
  });
});
