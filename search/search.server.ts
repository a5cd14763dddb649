// The one query interface of the app: parse the query, ask the configured engine (visibility and filters are
// part of the engine query), then read the few hits' original texts for snippets and the labels they show
// (case pseudonym, codes, interview). Identity data is neither indexed nor read here.
import { db as appDb, type Db } from "../app/db/client.server.ts";
import { releasedTitleOf } from "../app/narratives/render.ts";
import { searchConfig } from "./config.ts";
import { exampleTexts, type Kind } from "./documents.server.ts";
import { parseSpeakerRoles, speakerRole, type SpeakerRole } from "../app/transcripts/speakers.ts";
import { MeiliEngine } from "./engines/meili.server.ts";
import { SqlEngine } from "./engines/sql.server.ts";
import { collectTerms, parseQuery, type HighlightTerms, type QueryHint, type QueryNode } from "./query/parse.ts";
import { emptyFacets, type EngineHit, type FacetCounts, type SearchEngine, type SearchFilters, type SearchSort, type Visibility } from "./query/types.ts";
import { makeSnippet, matcher, type Snippet } from "./snippet.ts";
import { tokenize } from "./text/normalize.ts";
import { dialectOf, Params } from "./raw-sql.server.ts";
import { RESEARCH_LANGUAGE, contentLanguage } from "../app/i18n/content-language.ts";

export function providerOf(db: Db): "sqlite" | "postgresql" {
  return dialectOf(db) === "sqlite" ? "sqlite" : "postgresql";
}

const engines = new WeakMap<Db, SearchEngine>();

/** The configured engine over this database (the app's by default). */
export function engineFor(db: Db = appDb, name = searchConfig().engine): SearchEngine {
  const cached = engines.get(db);
  if (cached && cached.name === name) return cached;
  const engine = name === "meilisearch" ? new MeiliEngine(db) : new SqlEngine(db, providerOf(db) === "sqlite" ? "sqlite" : "postgres");
  engines.set(db, engine);
  return engine;
}

export type SearchRequest = {
  q: string;
  filters?: SearchFilters;
  visibility: Visibility;
  page?: number;
  pageSize?: number;
  sort?: SearchSort;
  facets?: boolean;
  /** whether results may show case pseudonyms and codes (not for the commissioner) */
  showCase?: boolean;
  /** the reader's language: code names in English where the codebook has them */
  language?: "de" | "en";
};

export type SearchHit = {
  kind: Kind;
  sourceId: string;
  title: string;
  snippet: Snippet;
  /** the snippet's language, for its lang attribute: the interview's for a transcript, else German (research content) */
  language: string;
  href: string | null;
  interview: { id: string; code: string } | null;
  casePseudonym: string | null;
  speaker: string | null;
  /** the speaker label's role (the transcript's stored roles, else by the label), shown next to the label */
  speakerRole: SpeakerRole | null;
  startMs: number | null;
  codes: { id: string; key: string | null; name: string; colour: string }[];
  docDate: Date | null;
};

export type SearchOutcome =
  | { ok: false; hint: QueryHint }
  | {
      ok: true;
      total: number;
      exact: boolean;
      page: number;
      pageSize: number;
      hits: SearchHit[];
      facets: FacetCounts | null;
      /** false: the facet counts cover only the first FACET_LIMIT results (FTS5, frequent words) */
      facetsComplete: boolean;
      terms: HighlightTerms;
    };

export const MAX_PAGE_SIZE = 50;

/** Most words a part (*prüfung) may stand for; beyond that the user is asked for a longer part. */
export const MAX_PART_WORDS = 100;

export class PartHint extends Error {
  constructor(readonly hint: QueryHint) {
    super(hint);
  }
}

/**
 * Replaces each word part by the indexed words it stands for (an OR of terms); null: the query can match nothing
 * (a part no indexed word contains, in a place every match needs). The words come from the whole vocabulary, and
 * are never shown: only the hits the filtered query returns are, with those words marked.
 */
export async function resolveParts(node: QueryNode, engine: SearchEngine): Promise<QueryNode | null> {
  switch (node.type) {
    case "part": {
      if (!engine.wordsWithPart) throw new PartHint("leadingWildcard");
      const words = await engine.wordsWithPart(node.forms, node.at, MAX_PART_WORDS + 1);
      if (words.length > MAX_PART_WORDS) throw new PartHint("partTooBroad");
      if (!words.length) return null;
      return words.length === 1 ? { type: "term", token: words[0]! } : { type: "or", children: words.map((token) => ({ type: "term", token })) };
    }
    case "or": {
      const children = (await Promise.all(node.children.map((c) => resolveParts(c, engine)))).filter((c): c is QueryNode => c !== null);
      return children.length === 0 ? null : children.length === 1 ? children[0]! : { type: "or", children };
    }
    case "and": {
      const children = await Promise.all(node.children.map((c) => resolveParts(c, engine)));
      if (children.some((c) => c === null)) return null;
      const not = (await Promise.all(node.not.map((c) => resolveParts(c, engine)))).filter((c): c is QueryNode => c !== null);
      return children.length === 1 && !not.length ? children[0]! : { type: "and", children: children as QueryNode[], not };
    }
    default:
      return node;
  }
}

export async function search(req: SearchRequest, db: Db = appDb, engine: SearchEngine = engineFor(db)): Promise<SearchOutcome> {
  try {
    return await searchWith(req, db, engine);
  } catch (e) {
    // A Meilisearch server that does not answer is an outage, not a bug: the page says so (never its address or a
    // stack trace); the log names the cause. The database engines' errors stay errors.
    if (engine.name !== "meilisearch") throw e;
    console.error(`[search] Meilisearch did not answer: ${e instanceof Error ? e.message : String(e)}`);
    return { ok: false, hint: "unavailable" };
  }
}

async function searchWith(req: SearchRequest, db: Db, engine: SearchEngine): Promise<SearchOutcome> {
  const parsed = parseQuery(req.q);
  if (!parsed.ok) return parsed;
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, req.pageSize ?? 20));
  const page = Math.max(1, Math.min(500, req.page ?? 1));
  let query: QueryNode | null;
  try {
    query = await resolveParts(parsed.query, engine);
  } catch (e) {
    if (e instanceof PartHint) return { ok: false, hint: e.hint };
    throw e;
  }
  if (!query) return { ok: true, total: 0, exact: true, page, pageSize, hits: [], facets: req.facets ? emptyFacets() : null, facetsComplete: true, terms: parsed.terms };
  // For marking hits only: with word parts these include words of documents the user may not see, so the
  // outcome (sent to the browser) keeps the query's own terms.
  const terms = collectTerms(query);
  const base = { query, filters: req.filters ?? {}, visibility: req.visibility };
  const [result, facets] = await Promise.all([
    engine.search({ ...base, offset: (page - 1) * pageSize, limit: pageSize, sort: req.sort ?? "relevance" }),
    req.facets ? engine.facets(base) : Promise.resolve(null),
  ]);
  const hits = await hydrate(db, result.hits, terms, req.showCase ?? true, req.language ?? "de");
  return { ok: true, total: result.total, exact: result.exact, page, pageSize, hits, facets: facets?.counts ?? null, facetsComplete: facets?.complete ?? true, terms: parsed.terms };
}

type Row = { part: string; id: string; k: string | null; a: string | null; b: string | null; c: string | null };

/** Original texts and labels for the hits of one page, in ONE statement (a UNION ALL over the kinds present):
 *  each statement costs more in Prisma than these indexed look-ups in the database. */
async function hydrate(db: Db, hits: EngineHit[], terms: HighlightTerms, showCase: boolean, language: "de" | "en"): Promise<SearchHit[]> {
  if (!hits.length) return [];
  const p = new Params(dialectOf(db));
  const ids = (kind: Kind) => hits.filter((h) => h.kind === kind).map((h) => h.sourceId);
  const paragraphKeys = ids("paragraph").map((s) => {
    const at = s.lastIndexOf(":");
    return { transcriptId: s.slice(0, at), position: Number(s.slice(at + 1)) };
  });
  const caseIds = showCase ? [...new Set(hits.map((h) => h.caseId).filter((c): c is string => !!c))] : [];
  const interviewIds = [...new Set(hits.map((h) => h.interviewId).filter((c): c is string => !!c))];
  const codeIds = showCase ? [...new Set(hits.flatMap((h) => h.codeIds))] : [];
  // Every part has the same six text columns: part, id, k, a, b, c.
  const t = (x: string) => `CAST(${x} AS TEXT)`;
  const parts: string[] = [];
  const part = (name: string, cols: [string, string, string, string, string], from: string) =>
    parts.push(`SELECT '${name}' AS part, ${cols.map((c, i) => `${t(c)} AS ${["id", "k", "a", "b", "c"][i]}`).join(", ")} FROM ${from}`);
  const some = (xs: string[], name: string, cols: [string, string, string, string, string], table: string, extra = "") => {
    if (xs.length) part(name, cols, `${table} WHERE ${extra}"id" IN (${p.list(xs)})`);
  };
  if (paragraphKeys.length) {
    // c: the transcript's stored speaker roles (a label like "Rosa" may be the interviewer).
    const roles = `(SELECT t."speakerRoles" FROM "Transcript" t WHERE t."id" = "TranscriptParagraph"."transcriptId")`;
    part("paragraph", ['"transcriptId"', '"position"', '"speaker"', '"text"', roles], `"TranscriptParagraph" WHERE ${paragraphKeys.map((k) => `("transcriptId" = ${p.add(k.transcriptId)} AND "position" = ${p.add(k.position)})`).join(" OR ")}`);
  }
  some(ids("memo"), "memo", ['"id"', "NULL", '"title"', '"contentText"', "NULL"], `"Memo"`);
  some(ids("note"), "note", ['"id"', "NULL", '"title"', '"contentText"', "NULL"], `"BiographyNote"`);
  const codeName = language === "en" ? `COALESCE("nameEn", "name")` : `"name"`;
  // Both names, description and examples: the snippet is put together below in the reader's language.
  some(ids("code"), "code", ['"id"', '"nameEn"', '"name"', '"description"', '"examples"'], `"Code"`);
  some(ids("narrative"), "narrative", ['"id"', "NULL", "NULL", '"releasedText"', "NULL"], `"Narrative"`, `"status" = 'released' AND `);
  some(caseIds, "case", ['"id"', "NULL", '"pseudonym"', "NULL", "NULL"], `"Case"`);
  some(interviewIds, "interview", ['"id"', "NULL", '"code"', '"languages"', "NULL"], `"Interview"`);
  some(codeIds, "label", ['"id"', '"key"', codeName, '"colour"', "NULL"], `"Code"`);
  const rows = await db.$queryRawUnsafe<Row[]>(parts.join("\nUNION ALL "), ...p.values);
  const of = (name: string) => rows.filter((r) => r.part === name);
  const paragraphs = of("paragraph").map((r) => ({ transcriptId: r.id, position: r.k, speaker: r.a, text: r.b, roles: parseSpeakerRoles(r.c) }));
  const bodies = (name: string) => of(name).map((r) => ({ id: r.id, title: r.a, body: r.b, fallback: r.c }));
  const [memos, notes, narratives] = [bodies("memo"), bodies("note"), bodies("narrative")];
  const codes = of("code").map((r) => ({ id: r.id, nameEn: r.k, name: String(r.a), description: r.b, examples: r.c }));
  const cases = of("case").map((r) => ({ id: r.id, pseudonym: r.a }));
  const interviews = of("interview").map((r) => ({ id: r.id, code: r.a, languages: r.b }));
  const codeLabels = of("label").map((r) => ({ id: r.id, key: r.k, name: r.a, colour: r.b }));
  const text = new Map<string, { title: string; body: string; speaker?: string; speakerRole?: SpeakerRole; language?: string }>();
  for (const p of paragraphs) text.set(`paragraph:${String(p.transcriptId)}:${Number(p.position)}`, { title: "", body: String(p.text), speaker: String(p.speaker), speakerRole: speakerRole(String(p.speaker), p.roles) });
  for (const [kind, rows] of [["memo", memos], ["note", notes]] as const) for (const r of rows) text.set(`${kind}:${String(r.id)}`, { title: String(r.title), body: String(r.body ?? "") });
  // A released narrative's title is its frozen text's first line: the working title may name someone.
  for (const r of narratives) text.set(`narrative:${String(r.id)}`, { title: releasedTitleOf(r.body as string | null), body: String(r.body ?? "") });
  for (const c of codes) text.set(`code:${String(c.id)}`, codeText(c, terms, language));
  const pseudonyms = new Map(cases.map((c) => [String(c.id), String(c.pseudonym)]));
  const interviewCodes = new Map(interviews.map((i) => [String(i.id), String(i.code)]));
  const interviewLanguages = new Map(interviews.map((i) => [String(i.id), contentLanguage(i.languages as string | null)]));
  const labels = new Map(codeLabels.map((c) => [String(c.id), { id: String(c.id), key: (c.key as string | null) ?? null, name: String(c.name), colour: String(c.colour) }]));

  const out: SearchHit[] = [];
  for (const h of hits) {
    const source = text.get(`${h.kind}:${h.sourceId}`);
    if (!source) continue; // deleted since the index answered (Meilisearch lags by a moment)
    out.push({
      kind: h.kind,
      sourceId: h.sourceId,
      title: source.title,
      snippet: { spoken: h.kind === "paragraph", ...makeSnippet(source.body, terms) },
      language: (h.kind === "paragraph" && h.interviewId ? interviewLanguages.get(h.interviewId) : null) ?? source.language ?? RESEARCH_LANGUAGE,
      href: hrefOf(h, source.body, terms),
      interview: h.interviewId && interviewCodes.has(h.interviewId) ? { id: h.interviewId, code: interviewCodes.get(h.interviewId)! } : null,
      casePseudonym: h.caseId && h.kind !== "narrative" ? (pseudonyms.get(h.caseId) ?? null) : null,
      speaker: source.speaker ?? null,
      speakerRole: source.speakerRole ?? null,
      startMs: h.startMs,
      codes: h.codeIds.map((id) => labels.get(id)).filter((c): c is NonNullable<typeof c> => !!c),
      docDate: h.docDate,
    });
  }
  return out;
}

/**
 * A code hit in the reader's language: the title is the reader's name (English where the codebook has one), the
 * snippet that name, the description, and the other language's name or an example when the words found are
 * there (a search for "Anerkennung" in the English UI shows why the code was found).
 */
export function codeText(
  c: { nameEn: string | null; name: string; description: string | null; examples: string | null },
  terms: HighlightTerms,
  language: "de" | "en",
): { title: string; body: string; language: string } {
  const english = language === "en" && !!c.nameEn;
  const title = english ? c.nameEn! : c.name;
  const isHit = matcher(terms);
  const hits = (s: string) => tokenize(s).some((t) => isHit(t.token));
  const parts = [title, c.description?.trim() ?? ""].filter(Boolean);
  if (!parts.some(hits)) {
    const other = english ? c.name : (c.nameEn ?? "");
    const found = [other, ...exampleTexts(c.examples ?? "[]")].find((s) => s && hits(s));
    if (found) parts.push(found);
  }
  // Only the English name alone is English text; anything else is (or holds) the codebook's German.
  return { title, body: parts.join(" · "), language: english && parts.length === 1 ? "en" : RESEARCH_LANGUAGE };
}

/** A passage's link names its first hit word (turn, code points in the turn's text): the transcript selects it. */
function hrefOf(h: EngineHit, body: string, terms: HighlightTerms): string | null {
  switch (h.kind) {
    case "paragraph": {
      if (!h.interviewId) return null;
      const href = `/interviews/${h.interviewId}/transcript?at=${h.startMs ?? 0}`;
      const isHit = matcher(terms);
      const word = tokenize(body).find((t) => isHit(t.token));
      const turn = h.sourceId.slice(h.sourceId.lastIndexOf(":") + 1);
      if (!word) return href;
      const from = [...body.slice(0, word.start)].length;
      return `${href}&turn=${turn}&from=${from}&to=${from + [...body.slice(word.start, word.end)].length}`;
    }
    case "memo":
      return `/memos/${h.sourceId}`;
    case "note":
      return h.caseId ? `/cases/${h.caseId}/notes/${h.sourceId}` : null;
    case "code":
      return `/codebook/${encodeURIComponent(h.sourceId)}`;
    case "narrative":
      return `/narratives/${h.sourceId}`;
  }
}
