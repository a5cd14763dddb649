// Walks every route of the build for every role and anonymous, and checks the answers against the access
// contract in app/permissions/route-rules.ts. New routes are covered as soon as they are built.
import { permissionsOf, type Role } from "../../app/permissions/roles.ts";
import { ROUTE_RULES, type RouteRule } from "../../app/permissions/route-rules.ts";
import { redirectTarget, startAppServer, type HttpClient, type RouteInfo } from "../support/app-server.ts";
import { chainOf, dataUrl, demoSamples, paramsOf, rendersOwnUrl, routeUrl, sampleForm, type Samples } from "../support/routes.ts";
import { counsellingCaseScope, type Grant } from "../../app/permissions/permissions.server.ts";
import { researchCaseWhere } from "../../app/cases/cases.server.ts";

type Who = { label: string; username: string | null; role: Role | null };
const WHO: Who[] = [
  { label: "anonymous", username: null, role: null },
  { label: "admin", username: "admin", role: "admin" },
  { label: "researcher", username: "forschung", role: "researcher" },
  { label: "integration_manager", username: "im.loerrach", role: "integration_manager" },
  { label: "commissioner", username: "beauftragte", role: "commissioner" },
];

const server = await startAppServer();
afterAll(() => server.stop());

const clients = new Map<string, HttpClient>();
for (const who of WHO) clients.set(who.label, who.username ? await server.loginAs(who.username) : server.client());

// Pass 1: records of im.loerrach's municipalities. Pass 2: records of im.weil's, which im.loerrach must not find.
const passes: { name: string; samples: Samples; other: boolean }[] = [
  { name: "own municipality", samples: await demoSamples(server.db, "im.loerrach"), other: false },
  { name: "other municipality", samples: await demoSamples(server.db, "im.weil"), other: true },
];

// Permissions with access "linked" (researchers: timeline and notes) reach only cases whose person consented to
// linking; the matrix asks the database which sample cases are such, and expects 404 for the others.
// Who reads no register (researchers) knows a case only from its interviews: a sample case without one is 404.
const linkedCases = new Set<string>();
const interviewedCases = new Set<string>();
for (const pass of passes) {
  const linkedScope = counsellingCaseScope({ access: "linked" } as Grant);
  if (await server.db.case.count({ where: { AND: [{ id: pass.samples.caseId }, linkedScope] } })) linkedCases.add(pass.samples.caseId);
  if (await server.db.case.count({ where: { AND: [{ id: pass.samples.caseId }, researchCaseWhere] } })) interviewedCases.add(pass.samples.caseId);
}

const routes = server.routes;
const withRule = routes.filter((r) => ROUTE_RULES[r.id]);

type Expectation = "allowed" | "forbidden" | "login" | "unauthorized" | "not-found" | "public" | "redirect";

type CaseState = { linked: boolean; interviewed: boolean } | null;

function expectationFor(rule: RouteRule, who: Who, otherScope: boolean, caseState: CaseState = null): Expectation {
  switch (rule.kind) {
    case "public":
      return "public";
    case "action-only":
      return "redirect";
    case "signed-in":
      return who.role ? "allowed" : rule.script ? "unauthorized" : "login";
    case "permission": {
      if (!who.role) return rule.script ? "unauthorized" : "login";
      const granted = rule.anyOf.filter((p) => permissionsOf([who.role!]).has(p));
      if (!granted.length) return "forbidden";
      // Scope is limited to own municipalities: a record elsewhere does not exist for this user.
      if (otherScope && !granted.some((p) => p.endsWith(":any"))) return "not-found";
      if (caseState && !caseState.linked && granted.every((p) => p.endsWith(":linked"))) return "not-found";
      const readsRegister = ["read:case:any", "read:case:own"].some((p) => permissionsOf([who.role!]).has(p));
      if (caseState && !caseState.interviewed && !readsRegister) return "not-found";
      return "allowed";
    }
  }
}

/** For routes under a case: whether that sample case is linked and has an interview (null for other routes). */
function caseStateFor(route: RouteInfo, samples: Samples): CaseState {
  return paramsOf(route, routes).includes("caseId") ? { linked: linkedCases.has(samples.caseId), interviewed: interviewedCases.has(samples.caseId) } : null;
}

/** A document request runs every loader of the chain: the strictest answer wins. */
function documentExpectation(route: RouteInfo, who: Who, other: boolean, samples: Samples): Expectation {
  const own = chainOf(route, routes)
    .filter((r) => r.hasLoader && ROUTE_RULES[r.id])
    .map((r) => expectationFor(ROUTE_RULES[r.id]!, who, other && routeUrl(r, routes, samples).scoped, caseStateFor(r, samples)));
  if (own.includes("login")) return "login";
  // Remix renders the error of the loader nearest the root: a layout's 404 hides a child's 403.
  const failure = own.find((e) => e === "forbidden" || e === "not-found");
  if (failure) return failure;
  for (const e of ["redirect", "allowed"] as const) if (own.includes(e)) return e;
  return "public";
}

/** null when the answer fits the expectation, else what went wrong. */
async function check(client: HttpClient, url: string, expected: Expectation): Promise<string | null> {
  const res = await client.get(url);
  const target = redirectTarget(res);
  const got = `${res.status}${target ? ` -> ${target}` : ""}`;
  const body = await res.text();
  if (res.status >= 500) return `${got} (server error: ${body.slice(0, 200).replace(/\s+/g, " ")})`;
  switch (expected) {
    case "public":
      return res.status === 401 || res.status === 403 ? got : null;
    case "redirect":
      return target ? null : got;
    case "login":
      return target?.startsWith("/login") ? null : got;
    case "unauthorized":
      return res.status === 401 && !target ? null : got;
    case "forbidden":
      return res.status === 403 ? null : got;
    case "not-found":
      return res.status === 404 ? null : got;
    case "allowed": {
      if (res.status === 200 && !target) return null;
      if (!target) return got;
      // A redirect is fine when it lands on a page this user may see.
      const { res: final, chain } = await client.follow(target);
      await final.body?.cancel();
      const landed = new URL(chain.at(-1)!, server.origin).pathname;
      return final.status === 200 && landed !== "/login" ? null : `${got} -> ... ${chain.at(-1)} ${final.status}`;
    }
  }
}

describe("route manifest", () => {
  it("has an access rule for every route", () => {
    const missing = routes.map((r) => r.id).filter((id) => !ROUTE_RULES[id]);
    expect(missing, "routes without a rule in app/permissions/route-rules.ts").toEqual([]);
  });

  it("has sample values for every route param", () => {
    const missing = routes.flatMap((r) => routeUrl(r, routes, passes[0]!.samples).missing.map((p) => `${r.id}: ${p}`));
    expect(missing, "add a sample value in tests/support/routes.ts").toEqual([]);
  });
});

describe("GET: every route answers each role as its rule says", () => {
  for (const route of withRule.filter((r) => r.hasLoader)) {
    const rule = ROUTE_RULES[route.id]!;
    it(`${route.id} (${rule.kind === "permission" ? rule.anyOf.join(" | ") : rule.kind})`, async () => {
      const failures: string[] = [];
      for (const pass of passes) {
        const { url, scoped } = routeUrl(route, routes, pass.samples);
        const docScoped = chainOf(route, routes).some((r) => routeUrl(r, routes, pass.samples).scoped);
        if (pass.other && !docScoped) continue; // nothing depends on the municipality
        for (const who of WHO) {
          const client = clients.get(who.label)!;
          const requests: { kind: string; url: string; expected: Expectation }[] = [];
          if (route.hasComponent) {
            requests.push({ kind: "data", url: dataUrl(url, route.id), expected: expectationFor(rule, who, pass.other && scoped, caseStateFor(route, pass.samples)) });
            if (rendersOwnUrl(route, routes)) requests.push({ kind: "document", url, expected: documentExpectation(route, who, pass.other, pass.samples) });
          } else {
            requests.push({ kind: "resource", url, expected: expectationFor(rule, who, pass.other && scoped, caseStateFor(route, pass.samples)) });
          }
          for (const r of requests) {
            const problem = await check(client, r.url, r.expected);
            if (problem) failures.push(`${who.label} ${r.kind} GET ${r.url} [${pass.name}]: expected ${r.expected}, got ${problem}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

describe("POST: forms need the session's CSRF token and a same-site origin", () => {
  const signedIn = WHO.filter((w) => w.username);
  for (const route of withRule.filter((r) => r.hasAction)) {
    const rule = ROUTE_RULES[route.id]!;
    it(`${route.id}`, async () => {
      const { url } = routeUrl(route, routes, passes[0]!.samples);
      const target = route.index ? `${url}${url.includes("?") ? "&" : "?"}index` : url;
      const form = sampleForm(route.id);
      const failures: string[] = [];
      const expect403 = async (label: string, res: Promise<Response>) => {
        const r = await res;
        await r.body?.cancel();
        if (r.status !== 403) failures.push(`${label} POST ${target}: expected 403, got ${r.status}${redirectTarget(r) ? ` -> ${redirectTarget(r)}` : ""}`);
      };
      // The login form has no session yet; the Origin check below is its guard.
      if (rule.kind !== "public") {
        for (const who of signedIn) await expect403(`${who.label} without CSRF token`, clients.get(who.label)!.post(target, form));
      }
      for (const label of ["anonymous", "admin"]) {
        const client = clients.get(label)!;
        await expect403(`${label} from another site (Origin)`, client.post(target, form, { origin: "https://evil.example" }));
        await expect403(`${label} from another site (Origin: null)`, client.post(target, form, { origin: "null" }));
        await expect403(`${label} from another site (Sec-Fetch-Site)`, client.post(target, form, { origin: null, headers: { "sec-fetch-site": "cross-site" } }));
      }
      expect(failures).toEqual([]);
    });
  }

  it("accepts the same kind of POST with the token (so the 403s above come from the token check)", async () => {
    const admin = clients.get("admin")!;
    const without = await admin.post("/set-locale", { locale: "de", redirectTo: "/account" });
    expect(without.status).toBe(403);
    // A token is bound to its session: another user's token does not work.
    const foreign = await admin.post("/set-locale", { locale: "de", redirectTo: "/account", _csrf: await clients.get("integration_manager")!.csrfToken() });
    expect(foreign.status).toBe(403);
    const res = await admin.post("/set-locale", { locale: "de", redirectTo: "/account", _csrf: await admin.csrfToken() });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
  });
});
