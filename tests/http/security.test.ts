// Security behaviour seen from a browser: headers, the session cookie, session expiry and ending, login
// answers and throttling, and error pages. Against the real server, with the settings a deployment uses.
import { ROUTE_RULES } from "../../app/permissions/route-rules.ts";
import { SESSION_COOKIE, createTestUser, redirectTarget, startAppServer, type AppServer } from "../support/app-server.ts";
import { dataUrl, demoSamples, paramsOf, RECORD_PARAMS, rendersOwnUrl, routeUrl } from "../support/routes.ts";
import { databaseIndependent } from "../support/passes.ts";

const IDLE_MINUTES = 5;
const ABSOLUTE_HOURS = 8;
const MAX_FAILURES = 4;
const PASSWORD = "a long test password 4711";

const server = await startAppServer({
  env: { SESSION_IDLE_MINUTES: String(IDLE_MINUTES), SESSION_ABSOLUTE_HOURS: String(ABSOLUTE_HOURS), LOGIN_MAX_FAILURES: String(MAX_FAILURES) },
});
const servers: AppServer[] = [server];
afterAll(() => Promise.all(servers.map((s) => s.stop())));

const ownCase = await demoSamples(server.db, "im.loerrach");
const municipalityId = ownCase.municipalityId;
for (const name of ["idle.user", "absolute.user", "everywhere.user", "logout.user", "known.user", "throttle.user"]) {
  await createTestUser(server.db, name, PASSWORD, ["integration_manager"], [municipalityId]);
}
// Opens nearly every page: the admin role alone reads no content (docs/decisions/0003), so every role at once.
await createTestUser(server.db, "all.roles", PASSWORD, ["admin", "researcher", "integration_manager", "commissioner"], [municipalityId]);

const directives = (csp: string) => new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
const sessionCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
const attributes = (cookie: string) => cookie.split(";").slice(1).map((a) => a.trim().toLowerCase());

// Headers, cookie attributes and error pages do not depend on the database: the SQLite pass only
// (tests/support/passes.ts). Sessions, login attempts and record lookups run in both.
describe.skipIf(databaseIndependent)("security headers", () => {
  async function assertHeaders(res: Response, label: string) {
    const csp = res.headers.get("content-security-policy");
    expect(csp, label).toBeTruthy();
    const d = directives(csp!);
    expect(d.get("frame-ancestors"), label).toEqual(["'none'"]);
    expect(d.get("object-src"), label).toEqual(["'none'"]);
    expect(d.get("base-uri"), label).toEqual(["'none'"]);
    expect(d.get("default-src"), label).toEqual(["'self'"]);
    const scriptSrc = d.get("script-src") ?? [];
    expect(scriptSrc, label).not.toContain("'unsafe-inline'");
    expect(scriptSrc, label).not.toContain("'unsafe-eval'");
    expect(scriptSrc.some((s) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(s)), label).toBe(true);
    expect(["DENY", "SAMEORIGIN"], label).toContain(res.headers.get("x-frame-options"));
    expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
    expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"], label).toContain(res.headers.get("referrer-policy"));
    expect(res.headers.get("x-powered-by"), label).toBeNull();
  }

  it("are set on pages, error pages, data requests, resources and refusals", async () => {
    const anon = server.client();
    const admin = await server.loginAs("admin");
    const cases: [string, Promise<Response>][] = [
      ["login page", anon.get("/login")],
      ["404 page", anon.get("/no-such-page")],
      ["account page", admin.get("/account")],
      ["loader data", admin.get(dataUrl("/account", "routes/account"))],
      ["health check", anon.get("/healthz")],
      ["cross-site refusal", anon.post("/login", { username: "x", password: "y" }, { origin: "https://evil.example" })],
    ];
    for (const [label, pending] of cases) {
      const res = await pending;
      await res.body?.cancel();
      await assertHeaders(res, label);
    }
  });

  it("uses a fresh CSP nonce per request, and every script element carries it", async () => {
    const admin = await server.loginAs("all.roles", { password: PASSWORD });
    const pages = ["/login", "/account", "/no-such-page"];
    // Every page of the manifest, as a user of every role (who may open nearly all): no page may add an unsigned script.
    for (const route of server.routes.filter((r) => r.hasComponent && rendersOwnUrl(r, server.routes))) {
      const { url, missing } = routeUrl(route, server.routes, ownCase);
      if (!missing.length) pages.push(url);
    }
    const seen = new Set<string>();
    for (const url of pages) {
      const client = url === "/login" ? server.client() : admin;
      const res = await client.get(url);
      const html = await res.text();
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
      expect(nonce, url).toBeTruthy();
      expect(seen.has(nonce!), `nonce reused on ${url}`).toBe(false);
      seen.add(nonce!);
      if (redirectTarget(res) || !(res.headers.get("content-type") ?? "").includes("text/html")) continue;
      const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]!);
      expect(scripts.length, url).toBeGreaterThan(0);
      for (const attrs of scripts) expect(attrs, `script without the nonce on ${url}`).toContain(`nonce="${nonce}"`);
      // CSP allows neither inline event handlers nor <style> elements: they would silently not work.
      expect(html, url).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(html, url).not.toMatch(/<style\b/i);
      expect(html, url).not.toMatch(/href\s*=\s*["']\s*javascript:/i);
    }
  });

  it("keeps everything a signed-in user receives out of caches (pages, loader data, CSV)", async () => {
    const failures: string[] = [];
    for (const username of ["admin", "im.loerrach"]) {
      const client = await server.loginAs(username);
      for (const route of server.routes.filter((r) => r.hasLoader)) {
        const { url, missing } = routeUrl(route, server.routes, ownCase);
        if (missing.length) continue;
        const urls = route.hasComponent ? [dataUrl(url, route.id), ...(rendersOwnUrl(route, server.routes) ? [url] : [])] : [url];
        for (const u of urls) {
          const res = await client.get(u);
          await res.body?.cancel();
          if (res.status === 200 && !/no-store/.test(res.headers.get("cache-control") ?? "")) {
            failures.push(`${username} GET ${u}: Cache-Control ${JSON.stringify(res.headers.get("cache-control"))}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe.skipIf(databaseIndependent)("session cookie", () => {
  it("is HttpOnly, SameSite=Lax, host-only, lives as long as the absolute limit, and is not Secure over plain http", async () => {
    const res = await server.client().post("/login", { username: "admin", password: "Demo-Admin-2025!" });
    expect(res.status).toBe(302);
    const cookie = sessionCookieOf(res)!;
    expect(cookie).toBeTruthy();
    const attrs = attributes(cookie);
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
    expect(attrs).toContain(`max-age=${ABSOLUTE_HOURS * 3600}`);
    expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);
    expect(attrs).not.toContain("secure");
  });

  it("ignores X-Forwarded-Proto unless TRUST_PROXY=true", async () => {
    const res = await server.client().post("/login", { username: "admin", password: "Demo-Admin-2025!" }, { headers: { "x-forwarded-proto": "https" } });
    expect(attributes(sessionCookieOf(res)!)).not.toContain("secure");
  });

  it("is Secure behind a trusted TLS proxy (TRUST_PROXY=true, X-Forwarded-Proto: https)", async () => {
    const proxied = await startAppServer({ databaseUrl: server.databaseUrl, seed: false, env: { TRUST_PROXY: "true" } });
    servers.push(proxied);
    const https = await proxied.client().post("/login", { username: "admin", password: "Demo-Admin-2025!" }, { headers: { "x-forwarded-proto": "https" } });
    expect(attributes(sessionCookieOf(https)!)).toContain("secure");
    const http = await proxied.client().post("/login", { username: "admin", password: "Demo-Admin-2025!" }, { headers: { "x-forwarded-proto": "http" } });
    expect(attributes(sessionCookieOf(http)!)).not.toContain("secure");
  });

  it("is Secure with SECURE_COOKIES=true, and HSTS is sent", async () => {
    const secure = await startAppServer({ databaseUrl: server.databaseUrl, seed: false, env: { SECURE_COOKIES: "true" } });
    servers.push(secure);
    const res = await secure.client().post("/login", { username: "admin", password: "Demo-Admin-2025!" });
    expect(attributes(sessionCookieOf(res)!)).toContain("secure");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
  });
});

describe("session lifetime", () => {
  const sessionsOf = async (username: string) => server.db.session.findMany({ where: { user: { username } }, select: { id: true, lastSeenAt: true } });

  it(`ends after ${IDLE_MINUTES} idle minutes, and activity keeps it alive`, async () => {
    const client = await server.loginAs("idle.user", { password: PASSWORD });
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    await server.db.session.updateMany({ where: { user: { username: "idle.user" } }, data: { lastSeenAt: minutesAgo(IDLE_MINUTES - 1) } });
    expect((await client.get("/account")).status).toBe(200);
    // The request counted as activity.
    expect((await sessionsOf("idle.user"))[0]!.lastSeenAt.getTime()).toBeGreaterThan(minutesAgo(1).getTime());

    await server.db.session.updateMany({ where: { user: { username: "idle.user" } }, data: { lastSeenAt: minutesAgo(IDLE_MINUTES + 1) } });
    const res = await client.get("/account");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Faccount");
    expect(await sessionsOf("idle.user")).toEqual([]);
  });

  it("ends at the absolute expiry even while in use", async () => {
    const client = await server.loginAs("absolute.user", { password: PASSWORD });
    const [row] = await server.db.session.findMany({ where: { user: { username: "absolute.user" } }, select: { createdAt: true, expiresAt: true } });
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(ABSOLUTE_HOURS * 3600_000);
    await server.db.session.updateMany({ where: { user: { username: "absolute.user" } }, data: { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() } });
    const res = await client.get("/account");
    expect(redirectTarget(res)).toMatch(/^\/login/);
    expect(await sessionsOf("absolute.user")).toEqual([]);
  });

  it('"logout everywhere" ends the other sessions of the user', async () => {
    const laptop = await server.loginAs("everywhere.user", { password: PASSWORD });
    const phone = await server.loginAs("everywhere.user", { password: PASSWORD });
    const colleague = await server.loginAs("logout.user", { password: PASSWORD });
    expect((await phone.get("/account")).status).toBe(200);
    const res = await laptop.post("/account", { intent: "logout-everywhere", _csrf: await laptop.csrfToken() });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login");
    expect(redirectTarget(await phone.get("/account"))).toMatch(/^\/login/);
    expect(redirectTarget(await laptop.get("/account"))).toMatch(/^\/login/);
    expect(await sessionsOf("everywhere.user")).toEqual([]);
    expect((await colleague.get("/account")).status).toBe(200);
  });

  it("logout ends the session on the server: the old cookie is worthless afterwards", async () => {
    const client = await server.loginAs("logout.user", { password: PASSWORD });
    const oldCookie = `${SESSION_COOKIE}=${client.cookies.get(SESSION_COOKIE)}`;
    const res = await client.post("/logout", { _csrf: await client.csrfToken() });
    expect(res.status).toBe(302);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    const replay = await server.client().get("/account", { cookie: oldCookie });
    expect(redirectTarget(replay)).toMatch(/^\/login/);
  });

  it("refuses a forged or tampered session cookie", async () => {
    const client = await server.loginAs("known.user", { password: PASSWORD });
    const value = client.cookies.get(SESSION_COOKIE)!;
    const tampered = value.slice(0, -2) + (value.endsWith("A") ? "BB" : "AA");
    for (const cookie of [`${SESSION_COOKIE}=${tampered}`, `${SESSION_COOKIE}=abc`, `${SESSION_COOKIE}=`]) {
      const res = await server.client().get("/account", { cookie });
      expect(redirectTarget(res), cookie).toMatch(/^\/login/);
    }
  });
});

describe("login answers", () => {
  /** The page with everything that legitimately differs per request or per typed name blanked out. */
  const normalised = (html: string, username: string) => html.replace(/nonce(=|-)"?[A-Za-z0-9+/=]+/g, "nonce").replaceAll(username, "<USERNAME>");

  it("gives the same status and page for an unknown user and a wrong password", async () => {
    const unknown = await server.client().post("/login", { username: "nobody.user", password: PASSWORD });
    const wrong = await server.client().post("/login", { username: "known.user", password: "wrong password 1234" });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(unknown.status);
    expect(sessionCookieOf(unknown)).toBeUndefined();
    expect(sessionCookieOf(wrong)).toBeUndefined();
    expect(normalised(await wrong.text(), "known.user")).toBe(normalised(await unknown.text(), "nobody.user"));
    // The same for the data request a browser with JavaScript sends.
    const unknownData = await server.client().post(dataUrl("/login", "routes/login"), { username: "nobody.user", password: PASSWORD });
    const wrongData = await server.client().post(dataUrl("/login", "routes/login"), { username: "known.user", password: "wrong password 1234" });
    expect(wrongData.status).toBe(unknownData.status);
    expect(normalised(await wrongData.text(), "known.user")).toBe(normalised(await unknownData.text(), "nobody.user"));
  });

  it(`answers 429 after ${MAX_FAILURES} failures, even to the right password, without locking out others`, async () => {
    for (let i = 0; i < MAX_FAILURES; i++) {
      const res = await server.client().post("/login", { username: "throttle.user", password: `wrong ${i}` });
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const blocked = await server.client().post("/login", { username: "throttle.user", password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(sessionCookieOf(blocked)).toBeUndefined();
    // Another account from the same address still signs in.
    expect((await server.loginAs("beauftragte")).cookies.has(SESSION_COOKIE)).toBe(true);
  });
});

describe("error pages", () => {
  const inLayout = (html: string) => {
    expect(html).toMatch(/<header class="app-header"/);
    expect(html).toMatch(/<main id="main"/);
    expect(html).toMatch(/id="error-title"/);
  };

  it.skipIf(databaseIndependent)("shows an unknown URL as the 404 page inside the layout", async () => {
    for (const client of [server.client(), await server.loginAs("admin")]) {
      for (const url of ["/does-not-exist", "/deeply/nested/does-not-exist?x=1"]) {
        const res = await client.get(url);
        expect(res.status, url).toBe(404);
        inLayout(await res.text());
      }
    }
  });

  it("shows a case id that does not exist as 404, not as a crash", async () => {
    const admin = await server.loginAs("all.roles", { password: PASSWORD });
    const manager = await server.loginAs("im.loerrach");
    for (const client of [admin, manager]) {
      const res = await client.get("/cases/does-not-exist");
      expect(res.status).toBe(404);
      inLayout(await res.text());
    }
  });

  it("answers 404 (never 500) for a wrong record id in any route of the manifest", async () => {
    const admin = await server.loginAs("all.roles", { password: PASSWORD });
    const failures: string[] = [];
    // Action-only routes (uploads) answer every GET with a redirect to their page, which itself is 404 then.
    const pages = server.routes.filter((r) => r.hasLoader && ROUTE_RULES[r.id]?.kind !== "action-only");
    for (const route of pages) {
      for (const param of paramsOf(route, server.routes).filter((p) => (RECORD_PARAMS as readonly string[]).includes(p))) {
        for (const bogus of ["does-not-exist", "' OR 1=1 --", "x".repeat(300)]) {
          const { url } = routeUrl(route, server.routes, ownCase, { [param]: bogus });
          const target = route.hasComponent ? dataUrl(url, route.id) : url;
          const res = await admin.get(target);
          await res.body?.cancel();
          if (res.status !== 404) failures.push(`${route.id} with ${param}=${JSON.stringify(bogus.slice(0, 20))}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it.skipIf(databaseIndependent)("does not leak internals on error pages", async () => {
    const res = await server.client().get("/does-not-exist");
    const html = await res.text();
    expect(html).not.toMatch(/at [\w.]+ \(|node_modules|\/work\/|prisma/i);
  });

  it.skipIf(databaseIndependent)("answers a path that is no valid URL encoding with a plain 400, also as started by npm start (development)", async () => {
    const development = await startAppServer({ seed: false, env: { NODE_ENV: "development" } });
    servers.push(development);
    for (const s of [server, development]) {
      for (const p of ["/%E0%A4%A", "/admin/indicators/%E0%A4%A"]) {
        const res = await s.client().get(p);
        expect(res.status, p).toBe(400);
        const body = await res.text();
        expect(body, p).toBe("Bad request");
      }
    }
    expect(development.output()).not.toMatch(/URIError/);
  });

  it.skipIf(databaseIndependent)("answers failing data requests and unparsable forms without message or stack, also as started by npm start (development)", async () => {
    const development = await startAppServer({ seed: false, env: { NODE_ENV: "development" } });
    servers.push(development);
    const internals = /"stack"|node_modules|build\/index\.js|\/work\/|\/tmp\/|at [\w.]+ \(/;
    for (const s of [server, development]) {
      const client = s.client();
      const requests: [string, () => Promise<Response>][] = [
        ["unknown route in _data", () => client.get("/login?_data=routes/nope")],
        ["action-less route", () => client.post("/segments?_data=routes/segments._index", { a: "b" })],
        [
          "broken multipart body",
          () => client.fetch("/login", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x", origin: s.origin }, body: "--x\r\nbroken" }),
        ],
      ];
      for (const [label, send] of requests) {
        const res = await send();
        const body = await res.text();
        expect(res.status, `${label}: ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(body, label).not.toMatch(internals);
      }
    }
  });
});
