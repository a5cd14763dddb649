// Page titles follow the page's language (WCAG 2.4.2: a title says where one is, also in a list of tabs or to a
// screen reader). Every page of the build is requested in English and in German by each role; no part of a title
// (split at " – ") may be a text the locale files have only in the other language. Twelve routes had German titles
// written into their code, so an English page was still called "Suche" or "Neues Memo".
import { resources } from "../../app/i18n/resources.ts";
import { startAppServer, type HttpClient } from "../support/app-server.ts";
import { demoSamples, routeUrl } from "../support/routes.ts";

const server = await startAppServer();
afterAll(() => server.stop());

/** Every string of one language whose translation at the same key differs, placeholders left out. */
function onlyIn(lang: "de" | "en"): Set<string> {
  const other = lang === "de" ? "en" : "de";
  const out = new Set<string>();
  const walk = (a: unknown, b: unknown) => {
    if (typeof a === "string") {
      if (a !== b && !a.includes("{{") && a.length >= 3) out.add(a);
    } else if (a && typeof a === "object") for (const [k, v] of Object.entries(a)) walk(v, (b as Record<string, unknown> | undefined)?.[k]);
  };
  walk(resources[lang], resources[other]);
  return out;
}

const samples = await demoSamples(server.db, "im.loerrach");
const pages = server.routes.filter((r) => r.hasComponent && r.hasLoader);

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

describe("page titles", () => {
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
});
