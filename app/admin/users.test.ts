import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { getSessionUser } from "../auth/session.server.ts";
import { login } from "../auth/login.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { action as newUserAction } from "../routes/admin.users.new.tsx";
import { action as editUserAction, loader as editUserLoader } from "../routes/admin.users.$userId.tsx";
import { createUser, generatePassword, setUserActive, updateUserProfile } from "./users.server.ts";
import { makeUser, postRequest, routeArgs, signIn, type TestSession } from "./test-support.ts";
import type { Role } from "../permissions/roles.ts";

let admin: { id: string; username: string };
let session: TestSession;
let loerrach: string;
let weil: string;
const ctx = () => ({ request: null, actor: admin });

beforeAll(async () => {
  await seedReference(db);
  loerrach = (await db.municipality.findUniqueOrThrow({ where: { ags: "08336050" } })).id;
  weil = (await db.municipality.findUniqueOrThrow({ where: { ags: "08336091" } })).id;
  admin = await makeUser("chef", ["admin"]);
  session = await signIn(admin.id);
});

describe("creating users", () => {
  it("gives a field error for a taken username and creates nothing", async () => {
    await makeUser("ilse", ["researcher"]);
    const before = { users: await db.user.count(), audit: await db.auditLog.count({ where: { action: "user.create" } }) };
    const res = await newUserAction(
      routeArgs(postRequest("/admin/users/new", session, { username: "Ilse", displayName: "Another Ilse", passwordMode: "generate", roles: ["researcher"] })),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { result: { error: Record<string, string[]> }; created: unknown };
    expect(body.result.error.username).toEqual(["admin:users.usernameTaken"]);
    expect(body.created).toBeNull();
    expect(await db.user.count()).toBe(before.users);
    expect(await db.auditLog.count({ where: { action: "user.create" } })).toBe(before.audit);
  });

  it("refuses an integration manager without municipality, and municipalities for other roles", async () => {
    const res = await newUserAction(routeArgs(postRequest("/admin/users/new", session, { username: "im.neu", displayName: "IM Neu", passwordMode: "generate", roles: ["integration_manager"] })));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { result: { error: Record<string, string[]> } };
    expect(body.result.error.municipalityIds).toEqual(["admin:users.municipalityRequired"]);

    const viaModule = await createUser(ctx(), { username: "rosa", displayName: "Rosa", password: "long enough password", roles: ["researcher"], municipalityIds: [loerrach] });
    expect(viaModule).toEqual({ ok: false, fieldErrors: { municipalityIds: ["admin:users.municipalityOnlyForIm"] } });
    expect(await db.user.findUnique({ where: { username: "im.neu" } })).toBeNull();
    expect(await db.user.findUnique({ where: { username: "rosa" } })).toBeNull();
  });

  it("creates an integration manager whose generated password is shown once, works, and is never logged", async () => {
    const res = await newUserAction(
      routeArgs(postRequest("/admin/users/new", session, { username: "im.kandern", displayName: "IM Kandern", passwordMode: "generate", roles: ["integration_manager"], municipalityIds: [loerrach, weil] })),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { created: { id: string; username: string; password: string } };
    expect(body.created.username).toBe("im.kandern");
    expect(body.created.password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect((await login(new Request("http://localhost/login"), "im.kandern", body.created.password)).ok).toBe(true);

    const row = await db.user.findUniqueOrThrow({ where: { id: body.created.id }, select: { roles: true, municipalities: true, passwordHash: true } });
    expect(row.roles.map((r) => r.role)).toEqual(["integration_manager"]);
    expect(row.municipalities.map((m) => m.municipalityId).sort()).toEqual([loerrach, weil].sort());
    expect(row.passwordHash).not.toContain(body.created.password);

    const entries = await db.auditLog.findMany({ where: { entityId: body.created.id }, orderBy: { id: "asc" } });
    // A password set by an admin is a one-time password (docs/decisions/0024): logged with when it expires.
    expect(entries.map((e) => e.action)).toEqual(["user.create", "user.role.grant", "user.municipality.assign", "user.municipality.assign", "user.password.one-time", "login.success"]);
    expect(entries.slice(0, 5).every((e) => e.userId === admin.id)).toBe(true);
    const everything = await db.auditLog.findMany({ select: { detail: true } });
    expect(everything.some((e) => e.detail?.includes(body.created.password))).toBe(false);
  });

  it("with a typed password: too short is refused, a good one redirects to the new account", async () => {
    const short = await newUserAction(routeArgs(postRequest("/admin/users/new", session, { username: "bea", displayName: "Bea", passwordMode: "typed", password: "short", roles: ["commissioner"] })));
    expect(short.status).toBe(400);
    const shortBody = (await short.json()) as { result: { error: Record<string, string[]>; initialValue: Record<string, unknown> } };
    expect(shortBody.result.error.password?.[0]).toMatch(/^validation\.tooShort/);
    expect(shortBody.result.initialValue.password).toBeUndefined(); // not echoed back

    const ok = await newUserAction(routeArgs(postRequest("/admin/users/new", session, { username: "bea", displayName: "Bea", passwordMode: "typed", password: "a typed password 2025", roles: ["commissioner"] })));
    expect(ok.status).toBe(302);
    const bea = await db.user.findUniqueOrThrow({ where: { username: "bea" } });
    expect(ok.headers.get("location")).toBe(`/admin/users/${bea.id}?created=1`);
  });

  it("takes a typed password exactly as typed: spaces inside work, a space at either end or the user name is refused", async () => {
    const create = (username: string, password: string) =>
      newUserAction(routeArgs(postRequest("/admin/users/new", session, { username, displayName: username, passwordMode: "typed", password, roles: ["commissioner"] })));
    for (const [password, message] of [
      [" leading space 2025!", "validation.passwordEdgeSpace"],
      ["trailing space 2025! ", "validation.passwordEdgeSpace"],
      ["            ", "validation.passwordEdgeSpace"],
      ["my name is leerzeichen", "validation.passwordHasUsername"],
    ] as const) {
      const refused = await create("leerzeichen", password);
      expect(refused.status, JSON.stringify(password)).toBe(400);
      const body = (await refused.json()) as { result: { error: Record<string, string[]> } };
      expect(body.result.error.password?.[0], JSON.stringify(password)).toBe(message);
    }
    expect(await db.user.count({ where: { username: "leerzeichen" } })).toBe(0);

    expect((await create("leerzeichen", "two  spaces inside!")).status).toBe(302);
    expect((await login(new Request("http://localhost/login"), "leerzeichen", "two  spaces inside!")).ok).toBe(true);
    expect((await login(new Request("http://localhost/login"), "leerzeichen", "two spaces inside!")).ok).toBe(false);
  });

  it("generates distinct passwords of at least 12 characters", () => {
    const set = new Set(Array.from({ length: 50 }, generatePassword));
    expect(set.size).toBe(50);
    for (const p of set) expect(p.length).toBeGreaterThanOrEqual(12);
  });
});

describe("editing users", () => {
  it("audits role and municipality changes one by one", async () => {
    const u = await makeUser("wechsel", ["integration_manager"], { municipalityIds: [loerrach] });
    const outcome = await updateUserProfile(ctx(), u.id, { displayName: "Wechsel", roles: ["integration_manager", "researcher"], municipalityIds: [weil] });
    expect(outcome).toEqual({ ok: true, changed: true, keptTheirs: [] });
    const entries = await db.auditLog.findMany({ where: { entityId: u.id }, orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ["user.update", JSON.stringify({ fields: ["displayName"] })],
      ["user.role.grant", JSON.stringify({ role: "researcher" })],
      ["user.municipality.unassign", JSON.stringify({ municipalityId: loerrach })],
      ["user.municipality.assign", JSON.stringify({ municipalityId: weil })],
    ]);
    // Dropping the IM role while municipalities stay ticked is refused with a clear message.
    expect(await updateUserProfile(ctx(), u.id, { displayName: "Wechsel", roles: ["researcher"], municipalityIds: [weil] })).toEqual({
      ok: false,
      fieldErrors: { municipalityIds: ["admin:users.municipalityOnlyForIm"] },
    });
  });

  it("deactivating a user ends their sessions at once; reactivating lets them sign in again", async () => {
    const u = await makeUser("ausscheidend", ["researcher"]);
    const theirs = await signIn(u.id);
    await signIn(u.id); // a second device
    const asThem = () => getSessionUser(new Request("http://localhost/dashboard", { headers: { cookie: theirs.cookie } }));
    expect((await asThem())?.username).toBe("ausscheidend");

    const res = await editUserAction(routeArgs(postRequest(`/admin/users/${u.id}`, session, { intent: "deactivate" }), { userId: u.id }));
    expect(res.status).toBe(200);
    expect(await db.session.count({ where: { userId: u.id } })).toBe(0);
    expect(await asThem()).toBeNull();
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "user.deactivate", entityId: u.id } });
    expect(JSON.parse(entry.detail!)).toEqual({ sessionsEnded: 2 });
    expect((await login(new Request("http://localhost/login"), "ausscheidend", "ausscheidend-password-123")).ok).toBe(false);

    expect(await setUserActive(ctx(), u.id, true)).toEqual({ ok: true });
    expect((await login(new Request("http://localhost/login"), "ausscheidend", "ausscheidend-password-123")).ok).toBe(true);
    expect(await db.auditLog.count({ where: { action: "user.reactivate", entityId: u.id } })).toBe(1);
  });

  it("a password reset ends the user's sessions and never logs the password", async () => {
    const u = await makeUser("vergesslich", ["commissioner"]);
    const theirs = await signIn(u.id);
    const res = await editUserAction(routeArgs(postRequest(`/admin/users/${u.id}`, session, { intent: "password", passwordMode: "typed", password: "brand new password 42" }), { userId: u.id }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { password: string | null; saved: boolean };
    expect(body).toMatchObject({ saved: true, password: null });
    expect(await getSessionUser(new Request("http://localhost/", { headers: { cookie: theirs.cookie } }))).toBeNull();
    expect((await login(new Request("http://localhost/login"), "vergesslich", "brand new password 42")).ok).toBe(true);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "user.password.reset", entityId: u.id } });
    expect(entry.detail).not.toContain("brand new");
    expect(JSON.parse(entry.detail!)).toEqual({ generated: false, sessionsEnded: 1 });

    // A typed reset password follows the same rules as a new account's.
    const refused = await editUserAction(routeArgs(postRequest(`/admin/users/${u.id}`, session, { intent: "password", passwordMode: "typed", password: "Vergesslich-2025-neu" }), { userId: u.id }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { result: { error: Record<string, string[]> } }).result.error.password).toEqual(["validation.passwordHasUsername"]);
  });

  it("counts only sessions still open, and shows failed logins on the account with a link to its log", async () => {
    const u = await makeUser("vielbeschaeftigt", ["researcher"]);
    await signIn(u.id);
    const stale = await signIn(u.id);
    const expired = await signIn(u.id);
    const sessionIds = (await db.session.findMany({ where: { userId: u.id }, select: { id: true }, orderBy: { createdAt: "asc" } })).map((s) => s.id);
    expect(sessionIds).toHaveLength(3);
    // One idle past the limit, one past its absolute expiry: both are refused already, so neither counts as open.
    await db.session.update({ where: { id: sessionIds[1]! }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    await db.session.update({ where: { id: sessionIds[2]! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (let i = 0; i < 2; i++) await login(new Request("http://localhost/login"), "vielbeschaeftigt", "not the password at all");
    await login(new Request("http://localhost/login"), "niemand-sonst", "not the password at all");

    const page = await editUserLoader(routeArgs(new Request(`http://localhost/admin/users/${u.id}`, { headers: { cookie: session.cookie } }), { userId: u.id }));
    const { user } = (await page.json()) as { user: { sessionCount: number; failedLogins: number } };
    expect(user).toMatchObject({ sessionCount: 1, failedLogins: 2 });
    expect(await db.auditLog.count({ where: { action: "login.failed", entity: "user", entityId: u.id } })).toBe(2);
    for (const s of [stale, expired]) expect(await getSessionUser(new Request("http://localhost/", { headers: { cookie: s.cookie } }))).toBeNull();

    const res = await editUserAction(routeArgs(postRequest(`/admin/users/${u.id}`, session, { intent: "deactivate" }), { userId: u.id }));
    expect(res.status).toBe(200);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "user.deactivate", entityId: u.id } });
    expect(JSON.parse(entry.detail!)).toEqual({ sessionsEnded: 1 });
  });

  it("an unknown user id is a 404", async () => {
    await expect(editUserAction(routeArgs(postRequest("/admin/users/nope", session, { intent: "deactivate" }), { userId: "nope" }))).rejects.toMatchObject({ status: 404 });
  });
});

describe("the last admin cannot lock themselves out", () => {
  it("refuses removing one's own admin role and deactivating oneself, and changes nothing", async () => {
    const before = await db.auditLog.count();
    const res = await editUserAction(routeArgs(postRequest(`/admin/users/${admin.id}`, session, { intent: "profile", displayName: "Chef", roles: ["researcher"] }), { userId: admin.id }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { result: { error: Record<string, string[]> } };
    expect(body.result.error.roles).toEqual(["admin:users.ownAdminRole"]);

    const deactivate = await editUserAction(routeArgs(postRequest(`/admin/users/${admin.id}`, session, { intent: "deactivate" }), { userId: admin.id }));
    expect(deactivate.status).toBe(400);
    expect(((await deactivate.json()) as { status: { formErrors: string[] } }).status.formErrors).toEqual(["admin:users.cannotDeactivateSelf"]);

    const row = await db.user.findUniqueOrThrow({ where: { id: admin.id }, select: { active: true, displayName: true, roles: { select: { role: true } } } });
    expect(row).toEqual({ active: true, displayName: "CHEF", roles: [{ role: "admin" }] });
    expect(await db.auditLog.count()).toBe(before);
    expect(await getSessionUser(new Request("http://localhost/", { headers: { cookie: session.cookie } }))).not.toBeNull();
  });

  it("merges a profile saved meanwhile by another admin: a role revoked meanwhile is not granted again by a form that still showed it", async () => {
    const u = await makeUser("zwei.admins", ["integration_manager", "researcher"], { municipalityIds: [loerrach] });
    const loaded = { displayName: "ZWEI.ADMINS", roles: ["integration_manager", "researcher"] as Role[], municipalityIds: [loerrach] };
    // The other admin revokes the researcher role; this one, from the older page, only adds Weil am Rhein.
    await updateUserProfile(ctx(), u.id, { ...loaded, roles: ["integration_manager"] }, loaded);
    const merged = await updateUserProfile(ctx(), u.id, { ...loaded, municipalityIds: [loerrach, weil] }, loaded);
    expect(merged).toEqual({ ok: true, changed: true, keptTheirs: ["roles"] });
    const roles = await db.userRole.findMany({ where: { userId: u.id }, select: { role: true } });
    expect(roles.map((r) => r.role)).toEqual(["integration_manager"]);
    expect((await db.userMunicipality.findMany({ where: { userId: u.id }, select: { municipalityId: true } })).map((m) => m.municipalityId).sort()).toEqual([loerrach, weil].sort());
  });

  it("refuses a display name both admins changed, through the page, and bases the next save on the newer name", async () => {
    const u = await makeUser("namens.wechsel", ["researcher"]);
    const post = (fields: Record<string, string | string[]>) => editUserAction(routeArgs(postRequest(`/admin/users/${u.id}`, session, { intent: "profile", roles: ["researcher"], "base-displayName": "NAMENS.WECHSEL", "base-roles": "researcher", "base-municipalityIds": "", ...fields }), { userId: u.id }));
    await updateUserProfile(ctx(), u.id, { displayName: "Dr. Namens", roles: ["researcher"], municipalityIds: [] });
    const res = await post({ displayName: "Namens, Ana" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { result: { error: Record<string, string[]> }; base: { displayName: string } };
    expect(body.result.error.displayName).toEqual(["admin:users.nameChangedMeanwhile"]);
    expect(body.base.displayName).toBe("Dr. Namens");
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).displayName).toBe("Dr. Namens");
    expect((await post({ displayName: "Namens, Ana", "base-displayName": body.base.displayName })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).displayName).toBe("Namens, Ana");
  });

  it("keeps one active admin when two admins revoke each other at the same moment", async () => {
    const second = await makeUser("zweit.admin", ["admin"]);
    await makeUser("alt.admin", ["admin"], { active: false }); // an inactive admin does not count
    expect(await updateUserProfile(ctx(), second.id, { displayName: "ZWEIT.ADMIN", roles: ["researcher"], municipalityIds: [] })).toEqual({ ok: true, changed: true, keptTheirs: [] });
    // The second admin's request was authorised before the revocation above landed.
    const late = await updateUserProfile({ request: null, actor: second }, admin.id, { displayName: "CHEF", roles: ["researcher"], municipalityIds: [] });
    expect(late).toEqual({ ok: false, fieldErrors: { roles: ["admin:users.lastAdmin"] } });
    expect(await db.userRole.count({ where: { userId: admin.id, role: "admin" } })).toBe(1);
  });
});
