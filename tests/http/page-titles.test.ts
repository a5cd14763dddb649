// Page titles follow the page's language (WCAG 2.4.2: a title says where one is, also in a list of tabs or to a
// screen reader). Every page of the build is requested in English and in German by each role; no part of a title
// (split at " – ") may be a text the locale files have only in the other language. Twelve routes had German titles
// written into their code, so an English page was still called "Suche" or "Neues Memo".
import { resources } from "../../app/i18n/resources.ts";
import { startAppServer, type AppServer, type HttpClient } from "../support/app-server.ts";
import { demoSamples, routeUrl, type Samples } from "../support/routes.ts";

// Titles come from the locale files, not the database: checked in the SQLite pass (about 25 s a pass); every page's
// loader runs on PostgreSQL in the access matrix.
const onPostgres = process.env.TEST_DATABASE === "postgres";
const server = onPostgres ? (null as unknown as AppServer) : await startAppServer();
afterAll(() => server?.stop());

const stringsOf = (lang: "de" | "en") => {
  const out = new Set<string>();
  const walk = (a: unknown) => (typeof a === "string" ? out.add(a) : a && typeof a === "object" ? Object.values(a).forEach(walk) : undefined);
  walk(resources[lang]);
  return out;
};

/**
 * Every string of one language that the other language has nowhere (placeholders left out): "Suche" counts,
 * "Narrative" does not (German plural, English singular).
 */
function onlyIn(lang: "de" | "en"): Set<string> {
  const other = stringsOf(lang === "de" ? "en" : "de");
  return new Set([...stringsOf(lang)].filter((s) => !other.has(s) && !s.includes("{{") && s.length >= 3));
}

const samples = onPostgres ? ({} as Samples) : await demoSamples(server.db, "im.loerrach");
const pages = onPostgres ? [] : server.routes.filter((r) => r.hasComponent && r.hasLoader);

async function titlesIn(client: HttpClient): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  for (const route of pages) {
    const { url, missing } = routeUrl(route, server.routes, samples);
    if (missing.length) continue;
    const { res } = await client.follow(url);
    const html = await res.text();
    if (res.status !== 200 || !res.headers.get("content-type")?.includes("text/html")) continue;
    titles.set(url, html.match(/<title>([^<]*)<\/title>/)?.[1] ?? "(no title)");
  }
  return titles;
}

/** The title of a path, whatever query the sample URL carries. */
const titleOf = (titles: Map<string, string>, path: string) => [...titles].find(([url]) => url === path || url.startsWith(`${path}?`))?.[1];

describe.skipIf(onPostgres)("page titles", () => {
  for (const username of ["admin", "forschung", "im.loerrach", "beauftragte"]) {
    it(`are in the page's language for ${username}`, async () => {
      const client = await server.loginAs(username);
      for (const lang of ["en", "de"] as const) {
        client.cookies.set("lw_lang", lang);
        const foreign = onlyIn(lang === "en" ? "de" : "en");
        const titles = await titlesIn(client);
        expect(titles.size).toBeGreaterThan(3);
        const wrong = [...titles].filter(([, title]) => title.split(" – ").some((part) => foreign.has(part)));
        expect(wrong, `${lang}: titles in the other language`).toEqual([]);
      }
    });
  }

  it("name the page, in English and German (the check above reads real titles)", async () => {
    const client = await server.loginAs("forschung");
    client.cookies.set("lw_lang", "en");
    expect(titleOf(await titlesIn(client), "/search")).toBe("Search – Lebenswege");
    client.cookies.set("lw_lang", "de");
    expect(titleOf(await titlesIn(client), "/memos/new")).toBe("Neues Memo – Lebenswege");
  });

  it("name the tab of a case or an interview before the record, and an administration page's section, so each has its own title", async () => {
    const client = await server.loginAs("im.loerrach");
    client.cookies.set("lw_lang", "en");
    const titles = await titlesIn(client);
    const pseudonym = (await server.db.case.findUniqueOrThrow({ where: { id: samples.caseId }, select: { pseudonym: true } })).pseudonym;
    expect(titleOf(titles, `/cases/${samples.caseId}`)).toBe(`${pseudonym} – Lebenswege`);
    expect(titleOf(titles, `/cases/${samples.caseId}/identity`)).toBe(`Identity – ${pseudonym} – Lebenswege`);
    expect(titleOf(titles, `/cases/${samples.caseId}/snapshots`)).toBe(`Indicators – ${pseudonym} – Lebenswege`);
    const caseTabs = [...titles].filter(([url]) => new RegExp(`^/cases/${samples.caseId}(/[a-z]+)?(\\?|$)`).test(url)).map(([, title]) => title);
    expect(caseTabs.length).toBeGreaterThan(6);
    expect(new Set(caseTabs).size).toBe(caseTabs.length);

    const researcher = await server.loginAs("forschung");
    researcher.cookies.set("lw_lang", "de");
    const code = (await server.db.interview.findUniqueOrThrow({ where: { id: samples.interviewId }, select: { code: true } })).code;
    const german = await titlesIn(researcher);
    expect(titleOf(german, `/interviews/${samples.interviewId}/consent`)).toBe(`Einwilligung – ${code} – Lebenswege`);
    expect(titleOf(german, `/interviews/${samples.interviewId}`)).toBe(`${code} – Lebenswege`);

    const admin = await server.loginAs("admin");
    admin.cookies.set("lw_lang", "en");
    const adminTitles = await titlesIn(admin);
    expect(titleOf(adminTitles, "/admin/users")).toBe("Users – Administration – Lebenswege");
    expect(titleOf(adminTitles, "/admin/audit")).toBe("Audit log – Administration – Lebenswege");
  });
});
