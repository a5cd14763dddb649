// The search page as a browser asks for it: a page number past the end goes to the last page, and a code hit
// leads to the code's own page.
import { db } from "../../app/db/client.server.ts";
import { ctx, getRequest, signedInUser } from "../../app/cases/test-support.ts";
import { loader } from "../../app/routes/search.tsx";
import { buildFixture } from "./fixture.ts";

await buildFixture(db);
const researcher = await signedInUser("forschung.search-page", ["researcher"]);
const load = (query: string) => loader({ request: getRequest(`/search?${query}`, researcher), params: {}, ...ctx }).catch((e: unknown) => e);

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
});
