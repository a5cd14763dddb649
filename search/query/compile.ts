// The parsed query in each engine's own syntax. Tokens are normalized words (letters, digits and marks only),
// quoted all the same, so nothing the user typed can change the structure of the engine query.
import { germanStem } from "../text/german-stemmer.ts";
import type { QueryNode } from "./parse.ts";

/**
 * The index holds stems, a prefix is what the user typed: "Kinder*" must find "Kinder" (indexed as "kind"),
 * "Ausbildu*" must find "Ausbildung" ("ausbild"). So a prefix matches tokens starting with it, and also the
 * few stems it may itself start with: its own stem and itself shortened by one or two letters (keeping at least four).
 */
export function prefixAlternatives(prefix: string): { prefix: string; exact: string[] } {
  const exact = new Set<string>();
  const letters = [...prefix];
  if (/^\p{Script=Latin}/u.test(prefix)) {
    const stem = germanStem(prefix);
    if (stem !== prefix && stem.length >= 3) exact.add(stem);
    for (let cut = 1; cut <= 2 && letters.length - cut >= 4; cut++) exact.add(letters.slice(0, letters.length - cut).join(""));
  }
  return { prefix, exact: [...exact] };
}

/** Word parts stand for the words of the vocabulary that contain them; search.server.ts looks those up first. */
function unresolved(): never {
  throw new Error("a word part (*prüfung) must be resolved to words before the query is compiled");
}

const ftsQuote = (token: string) => `"${token.replace(/"/g, '""')}"`;

/** SQLite FTS5 MATCH expression. */
export function toFts5(node: QueryNode): string {
  switch (node.type) {
    case "term":
      return ftsQuote(node.token);
    case "phrase":
      return ftsQuote(node.tokens.join(" "));
    case "prefix": {
      const alt = prefixAlternatives(node.prefix);
      const parts = [`${ftsQuote(alt.prefix)}*`, ...alt.exact.map(ftsQuote)];
      return parts.length === 1 ? parts[0]! : `(${parts.join(" OR ")})`;
    }
    case "part":
      return unresolved();
    case "or":
      return `(${node.children.map(toFts5).join(" OR ")})`;
    case "and": {
      const positive = node.children.map(toFts5).join(" AND ");
      if (!node.not.length) return `(${positive})`;
      return `((${positive}) NOT (${node.not.map(toFts5).join(" OR ")}))`;
    }
  }
}

const tsQuote = (token: string) => `'${token.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/** PostgreSQL tsquery text (cast with ::tsquery, which takes lexemes as they are: no parser, no dictionary). */
export function toTsquery(node: QueryNode): string {
  switch (node.type) {
    case "term":
      return tsQuote(node.token);
    case "phrase":
      return `(${node.tokens.map(tsQuote).join(" <-> ")})`;
    case "prefix": {
      const alt = prefixAlternatives(node.prefix);
      return `(${[`${tsQuote(alt.prefix)}:*`, ...alt.exact.map(tsQuote)].join(" | ")})`;
    }
    case "part":
      return unresolved();
    case "or":
      return `(${node.children.map(toTsquery).join(" | ")})`;
    case "and":
      return `(${[...node.children.map(toTsquery), ...node.not.map((n) => `!${toTsquery(n)}`)].join(" & ")})`;
  }
}

/**
 * Meilisearch has no OR and a prefix only on the last word: the query becomes a disjunction of plain queries
 * (each a list of words/phrases that must all occur, with -excluded ones), searched together and merged.
 */
export type MeiliClause = { words: string[]; phrases: string[][]; prefix: string | null; excluded: string[] };

export function toMeiliClauses(node: QueryNode, limit = 16): MeiliClause[] | null {
  const dnf = (n: QueryNode): MeiliClause[] => {
    switch (n.type) {
      case "term":
        return [{ words: [n.token], phrases: [], prefix: null, excluded: [] }];
      case "phrase":
        return [{ words: [], phrases: [n.tokens], prefix: null, excluded: [] }];
      case "prefix":
        return [{ words: [], phrases: [], prefix: n.prefix, excluded: [] }];
      case "part":
        return unresolved();
      case "or":
        return n.children.flatMap(dnf);
      case "and": {
        let acc: MeiliClause[] = [{ words: [], phrases: [], prefix: null, excluded: [] }];
        for (const child of n.children) {
          const next: MeiliClause[] = [];
          for (const a of acc)
            for (const b of dnf(child))
              next.push({
                words: [...a.words, ...b.words, ...(a.prefix && b.prefix ? [a.prefix] : [])],
                phrases: [...a.phrases, ...b.phrases],
                prefix: b.prefix ?? a.prefix,
                excluded: [...a.excluded, ...b.excluded],
              });
          acc = next;
          if (acc.length > limit) throw new Error("too many clauses");
        }
        // Meilisearch excludes single words and phrases; excluded groups are taken apart word by word.
        const excluded = n.not.flatMap((x) => (x.type === "term" ? [x.token] : x.type === "phrase" ? [x.tokens.join(" ")] : x.type === "prefix" ? [x.prefix] : dnf(x).flatMap((c) => c.words)));
        return acc.map((c) => ({ ...c, excluded: [...c.excluded, ...excluded] }));
      }
    }
  };
  try {
    const clauses = dnf(node);
    return clauses.length > limit ? null : clauses;
  } catch {
    return null;
  }
}

/** One clause as a Meilisearch `q`: words, "phrases", -excluded, the prefix last (Meilisearch's prefix word). */
export function meiliQueryString(clause: MeiliClause): string {
  return [
    ...clause.phrases.map((p) => `"${p.join(" ")}"`),
    ...clause.words,
    ...clause.excluded.map((e) => (e.includes(" ") ? `-"${e}"` : `-${e}`)),
    ...(clause.prefix ? [clause.prefix] : []),
  ].join(" ");
}
