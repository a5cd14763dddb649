// Meilisearch (scale-out): the same interface over a Meilisearch index that mirrors SearchEntry. Documents
// carry the normalized text (so Meilisearch finds what FTS5 finds) and the filter columns. Consent is applied
// inside the query: interviews whose current consent lacks the analysis scope, and cases none of whose interviews
// allows analysis (their case memos), are listed in the filter, read from the database at query time, so a consent
// change counts at once without re-indexing.
import { Meilisearch, type Filter } from "meilisearch";
import type { Db } from "../../app/db/client.server.ts";
import { searchConfig } from "../config.ts";
import type { EntryDoc, Kind } from "../documents.server.ts";
import { meiliQueryString, toMeiliClauses } from "../query/compile.ts";
import { countFacetsOfEntries, FACET_LIMIT } from "./sql.server.ts";
import { emptyFacets, FACETS, type EngineRequest, type EngineResult, type Facet, type FacetResult, type SearchEngine, type SearchFilters, type Visibility } from "../query/types.ts";

export type MeiliDoc = {
  id: string;
  kind: string;
  sourceId: string;
  title: string;
  text: string;
  interviewId: string | null;
  caseId: string | null;
  municipalityId: string | null;
  caseGroup: string | null;
  language: string[];
  speaker: string | null;
  startMs: number | null;
  authorId: string | null;
  docDate: number | null;
  codeIds: string[];
  dimensions: string[];
  audience: string;
};

export const MEILI_SETTINGS = {
  searchableAttributes: ["text"],
  filterableAttributes: ["kind", "audience", "interviewId", "caseId", "municipalityId", "caseGroup", "language", "speaker", "authorId", "docDate", "codeIds", "dimensions"],
  sortableAttributes: ["docDate"],
  displayedAttributes: ["id", "kind", "sourceId", "title", "interviewId", "caseId", "speaker", "startMs", "docDate", "codeIds"],
  // The text is already folded and stemmed; typo tolerance would find words FTS5 does not.
  typoTolerance: { enabled: false },
  stopWords: [],
  pagination: { maxTotalHits: 10_000 },
  faceting: { maxValuesPerFacet: 500 },
};

/** Meilisearch ids allow letters, digits, - and _: kind + source id (paragraph ids hold a colon). */
export const meiliId = (kind: string, sourceId: string) => `${kind}-${sourceId.replace(/[^A-Za-z0-9_-]/g, "_")}`;

function parseArray(value: string | null): string[] {
  if (!value) return [];
  try {
    const v: unknown = JSON.parse(value);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** A stored or freshly built entry (stored rows carry kind and audience as plain strings). */
type EntryLike = Omit<EntryDoc, "kind" | "audience"> & { kind: string; audience: string };

export function toMeiliDoc(e: EntryLike): MeiliDoc {
  return {
    id: meiliId(e.kind, e.sourceId),
    kind: e.kind,
    sourceId: e.sourceId,
    title: e.title,
    text: e.text,
    interviewId: e.interviewId,
    caseId: e.caseId,
    municipalityId: e.municipalityId,
    caseGroup: e.caseGroup,
    language: parseArray(e.language),
    speaker: e.speaker,
    startMs: e.startMs,
    authorId: e.authorId,
    docDate: e.docDate ? Math.floor(e.docDate.getTime() / 1000) : null,
    codeIds: parseArray(e.codeIds),
    dimensions: parseArray(e.dimensions),
    audience: e.audience,
  };
}

let client: Meilisearch | undefined;
export function meiliClient(): Meilisearch {
  const c = searchConfig();
  client ??= new Meilisearch({ host: c.MEILI_URL!, apiKey: c.MEILI_API_KEY });
  return client;
}
export const meiliIndexName = () => searchConfig().MEILI_INDEX;

/** Creates the index if needed and applies the settings (idempotent; waits until Meilisearch has done it). */
export async function ensureMeiliIndex(meili = meiliClient(), uid = meiliIndexName()): Promise<void> {
  try {
    await meili.getIndex(uid);
  } catch {
    await meili.createIndex(uid, { primaryKey: "id" }).waitTask();
  }
  await meili.index(uid).updateSettings(MEILI_SETTINGS).waitTask();
}

const q = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const inList = (attribute: string, values: readonly string[]) => `${attribute} IN [${values.map(q).join(", ")}]`;

/** Interviews whose passages and memos researchers must not find: no current analysis consent, or withdrawn. */
async function interviewsWithoutAnalysis(db: Db): Promise<string[]> {
  const rows = await db.interview.findMany({
    where: { OR: [{ status: "withdrawn" }, { consents: { none: { current: true, scopeAnalysis: true } } }] },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Cases whose case memos researchers must not find: with interviews, none of which allows analysis (ADR 0018). Every
 * other research entry of such a case belongs to one of its interviews, denied anyway, so the filter need not ask
 * whether an entry has an interview (a null caseId never matches the list).
 */
async function casesWithoutAnalysis(db: Db): Promise<string[]> {
  const rows = await db.case.findMany({
    where: { interviews: { some: {}, none: { status: { not: "withdrawn" }, consents: { some: { current: true, scopeAnalysis: true } } } } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export async function visibilityFilter(db: Db, v: Visibility): Promise<string> {
  const parts: string[] = [];
  if (v.research) {
    const [denied, deniedCases] = await Promise.all([interviewsWithoutAnalysis(db), casesWithoutAnalysis(db)]);
    const not = [...(denied.length ? [`NOT ${inList("interviewId", denied)}`] : []), ...(deniedCases.length ? [`NOT ${inList("caseId", deniedCases)}`] : [])];
    parts.push(not.length ? `(audience = "research" AND ${not.join(" AND ")})` : `audience = "research"`);
  }
  if (v.codebook) parts.push(`audience = "codebook"`);
  if (v.counselling === "all") parts.push(`audience = "counselling"`);
  else if (v.counselling?.length) parts.push(`(audience = "counselling" AND ${inList("municipalityId", v.counselling)})`);
  if (v.narratives) parts.push(`audience = "commissioner"`);
  return parts.length ? `(${parts.join(" OR ")})` : `audience = "none"`;
}

export function filterExpressions(f: SearchFilters): string[] {
  const out: string[] = [];
  if (f.kinds?.length) out.push(inList("kind", f.kinds));
  for (const code of new Set(f.codeIds ?? [])) out.push(`codeIds = ${q(code)}`);
  if (f.dimensions?.length) out.push(inList("dimensions", f.dimensions));
  if (f.languages?.length) out.push(inList("language", f.languages));
  if (f.municipalityIds?.length) out.push(inList("municipalityId", f.municipalityIds));
  if (f.caseGroups?.length) out.push(inList("caseGroup", f.caseGroups));
  if (f.speakers?.length) out.push(inList("speaker", f.speakers));
  if (f.authorIds?.length) out.push(inList("authorId", f.authorIds));
  if (f.from) out.push(`docDate >= ${Math.floor(f.from.getTime() / 1000)}`);
  if (f.to) out.push(`docDate <= ${Math.floor(f.to.getTime() / 1000)}`);
  return out;
}

const FACET_ATTRIBUTE: Record<Facet, string> = {
  kind: "kind",
  municipality: "municipalityId",
  caseGroup: "caseGroup",
  language: "language",
  speaker: "speaker",
  code: "codeIds",
  dimension: "dimensions",
  author: "authorId",
};

export class MeiliEngine implements SearchEngine {
  readonly name = "meilisearch" as const;
  constructor(
    private readonly db: Db,
    private readonly meili = meiliClient(),
    private readonly uid = meiliIndexName(),
  ) {}

  private async prepare(req: Omit<EngineRequest, "offset" | "limit" | "sort">) {
    const clauses = toMeiliClauses(req.query);
    if (!clauses) throw new Error("query too complex for Meilisearch");
    const filter: Filter = [await visibilityFilter(this.db, req.visibility), ...filterExpressions(req.filters)].join(" AND ");
    return { clauses, filter };
  }

  async search(req: EngineRequest): Promise<EngineResult> {
    const { clauses, filter } = await this.prepare(req);
    const sort = req.sort === "date" ? ["docDate:desc"] : undefined;
    const common = { filter, matchingStrategy: "all" as const, attributesToRetrieve: MEILI_SETTINGS.displayedAttributes, sort };
    type Hit = Omit<MeiliDoc, "text"> & { docDate: number | null };
    let hits: Hit[];
    let total: number;
    if (clauses.length === 1) {
      const r = await this.meili.index(this.uid).search<Hit>(meiliQueryString(clauses[0]!), { ...common, offset: req.offset, limit: req.limit });
      hits = r.hits;
      total = r.estimatedTotalHits ?? r.hits.length;
    } else {
      // OR: one query per clause, merged by Meilisearch's federated search (ranked together, de-duplicated).
      const r = (await this.meili.multiSearch({
        federation: { offset: req.offset, limit: req.limit },
        queries: clauses.map((c) => ({ indexUid: this.uid, q: meiliQueryString(c), ...common })),
      })) as unknown as { hits: Hit[]; estimatedTotalHits?: number };
      hits = r.hits;
      total = r.estimatedTotalHits ?? r.hits.length;
    }
    return {
      total,
      exact: total < MEILI_SETTINGS.pagination.maxTotalHits,
      hits: hits.map((h) => ({
        kind: h.kind as Kind,
        sourceId: h.sourceId,
        title: h.title,
        interviewId: h.interviewId,
        caseId: h.caseId,
        speaker: h.speaker,
        startMs: h.startMs,
        codeIds: h.codeIds ?? [],
        docDate: h.docDate === null || h.docDate === undefined ? null : new Date(h.docDate * 1000),
      })),
    };
  }

  async facets(req: Omit<EngineRequest, "offset" | "limit" | "sort">): Promise<FacetResult> {
    const { clauses, filter } = await this.prepare(req);
    if (clauses.length === 1) {
      const out = emptyFacets();
      const r = await this.meili.index(this.uid).search(meiliQueryString(clauses[0]!), { filter, matchingStrategy: "all", limit: 0, facets: Object.values(FACET_ATTRIBUTE) });
      for (const facet of FACETS) {
        for (const [value, n] of Object.entries(r.facetDistribution?.[FACET_ATTRIBUTE[facet]] ?? {})) out[facet][value] = n;
      }
      return { counts: out, complete: true };
    }
    // OR: each clause's facet distribution would count a passage that matches two clauses twice. The federated
    // search names the matches once each; their facets are counted from SearchEntry, over the first FACET_LIMIT
    // as on FTS5 and PostgreSQL.
    const r = (await this.meili.multiSearch({
      federation: { offset: 0, limit: FACET_LIMIT },
      queries: clauses.map((c) => ({ indexUid: this.uid, q: meiliQueryString(c), filter, matchingStrategy: "all" as const, attributesToRetrieve: ["kind", "sourceId"] })),
    })) as unknown as { hits: { kind: string; sourceId: string }[]; estimatedTotalHits?: number };
    const counted = await countFacetsOfEntries(this.db, r.hits);
    return { counts: counted.counts, complete: (r.estimatedTotalHits ?? r.hits.length) <= r.hits.length };
  }
}
