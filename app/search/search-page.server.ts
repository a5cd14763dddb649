// The search page and the header's suggestions: permission, URL parameters -> filters, the query, labels for
// facet values, and an audit entry (counts and filter names only: a query may hold a person's name).
import type { Grant } from "../permissions/permissions.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { requireUser } from "../auth/session.server.ts";
import { accessFor } from "../permissions/roles.ts";
import { forbidden } from "../utils/responses.server.ts";
import { audit } from "../audit/audit.server.ts";
import { db } from "../db/client.server.ts";
import { languageOf } from "../i18n/language.server.ts";
import { search, type SearchOutcome } from "../../search/search.server.ts";
import { KINDS, SPEAKER_ROLES, type Kind, type SpeakerRole } from "../../search/documents.server.ts";
import type { FacetCounts, SearchFilters, SearchSort, Visibility } from "../../search/query/types.ts";
import { maySearch, showsCases, visibilityOf } from "./visibility.server.ts";
import { MAX_QUERY_CHARS } from "../../search/query/parse.ts";

const SEARCH_ENTITIES = ["research", "counselling", "narrative"] as const;

/** requirePermission for whichever search permission the user holds (403 without any). */
export async function requireSearch(request: Request): Promise<{ grant: Grant; visibility: Visibility }> {
  const user = await requireUser(request);
  const entity = SEARCH_ENTITIES.find((e) => accessFor(user.roles, "search", e) !== null);
  if (!entity) throw forbidden();
  const grant = await requirePermission(request, "search", entity);
  const visibility = visibilityOf(grant.user);
  if (!maySearch(visibility)) throw forbidden();
  return { grant, visibility };
}

const list = (params: URLSearchParams, name: string, max = 50) =>
  params
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v && v.length <= 64)
    .slice(0, max);

function date(value: string | null, endOfDay = false): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export type PageQuery = { q: string; page: number; sort: SearchSort; filters: SearchFilters; raw: Record<string, string | string[]> };

export function parsePageQuery(url: URL, visibility: Visibility): PageQuery {
  const p = url.searchParams;
  const cases = showsCases(visibility);
  const filters: SearchFilters = {
    kinds: list(p, "kind").filter((k): k is Kind => (KINDS as readonly string[]).includes(k)),
    // The commissioner narrows by nothing that could point to a person.
    codeIds: cases ? list(p, "code") : [],
    dimensions: cases ? list(p, "dim") : [],
    // Who sees only some municipalities' notes filters by those only (another's id in the URL is dropped, not named).
    municipalityIds: cases ? list(p, "municipality").filter((id) => visibility.research || !Array.isArray(visibility.counselling) || visibility.counselling.includes(id)) : [],
    caseGroups: cases ? list(p, "group") : [],
    languages: cases ? list(p, "lang") : [],
    speakers: cases ? list(p, "speaker").filter((s): s is SpeakerRole => (SPEAKER_ROLES as readonly string[]).includes(s)) : [],
    authorIds: cases ? list(p, "author") : [],
    from: date(p.get("from")),
    to: date(p.get("to"), true),
  };
  const page = Math.max(1, Math.min(500, Number.parseInt(p.get("page") ?? "1", 10) || 1));
  return {
    q: (p.get("q") ?? "").slice(0, MAX_QUERY_CHARS),
    page,
    sort: p.get("sort") === "date" ? "date" : "relevance",
    filters,
    raw: {
      kind: filters.kinds ?? [],
      code: filters.codeIds ?? [],
      dim: filters.dimensions ?? [],
      municipality: filters.municipalityIds ?? [],
      group: filters.caseGroups ?? [],
      lang: filters.languages ?? [],
      speaker: filters.speakers ?? [],
      author: filters.authorIds ?? [],
      from: p.get("from") && filters.from ? p.get("from")! : "",
      to: p.get("to") && filters.to ? p.get("to")! : "",
    },
  };
}

export type FacetLabels = {
  municipality: Record<string, string>;
  code: Record<string, { key: string | null; name: string; colour: string }>;
  author: Record<string, string>;
  /** a dimension's name (its root code's, "SOZ" -> "Social integration") in the reader's language */
  dimension: Record<string, string>;
};

/** Names for the ids among facet values (municipalities, codes, authors); never anything about a person. */
async function facetLabels(facets: FacetCounts | null, selected: SearchFilters, language: "de" | "en"): Promise<FacetLabels> {
  const ids = (facet: keyof FacetCounts, extra: string[] = []) => [...new Set([...Object.keys(facets?.[facet] ?? {}), ...extra])];
  const [municipalities, codes, authors, dimensions] = await Promise.all([
    db.municipality.findMany({ where: { id: { in: ids("municipality", selected.municipalityIds) } }, select: { id: true, name: true } }),
    db.code.findMany({ where: { id: { in: ids("code", selected.codeIds) } }, select: { id: true, key: true, name: true, nameEn: true, colour: true } }),
    db.user.findMany({ where: { id: { in: ids("author", selected.authorIds) } }, select: { id: true, displayName: true } }),
    // A dimension is the key of the code that carries it (STR, SOZ, X: the codebook's roots).
    db.code.findMany({ where: { key: { in: ids("dimension", selected.dimensions) } }, select: { key: true, name: true, nameEn: true } }),
  ]);
  return {
    municipality: Object.fromEntries(municipalities.map((m) => [m.id, m.name])),
    code: Object.fromEntries(codes.map((c) => [c.id, { key: c.key, name: (language === "en" && c.nameEn) || c.name, colour: c.colour }])),
    author: Object.fromEntries(authors.map((a) => [a.id, a.displayName])),
    dimension: Object.fromEntries(dimensions.map((d) => [d.key!, (language === "en" && d.nameEn) || d.name])),
  };
}

export const PAGE_SIZE = 20;

export async function searchPage(request: Request, grant: Grant, visibility: Visibility, query: PageQuery) {
  if (!query.q.trim()) return { outcome: null, labels: null };
  const language = languageOf(request);
  const outcome: SearchOutcome = await search({ q: query.q, filters: query.filters, visibility, page: query.page, pageSize: PAGE_SIZE, sort: query.sort, facets: true, showCase: showsCases(visibility), language });
  if (outcome.ok && !showsCases(visibility) && outcome.facets) {
    // Only the kind facet for the commissioner.
    outcome.facets = { ...outcome.facets, municipality: {}, caseGroup: {}, language: {}, speaker: {}, code: {}, dimension: {}, author: {} };
  }
  const labels = outcome.ok ? await facetLabels(outcome.facets, query.filters, language) : null;
  await audit(request, grant.user, {
    action: "search.query",
    entity: "search",
    detail: { ok: outcome.ok, total: outcome.ok ? outcome.total : 0, page: query.page, filters: Object.entries(query.raw).filter(([, v]) => (Array.isArray(v) ? v.length : v)).map(([k]) => k) },
  });
  return { outcome, labels };
}
