// The search box's syntax, parsed once in JavaScript and compiled for each engine, so no user input ever
// reaches an engine's own query parser (a stray quote cannot raise an error page there):
//   words            all must occur (AND is implied)
//   "a phrase"       the words in this order
//   Ausbild*         words beginning with it
//   *prüfung         words ending in it (Kenntnisprüfung, Prüfungen); *prüf* words containing it. The engine
//                    looks the words up in its vocabulary (search.server.ts resolveParts) before it searches
//   A OR B, A ODER B either; AND/UND explicit; NOT/NICHT or -word excludes; ( ) groups
// Operators count only in capitals (like FTS5), so "oder" in a sentence is a word. Precedence: NOT, AND, OR.
import { normalizePrefix, partForms, queryTokens, sEndingVariant, wordsOf, type PartForms } from "../text/normalize.ts";

export type QueryNode =
  | { type: "term"; token: string }
  | { type: "prefix"; prefix: string }
  | { type: "phrase"; tokens: string[] }
  /** a part of words, at the end (*prüfung) or anywhere (*prüf*), in its index forms (normalize.ts partForms) */
  | { type: "part"; forms: PartForms; at: "end" | "any" }
  | { type: "and"; children: QueryNode[]; not: QueryNode[] }
  | { type: "or"; children: QueryNode[] };

export type ParseResult = { ok: true; query: QueryNode; terms: HighlightTerms } | { ok: false; hint: QueryHint };

/** Why a query cannot run; each has a friendly text (search.json hints.*). */
export type QueryHint =
  | "unavailable"
  | "empty"
  | "unclosedQuote"
  | "unbalancedParens"
  | "danglingOperator"
  | "onlyNegative"
  | "tooShortPrefix"
  | "tooShortPart"
  | "partTooBroad"
  | "partOneWord"
  | "leadingWildcard" // word parts asked of an engine without a vocabulary (Meilisearch)
  | "tooComplex";

/** Tokens and prefixes to mark in snippets (positive parts of the query only). */
export type HighlightTerms = { tokens: string[]; prefixes: string[] };

type Lexeme = { kind: "word"; text: string; prefix: boolean; part: boolean; negated: boolean } | { kind: "phrase"; text: string; negated: boolean } | { kind: "and" | "or" | "not" | "open" | "close" };

const OPERATORS: Record<string, "and" | "or" | "not"> = { AND: "and", UND: "and", OR: "or", ODER: "or", NOT: "not", NICHT: "not" };
const MIN_PREFIX = 2;
/** A word part shorter than this would stand for a large share of the vocabulary. */
const MIN_PART = 3;
const MAX_NODES = 64;

class QueryError extends Error {
  constructor(readonly hint: QueryHint) {
    super(hint);
  }
}

function lex(input: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(") {
      out.push({ kind: "open" });
      i++;
      continue;
    }
    if (c === ")") {
      out.push({ kind: "close" });
      i++;
      continue;
    }
    const negated = c === "-" && i + 1 < input.length && !/\s/.test(input[i + 1]!);
    const at = negated ? i + 1 : i;
    const quote = input[at];
    if (quote === '"' || quote === "„" || quote === "“" || quote === "»" || quote === "«") {
      const closers = quote === '"' ? ['"'] : quote === "„" ? ["“", '"', "”"] : quote === "“" ? ["”", '"'] : quote === "»" ? ["«"] : ["»"];
      let end = at + 1;
      while (end < input.length && !closers.includes(input[end]!)) end++;
      if (end >= input.length) throw new QueryError("unclosedQuote");
      out.push({ kind: "phrase", text: input.slice(at + 1, end), negated });
      i = end + 1;
      continue;
    }
    let end = at;
    while (end < input.length && !/[\s()"„“»«]/.test(input[end]!)) end++;
    const word = input.slice(at, end);
    i = end;
    if (!negated && OPERATORS[word]) {
      out.push({ kind: OPERATORS[word]! });
      continue;
    }
    // "*prüfung": a part at the end of compounds (Kenntnisprüfung), as MAXQDA's substring search finds it.
    const part = /^\*+[\p{L}\p{N}]/u.test(word);
    const prefix = word.endsWith("*");
    const text = word.replace(/^\*+/, "").replace(/\*+$/, "");
    out.push({ kind: "word", text: part || prefix ? text : word, prefix, part, negated });
  }
  return out;
}

class Parser {
  private pos = 0;
  nodes = 0;
  constructor(private readonly lexemes: Lexeme[]) {}

  private peek() {
    return this.lexemes[this.pos];
  }

  parse(): QueryNode | null {
    const node = this.or();
    if (this.pos < this.lexemes.length) throw new QueryError(this.peek()!.kind === "close" ? "unbalancedParens" : "danglingOperator");
    return node;
  }

  private or(): QueryNode | null {
    const children: QueryNode[] = [];
    const first = this.and();
    if (first) children.push(first);
    while (this.peek()?.kind === "or") {
      this.pos++;
      const next = this.and();
      if (!next || !children.length) throw new QueryError("danglingOperator");
      children.push(next);
    }
    if (!children.length) return null;
    return children.length === 1 ? children[0]! : { type: "or", children };
  }

  private and(): QueryNode | null {
    const children: QueryNode[] = [];
    const not: QueryNode[] = [];
    let sawOperand = false;
    for (;;) {
      const l = this.peek();
      if (!l || l.kind === "or" || l.kind === "close") break;
      if (l.kind === "and") {
        this.pos++;
        if (!sawOperand) throw new QueryError("danglingOperator");
        const next = this.peek();
        if (!next || next.kind === "or" || next.kind === "close" || next.kind === "and") throw new QueryError("danglingOperator");
        continue;
      }
      let negate = false;
      if (l.kind === "not") {
        this.pos++;
        negate = true;
        const next = this.peek();
        if (!next || next.kind === "or" || next.kind === "close" || next.kind === "and" || next.kind === "not") throw new QueryError("danglingOperator");
      }
      const operand = this.operand();
      sawOperand = true;
      if (!operand) continue; // a word that normalizes to nothing (punctuation only)
      if (negate || operand.negated) not.push(operand.node);
      else children.push(operand.node);
    }
    if (!sawOperand) return null;
    if (!children.length && not.length) throw new QueryError("onlyNegative");
    if (!children.length) return null;
    if (children.length === 1 && !not.length) return children[0]!;
    return { type: "and", children, not };
  }

  private operand(): { node: QueryNode; negated: boolean } | null {
    const l = this.lexemes[this.pos++]!;
    if (++this.nodes > MAX_NODES) throw new QueryError("tooComplex");
    if (l.kind === "open") {
      const inner = this.or();
      if (this.peek()?.kind !== "close") throw new QueryError("unbalancedParens");
      this.pos++;
      return inner ? { node: inner, negated: false } : null;
    }
    if (l.kind === "close") throw new QueryError("unbalancedParens");
    if (l.kind === "phrase") {
      const tokens = queryTokens(l.text);
      if (!tokens.length) return null;
      return { node: tokens.length === 1 ? { type: "term", token: tokens[0]! } : { type: "phrase", tokens }, negated: l.negated };
    }
    if (l.kind !== "word") throw new QueryError("danglingOperator");
    if (l.part) {
      // One word only: "*deutsch-kurs" has no single part to look up.
      const words = wordsOf(l.text);
      if (!words.length) return null;
      if (words.length > 1) throw new QueryError("partOneWord");
      const at = l.prefix ? "any" : "end";
      const forms = partForms(words[0]!, at);
      if ([forms.own, forms.inCompound].some((f) => f !== null && [...f].length < MIN_PART)) throw new QueryError("tooShortPart");
      return { node: { type: "part", forms, at }, negated: l.negated };
    }
    if (l.prefix) {
      const parts = queryTokens(l.text);
      if (!parts.length) return null;
      // "E-Ma*": all but the last part are words of a phrase; the engines take a prefix as a single word.
      const prefix = normalizePrefix(wordsOf(l.text).at(-1)!);
      if ([...prefix].length < MIN_PREFIX) throw new QueryError("tooShortPrefix");
      if (parts.length === 1) return { node: { type: "prefix", prefix }, negated: l.negated };
      return { node: { type: "and", children: [{ type: "phrase", tokens: parts.slice(0, -1) }, { type: "prefix", prefix }], not: [] }, negated: l.negated };
    }
    const tokens = queryTokens(l.text);
    if (!tokens.length) return null;
    const variant = tokens.length === 1 ? sEndingVariant(wordsOf(l.text)[0]!) : null;
    if (variant) return { node: { type: "or", children: [{ type: "term", token: tokens[0]! }, { type: "term", token: variant }] }, negated: l.negated };
    return { node: tokens.length === 1 ? { type: "term", token: tokens[0]! } : { type: "phrase", tokens }, negated: l.negated };
  }
}

export function collectTerms(node: QueryNode, into: HighlightTerms = { tokens: [], prefixes: [] }): HighlightTerms {
  switch (node.type) {
    case "term":
      into.tokens.push(node.token);
      break;
    case "prefix":
      into.prefixes.push(node.prefix);
      break;
    case "phrase":
      into.tokens.push(...node.tokens);
      break;
    case "part":
      break; // marked by the words it stands for, once they are looked up (search.server.ts)
    case "and":
    case "or":
      node.children.forEach((c) => collectTerms(c, into));
  }
  return into;
}

/**
 * The query of a search box while typing: its last word, when no space follows it yet and it is a plain word
 * (no phrase, part, prefix or exclusion), also stands for the words it begins: "Anerk" becomes
 * "(Anerk OR Anerk*)" (the whole word stays a term too: its stem can be shorter than what was typed).
 */
/** Longer queries are searched by their beginning (the page says so). */
export const MAX_QUERY_CHARS = 500;

export function asYouTypeQuery(input: string): string {
  if (/\s$/.test(input)) return input;
  let lexemes: Lexeme[];
  try {
    lexemes = lex(input.slice(0, MAX_QUERY_CHARS));
  } catch {
    return input; // an open quote: the query's own hint says so
  }
  const last = lexemes.at(-1);
  if (last?.kind !== "word" || last.prefix || last.part || last.negated || queryTokens(last.text).length !== 1) return input;
  if ([...normalizePrefix(last.text)].length < MIN_PREFIX || !input.endsWith(last.text)) return input;
  return `${input.slice(0, input.length - last.text.length)}(${last.text} OR ${last.text}*)`;
}

export function parseQuery(input: string): ParseResult {
  try {
    const lexemes = lex(input.slice(0, MAX_QUERY_CHARS));
    const parens = lexemes.reduce((depth, l) => (depth < 0 ? depth : depth + (l.kind === "open" ? 1 : l.kind === "close" ? -1 : 0)), 0);
    if (parens !== 0) return { ok: false, hint: "unbalancedParens" };
    const query = new Parser(lexemes).parse();
    if (!query) return { ok: false, hint: "empty" };
    return { ok: true, query, terms: collectTerms(query) };
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, hint: e.hint };
    throw e;
  }
}
