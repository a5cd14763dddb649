// What the app asks of a search engine and what it gets back; the same for FTS5, PostgreSQL and Meilisearch.
import type { Kind, SpeakerRole } from "../documents.server.ts";
import type { QueryNode } from "./parse.ts";
import type { PartForms } from "../text/normalize.ts";

export type SearchFilters = {
  kinds?: Kind[];
  /** passages carrying all of these codes */
  codeIds?: string[];
  /** passages with a code of any of these dimensions (STR, KUL, SOZ, IDE, X) */
  dimensions?: string[];
  municipalityIds?: string[];
  caseGroups?: string[];
  languages?: string[];
  speakers?: SpeakerRole[];
  from?: Date | null;
  to?: Date | null;
  authorIds?: string[];
};

/**
 * Which documents the user may find at all; goes into the engine query itself. research: transcript passages
 * and memos of interviews whose current consent has the analysis scope, and memos without an interview (a case memo
 * only while its case has no interview or one with that scope);
 * counselling: biography notes of these municipalities ("all" for the whole district); narratives: released
 * anonymized narratives; codebook: code descriptions.
 */
export type Visibility = { research: boolean; codebook: boolean; narratives: boolean; counselling: "all" | string[] | null };

export type SearchSort = "relevance" | "date";

export type EngineRequest = {
  query: QueryNode;
  filters: SearchFilters;
  visibility: Visibility;
  offset: number;
  limit: number;
  sort: SearchSort;
};

export type EngineHit = {
  kind: Kind;
  sourceId: string;
  title: string;
  interviewId: string | null;
  caseId: string | null;
  speaker: string | null;
  startMs: number | null;
  codeIds: string[];
  docDate: Date | null;
};

/** total: matches counted up to a limit; exact false: there are more than `total`. */
export type EngineResult = { total: number; exact: boolean; hits: EngineHit[] };

export const FACETS = ["kind", "municipality", "caseGroup", "language", "speaker", "code", "dimension", "author"] as const;
export type Facet = (typeof FACETS)[number];
export type FacetCounts = Record<Facet, Record<string, number>>;

/** complete false: counted over the first part of the results only (SQLite FTS5 on frequent words). */
export type FacetResult = { counts: FacetCounts; complete: boolean };

export interface SearchEngine {
  readonly name: "fts5" | "postgres" | "meilisearch";
  search(request: EngineRequest): Promise<EngineResult>;
  facets(request: Omit<EngineRequest, "offset" | "limit" | "sort">): Promise<FacetResult>;
  /**
   * Indexed words that end in (at "end") or contain (at "any") a word part's own form, or end in its form in a
   * compound after at least one letter; at most `limit`, from the whole index (the query that uses them is filtered
   * as any other). Absent: the engine has no vocabulary.
   */
  wordsWithPart?(forms: PartForms, at: "end" | "any", limit: number): Promise<string[]>;
}

export const emptyFacets = (): FacetCounts => Object.fromEntries(FACETS.map((f) => [f, {}])) as FacetCounts;
