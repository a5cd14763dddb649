// Route samples for search: no record params; a query so the pages show results (and the identity-leak scan
// reads real snippets).
import type { SampleProvider } from "./types.ts";

export const provider: SampleProvider = {
  params: [],
  async samples() {
    return {};
  },
  queries: {
    "routes/search": () => ({ q: "Arbeit OR Anerkennung OR Ausbildung OR Wohnung" }),
    "routes/search-suggest": () => ({ q: "Arbeit" }),
  },
};
