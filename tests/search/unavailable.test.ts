// A Meilisearch server that does not answer (down, or a wrong MEILI_URL): the search says so with a hint instead of
// an error page carrying the server's address. A real client against a port where nothing listens; no answer is faked.
import { Meilisearch } from "meilisearch";
import { describe, expect, it, vi } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { MeiliEngine } from "../../search/engines/meili.server.ts";
import { search } from "../../search/search.server.ts";
import { VIS } from "./fixture.ts";

describe("search when Meilisearch does not answer", () => {
  it("gives the 'unavailable' hint and logs the cause, without the address in the outcome", async () => {
    const engine = new MeiliEngine(db, new Meilisearch({ host: "http://127.0.0.1:9" }), "lebenswege_unreachable");
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const outcome = await search({ q: "Ausbildung", visibility: VIS.researcher }, db, engine);
      expect(outcome).toEqual({ ok: false, hint: "unavailable" });
      expect(JSON.stringify(outcome)).not.toContain("127.0.0.1");
      expect(log.mock.calls.flat().join(" ")).toMatch(/Meilisearch did not answer/);
    } finally {
      log.mockRestore();
    }
  });
});
