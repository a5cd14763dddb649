// The search page as a browser asks for it: a page number past the end goes to the last page, and a code hit
// leads to the code's own page.
import { db } from "../../app/db/client.server.ts";
import { ctx, getRequest, signedInUser } from "../../app/cases/test-support.ts";
import { loader } from "../../app/routes/search.tsx";
import { buildFixture } from "./fixture.ts";
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createI18n } from "../../app/i18n/config.ts";
import { hitSource, type HitData } from "../../app/search/results.tsx";
import { facetValueLabel } from "../../app/search/facet-labels.tsx";
import type { FacetLabels } from "../../app/search/search-page.server.ts";

await buildFixture(db);
const researcher = await signedInUser("forschung.search-page", ["researcher"]);
const load = (query: string) => loader({ request: getRequest(`/search?${query}`, researcher), params: {}, ...ctx }).catch((e: unknown) => e);
/** The page as the English UI asks for it (the browser's Accept-Language; no language cookie). */
const loadEnglish = async (query: string) => {
  const request = getRequest(`/search?${query}`, researcher);
  request.headers.set("accept-language", "en");
  return (await (await loader({ request, params: {}, ...ctx })).json()) as {
    outcome: { hits: HitData[]; facets: Record<string, Record<string, number>> };
    labels: FacetLabels;
  };
};
const snippetOf = (hit: HitData) => hit.snippet.segments.map((s) => s.text).join("");
const text = (node: React.ReactNode) => renderToStaticMarkup(createElement(Fragment, null, node)).replace(/<[^>]+>/g, "");

describe("the search page", () => {
  it("sends a page past the end to the last page instead of showing 'page 4 of 1, no results'", async () => {
    const past = (await load("q=Ausbildung&page=4")) as Response;
    expect(past.status).toBe(302);
    expect(new URL(past.headers.get("location")!, "http://x").searchParams.get("page")).toBe("1");
    expect(new URL(past.headers.get("location")!, "http://x").searchParams.get("q")).toBe("Ausbildung");
    const first = (await load("q=Ausbildung&page=1")) as Response;
    expect(first.status).toBe(200);
  });

  it("says when only the beginning of a very long query was searched", async () => {
    const long = (await ((await load(`q=${encodeURIComponent("Ausbildung ".repeat(60))}`)) as Response).json()) as { cutAt: number | null };
    expect(long.cutAt).toBe(500);
    const short = (await ((await load("q=Ausbildung")) as Response).json()) as { cutAt: number | null };
    expect(short.cutAt).toBeNull();
  });

  it("links a code hit to the code's page", async () => {
    const page = (await ((await load("q=Anerkennung&kind=code")) as Response).json()) as { outcome: { hits: { kind: string; sourceId: string; href: string }[] } };
    const code = page.outcome.hits.find((h) => h.kind === "code");
    expect(code?.href).toBe(`/codebook/${code?.sourceId}`);
  });

  it("shows a code hit in the reader's language, and why it was found", async () => {
    // English UI, English words: the English name only, marked, with the English lang attribute.
    const en = await loadEnglish("q=recognition&kind=code");
    const found = en.outcome.hits.find((h) => h.kind === "code")!;
    expect(found.title).toBe("Recognition of qualifications");
    expect(snippetOf(found)).toBe("Recognition of qualifications");
    expect(found.snippet.segments.some((s) => s.hit && /recognition/i.test(s.text))).toBe(true);
    expect(found.language).toBe("en");
    // English UI, German words: still found (both names are indexed), the English name first, then the German
    // name that holds the words found.
    const byGerman = (await loadEnglish("q=Anerkennung&kind=code")).outcome.hits.find((h) => h.kind === "code")!;
    expect(byGerman.title).toBe("Recognition of qualifications");
    expect(snippetOf(byGerman)).toBe("Recognition of qualifications · Anerkennung/Entwertung von Qualifikationen");
    expect(byGerman.snippet.segments.filter((s) => s.hit).map((s) => s.text)).toEqual(["Anerkennung"]);
    // German UI: the German name, nothing English.
    const de = (await ((await load("q=Anerkennung&kind=code")) as Response).json()) as { outcome: { hits: HitData[] } };
    expect(snippetOf(de.outcome.hits.find((h) => h.kind === "code")!)).toBe("Anerkennung/Entwertung von Qualifikationen");
  });

  it("names facet values (interview languages, dimensions) in the reader's language, not by their keys", async () => {
    const en = await loadEnglish("q=Anerkennung OR Lörrach");
    expect(Object.keys(en.outcome.facets.language!)).toEqual(expect.arrayContaining(["de", "fa"]));
    expect(Object.keys(en.outcome.facets.dimension!)).toEqual(expect.arrayContaining(["STR", "KUL"]));
    const english = createI18n("en").t as unknown as (key: string, options?: Record<string, unknown>) => string;
    const german = createI18n("de").t as unknown as (key: string, options?: Record<string, unknown>) => string;
    expect(text(facetValueLabel("language", "de", en.labels, english))).toBe("German");
    expect(text(facetValueLabel("language", "fa", en.labels, english))).toBe("Persian (Farsi/Dari)");
    expect(text(facetValueLabel("dimension", "STR", en.labels, english))).toBe("Structural integration");
    const de = (await ((await load("q=Anerkennung OR Lörrach")) as Response).json()) as { labels: FacetLabels };
    expect(text(facetValueLabel("language", "fa", de.labels, german))).toBe("Persisch (Farsi/Dari)");
    expect(text(facetValueLabel("dimension", "STR", de.labels, german))).toBe("Strukturelle Integration");
  });

  it("explains the speaker label of a passage hit in the reader's language, by the transcript's stored roles", async () => {
    const english = createI18n("en").t as unknown as (key: string, options?: Record<string, unknown>) => string;
    const german = createI18n("de").t as unknown as (key: string, options?: Record<string, unknown>) => string;
    const hit = (await loadEnglish("q=Apothekerin")).outcome.hits.find((h) => h.kind === "paragraph")!;
    expect(hitSource(hit, (k, o) => english(`search:${k}`, o))).toContain(" · B (interviewee) · ");
    expect(hitSource(hit, (k, o) => german(`search:${k}`, o))).toContain(" · B (befragte Person) · ");
    // A label the editor gave another role ("B" interpreting here) shows that role.
    const transcriptId = hit.sourceId.slice(0, hit.sourceId.lastIndexOf(":"));
    await db.transcript.update({ where: { id: transcriptId }, data: { speakerRoles: JSON.stringify({ B: "interpreter" }) } });
    try {
      const again = (await loadEnglish("q=Apothekerin")).outcome.hits.find((h) => h.kind === "paragraph")!;
      expect(hitSource(again, (k, o) => english(`search:${k}`, o))).toContain(" · B (interpreter) · ");
    } finally {
      await db.transcript.update({ where: { id: transcriptId }, data: { speakerRoles: "{}" } });
    }
  });
});
