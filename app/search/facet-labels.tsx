// What a facet value is called on the search page: the key or id the index holds ("fa", "SOZ", a code's id) as
// the reader knows it ("Persian (Farsi/Dari)", "Social integration", "STR.ANE Recognition of qualifications").
import type { ReactNode } from "react";
import type { Facet } from "../../search/query/types.ts";
import { CodeSwatch } from "../coding/code-swatch.tsx";
import type { FacetLabels } from "./search-page.server.ts";

type T = (key: string, options?: Record<string, unknown>) => string;

export function facetValueLabel(facet: Facet, value: string, labels: FacetLabels | null | undefined, t: T): ReactNode {
  switch (facet) {
    case "kind":
      return t(`search:kinds.${value}`, { defaultValue: value });
    case "speaker":
      return t(`search:speakers.${value}`, { defaultValue: value });
    case "caseGroup":
      return t(`cases:groups.${value}`, { defaultValue: value });
    case "municipality":
      return labels?.municipality[value] ?? value;
    case "author":
      return labels?.author[value] ?? "—";
    case "language":
      // The names the interview form gives the languages.
      return t(`interviews:languages.${value}`, { defaultValue: value.toUpperCase() });
    case "code": {
      const c = labels?.code[value];
      return c ? (
        <>
          <CodeSwatch colour={c.colour} /> {c.key ? `${c.key} ` : ""}
          {c.name}
        </>
      ) : (
        value
      );
    }
    case "dimension":
      return labels?.dimension[value] ?? value;
  }
}
