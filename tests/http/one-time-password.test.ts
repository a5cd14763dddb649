// A password set by someone else (an admin, npm run user:create-admin) is a one-time password (docs/decisions/0024):
// signed in with it, only /account answers (pages redirect there, resource routes refuse with 403) until the user
// has chosen their own, and after 7 days it no longer signs in. Through the real HTTP server.
import { afterAll, describe, expect, it } from "vitest";
import { ROUTE_RULES } from "../../app/permissions/route-rules.ts";
import { createTestUser, redirectTarget, startAppServer, type HttpClient } from "../support/app-server.ts";
import { dataUrl, demoSamples, rendersOwnUrl, routeUrl, sampleForm } from "../support/routes.ts";

const server = await startAppServer({ seed: { cases: 20 } });
afterAll(() => server.stop());
const admin = await server.loginAs("admin");
const loerrach = await server.db.municipality.findMany({ where: { ags: { in: ["08336050", "08336025", "08336081"] } }, select: { id: true } });

const REASON_DE = "Ihr Passwort wurde von einer Administratorin/einem Administrator vergeben. Bitte legen Sie jetzt ein eigenes fest.";
const text = async (res: Response) => (await res.text()).replace(/<!-- -->/g, "");

/** Creates a user through the admin form with a generated password, as an admin does; returns the password shown. */
async function createThroughForm(username: string): Promise<{ id: string; password: string }> {
  const res = await admin.post(`/admin/users/new?_data=${encodeURIComponent("routes/admin.users.new")}`, {
    _csrf: await admin.csrfToken(),
    username,
    displayName: `${username} (IM)`,
    passwordMode: "generate",
    roles: "integration_manager",
    municipalityIds: loerrach[0]!.id,
  });
  expect(res.status).toBe(200);
  const data = (await res.json()) as { created: { id: string; password: string } | null };
  expect(data.created?.password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
  return data.created!;
}

async function signIn(username: string, password: string): Promise<HttpClient> {
  const client = server.client();
  await client.login(username, password);
  return client;
}

async function changePassword(client: HttpClient, current: string, next: string, redirectTo = "") {
  return client.post("/account", { _csrf: await client.csrfToken(), intent: "password", currentPassword: current, newPassword: next, confirmPassword: next, redirectTo });
}

describe("first sign-in with a password an admin set", () => {
  it("opens only /account until the user has chosen their own; then every page and download answers again", async () => {
    const created = await createThroughForm("neu.im");
    const client = await signIn("neu.im", created.password);

    // The start page sends the user to the password change, which says why.
    const start = await client.follow("/");
    expect(start.chain).toEqual(["/", "/account"]);
    expect(start.res.status).toBe(200);
    expect(await text(start.res)).toContain(REASON_DE);

    // A page, its data request, a form post, a download and a script's JSON are all refused.
    const page = await client.get("/cases");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/account?redirectTo=%2Fcases");
    const data = await client.get("/cases?status=active&_data=routes%2Fcases._index");
    expect(redirectTarget(data)).toBe("/account?redirectTo=%2Fcases%3Fstatus%3Dactive");
    const post = await client.post("/cases/new", { _csrf: await client.csrfToken(), pseudonym: "X" });
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toBe("/account?redirectTo=%2Fcases%2Fnew");
    const csv = await client.get("/dashboard.csv");
    expect(csv.status).toBe(403);
    expect(csv.headers.get("content-type")).toContain("text/plain");
    expect(await csv.text()).toContain("Administratorin/einem Administrator vergeben");
    client.cookies.set("lw_lang", "en");
    expect(await (await client.get("/dashboard.csv")).text()).toContain("Your password was set by an administrator");
    client.cookies.set("lw_lang", "de");
    // No links to pages that would only send the user back.
    const root = (await (await client.get("/?_data=root")).json()) as { user: { permissions: string[] } };
    expect(root.user.permissions).toEqual([]);

    // The one-time password itself is no new password; a wrong current one is refused as before.
    const same = await changePassword(client, created.password, created.password, "/cases");
    expect(same.status).toBe(400);
    expect(await text(same)).toContain("Das neue Passwort muss sich vom bisherigen unterscheiden.");
    expect((await client.get("/cases")).status).toBe(302);

    // The change leads on to the page asked for, and everything answers again.
    const changed = await changePassword(client, created.password, "Mein-eigenes-Passwort-2026", "/cases");
    expect(changed.status).toBe(302);
    expect(changed.headers.get("location")).toBe("/cases");
    expect((await client.get("/cases")).status).toBe(200);
    const csvAfter = await client.get("/dashboard.csv");
    expect(csvAfter.status).toBe(200);
    expect(csvAfter.headers.get("content-type")).toContain("text/csv");
    const rootAfter = (await (await client.get("/?_data=root")).json()) as { user: { permissions: string[] } };
    expect(rootAfter.user.permissions).toContain("read:case:own");
    expect((await server.db.user.findUniqueOrThrow({ where: { username: "neu.im" } })).oneTimePasswordSetAt).toBeNull();

    // The one-time password no longer signs in; the own one does, straight to the pages.
    const old = await server.client().post("/login", { username: "neu.im", password: created.password });
    expect(old.status).toBe(401);
    const again = await signIn("neu.im", "Mein-eigenes-Passwort-2026");
    expect((await again.get("/cases")).status).toBe(200);

    // Both steps are in the log, without the password.
    const log = await server.db.auditLog.findMany({ where: { entityId: created.id, action: { startsWith: "user.password" } }, orderBy: { at: "asc" }, select: { action: true, detail: true } });
    expect(log.map((l) => l.action)).toEqual(["user.password.one-time", "user.password.one-time-replaced"]);
    expect(JSON.parse(log[0]!.detail!)).toMatchObject({ generated: true, validUntil: expect.stringMatching(/^\d{4}-/) });
    expect(JSON.stringify(log)).not.toContain(created.password);
  });

  it("a redirectTo elsewhere is not followed after the change", async () => {
    const created = await createThroughForm("neu.im.zwei");
    const client = await signIn("neu.im.zwei", created.password);
    const changed = await changePassword(client, created.password, "Mein-eigenes-Passwort-2026", "//evil.example/x");
    expect(changed.status).toBe(302);
    expect(changed.headers.get("location")).toBe("/");
  });

  it("a password reset by an admin is one-time again, and the user page says until when", async () => {
    const user = await createTestUser(server.db, "zurueckgesetzt", "Eigenes-Passwort-2026", ["integration_manager"], [loerrach[0]!.id]);
    expect((await (await signIn("zurueckgesetzt", "Eigenes-Passwort-2026")).get("/cases")).status).toBe(200);
    const reset = await admin.post(`/admin/users/${user.id}`, { _csrf: await admin.csrfToken(), intent: "password", passwordMode: "typed", password: "Vom-Admin-getippt-2026" });
    expect(reset.status).toBe(200);
    const page = await text(reset);
    expect(page).toContain("Das ist ein Einmalpasswort: Es gilt 7 Tage");
    expect(await text(await admin.get(`/admin/users/${user.id}`))).toMatch(/Einmalpasswort, gültig bis \d/);
    const client = await signIn("zurueckgesetzt", "Vom-Admin-getippt-2026");
    expect((await client.get("/cases")).headers.get("location")).toBe("/account?redirectTo=%2Fcases");
    const log = await server.db.auditLog.findMany({ where: { entityId: user.id, action: { startsWith: "user.password" } }, select: { action: true, detail: true } });
    expect(log.map((l) => l.action).sort()).toEqual(["user.password.one-time", "user.password.reset"]);
    expect(JSON.parse(log.find((l) => l.action === "user.password.one-time")!.detail!)).toMatchObject({ generated: false });
  });

  it("refuses a one-time password unused for more than 7 days, and says to ask an admin; a wrong one gets the usual answer", async () => {
    const created = await createThroughForm("zu.spaet");
    const day = 86_400_000;
    await server.db.user.update({ where: { id: created.id }, data: { oneTimePasswordSetAt: new Date(Date.now() - 6.9 * day) } });
    const inTime = await signIn("zu.spaet", created.password);
    expect((await inTime.get("/account")).status).toBe(200);

    await server.db.user.update({ where: { id: created.id }, data: { oneTimePasswordSetAt: new Date(Date.now() - 7.1 * day) } });
    const late = await server.client().post("/login", { username: "zu.spaet", password: created.password });
    expect(late.status).toBe(401);
    expect(late.headers.getSetCookie().some((c) => c.startsWith("lw_session="))).toBe(false);
    expect(await text(late)).toContain("Ihr Einmalpasswort ist abgelaufen. Bitte lassen Sie sich von einer Administratorin oder einem Administrator ein neues geben.");
    const wrong = await server.client().post("/login", { username: "zu.spaet", password: "falsch-falsch-falsch" });
    expect(await text(wrong)).toContain("Benutzername oder Passwort ist falsch.");
    expect(await server.db.auditLog.count({ where: { entityId: created.id, action: "login.one-time-expired" } })).toBe(1);
    expect(await text(await admin.get(`/admin/users/${created.id}`))).toMatch(/Einmalpasswort, abgelaufen am \d/);

    // A new one from an admin signs in again.
    const reset = await admin.post(`/admin/users/${created.id}`, { _csrf: await admin.csrfToken(), intent: "password", passwordMode: "typed", password: "Neu-vom-Admin-2026" });
    expect(reset.status).toBe(200);
    expect((await (await signIn("zu.spaet", "Neu-vom-Admin-2026")).get("/account")).status).toBe(200);
  });

  it("a session signed in before the 7 days ran out cannot change the password after them: same sentence as at login, audited", async () => {
    const created = await createThroughForm("spaet.gewechselt");
    const day = 86_400_000;
    await server.db.user.update({ where: { id: created.id }, data: { oneTimePasswordSetAt: new Date(Date.now() - 6.9 * day) } });
    const client = await signIn("spaet.gewechselt", created.password);
    expect((await client.get("/account")).status).toBe(200);
    const before = await server.db.user.findUniqueOrThrow({ where: { id: created.id }, select: { passwordHash: true } });

    // The session lives on (SESSION_ABSOLUTE_HOURS) while the one-time password's days run out.
    await server.db.user.update({ where: { id: created.id }, data: { oneTimePasswordSetAt: new Date(Date.now() - 7.1 * day) } });
    const refused = await changePassword(client, created.password, "Mein-eigenes-Passwort-2026", "/cases");
    expect(refused.status).toBe(403);
    expect(await text(refused)).toContain("Ihr Einmalpasswort ist abgelaufen. Bitte lassen Sie sich von einer Administratorin oder einem Administrator ein neues geben.");
    const after = await server.db.user.findUniqueOrThrow({ where: { id: created.id }, select: { passwordHash: true, oneTimePasswordSetAt: true } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.oneTimePasswordSetAt).not.toBeNull();
    expect((await client.get("/cases")).headers.get("location")).toBe("/account?redirectTo=%2Fcases");
    // Neither password signs in.
    expect((await server.client().post("/login", { username: "spaet.gewechselt", password: "Mein-eigenes-Passwort-2026" })).status).toBe(401);
    const log = await server.db.auditLog.findMany({ where: { entityId: created.id, action: { startsWith: "user.password" } }, orderBy: { id: "asc" }, select: { action: true, userId: true } });
    expect(log.map((l) => l.action)).toEqual(["user.password.one-time", "user.password.one-time-expired"]);
    expect(log[1]!.userId).toBe(created.id);
    // A wrong current password still gets the usual answer, and nothing more is logged.
    const wrong = await changePassword(client, "falsch-falsch-falsch", "Mein-eigenes-Passwort-2026");
    expect(await text(wrong)).toContain("Das aktuelle Passwort ist falsch.");
    expect(await server.db.auditLog.count({ where: { entityId: created.id, action: "user.password.one-time-expired" } })).toBe(1);

    // In English the sentence is the login's too.
    client.cookies.set("lw_lang", "en");
    const english = await changePassword(client, created.password, "Mein-eigenes-Passwort-2026");
    expect(await text(english)).toContain("Your one-time password has expired. Please ask an administrator for a new one.");
    client.cookies.set("lw_lang", "de");
  });
});

describe("no route forgets it", async () => {
  // Every role and municipality, so that nothing below is refused for lack of permission: only the one-time password.
  const all = await server.db.municipality.findMany({ select: { id: true } });
  const user = await createTestUser(server.db, "alle.rollen.einmal", "Einmal-Passwort-2026", ["admin", "researcher", "integration_manager", "commissioner"], all.map((m) => m.id));
  await server.db.user.update({ where: { id: user.id }, data: { oneTimePasswordSetAt: new Date() } });
  const client = await signIn("alle.rollen.einmal", "Einmal-Passwort-2026");
  const token = await client.csrfToken();
  const samples = await demoSamples(server.db, "im.loerrach");
  // Open during the change: the change itself, signing out, the language and keeping the session; and what is public.
  const OPEN = new Set(["routes/account", "routes/logout", "routes/set-locale", "routes/session.keepalive"]);
  const gated = server.routes.filter((r) => ROUTE_RULES[r.id] && ROUTE_RULES[r.id]!.kind !== "public" && !OPEN.has(r.id));

  const refusedAsResource = async (res: Response) => {
    const body = await res.text();
    return res.status === 403 && res.headers.get("x-password-change-required") === "1" && body.includes("vergeben") ? null : `${res.status} ${body.slice(0, 80)}`;
  };
  const sentToAccount = (res: Response) => {
    const target = redirectTarget(res);
    return target?.startsWith("/account?redirectTo=%2F") ? null : `${res.status}${target ? ` -> ${target}` : ""}`;
  };
  // The start page (where the login leads) has no page of its own but sends the user to the change.
  const START = "routes/_index";

  it("every page redirects to /account and every resource route answers 403, for GET and POST", async () => {
    expect(gated.length).toBeGreaterThan(50);
    const failures: string[] = [];
    for (const route of gated) {
      const { url } = routeUrl(route, server.routes, samples);
      if (route.hasLoader && ROUTE_RULES[route.id]!.kind !== "action-only") {
        if (route.id === START) {
          const res = await client.get(url);
          if (res.headers.get("location") !== "/account") failures.push(`GET ${url}: ${res.status} -> ${res.headers.get("location")}`);
        } else if (route.hasComponent) {
          const problem = sentToAccount(await client.get(dataUrl(url, route.id)));
          if (problem) failures.push(`data GET ${url}: ${problem}`);
          if (rendersOwnUrl(route, server.routes)) {
            const doc = await client.get(url);
            await doc.body?.cancel();
            if (sentToAccount(doc)) failures.push(`document GET ${url}: ${sentToAccount(doc)}`);
          }
        } else {
          const problem = await refusedAsResource(await client.get(url));
          if (problem) failures.push(`resource GET ${url}: ${problem}`);
        }
      }
      if (route.hasAction) {
        const target = route.index ? `${url}${url.includes("?") ? "&" : "?"}index` : url;
        const res = await client.post(target, { ...sampleForm(route.id), _csrf: token });
        const problem = route.hasComponent ? sentToAccount(res) : await refusedAsResource(res);
        if (route.hasComponent) await res.body?.cancel();
        if (problem) failures.push(`POST ${target}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    // Nothing above was done: the user still has to change the password.
    expect((await server.db.user.findUniqueOrThrow({ where: { id: user.id } })).oneTimePasswordSetAt).not.toBeNull();
  }, 120_000);

  it("the open routes answer", async () => {
    expect((await client.get("/account")).status).toBe(200);
    expect((await client.get("/session/keepalive")).status).toBe(200);
    const locale = await client.post("/set-locale", { _csrf: token, locale: "en", redirectTo: "/account" });
    expect(locale.headers.get("location")).toBe("/account");
    const logout = await client.post("/logout", { _csrf: token });
    expect(logout.status).toBe(302);
    expect((await client.get("/account")).headers.get("location")).toMatch(/^\/login/);
  });
});
