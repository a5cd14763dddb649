// Suggestions for the header's search box (search-as-you-type): the first few hits as JSON, same permissions
// and filters as /search. A resource route: no page.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireSearch } from "../search/search-page.server.ts";
import { endedSessionReply } from "../auth/session.server.ts";
import { showsCases } from "../search/visibility.server.ts";
import { audit } from "../audit/audit.server.ts";
import { search } from "../../search/search.server.ts";
import { asYouTypeQuery } from "../../search/query/parse.ts";
import { languageOf } from "../i18n/language.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

const SUGGESTIONS = 6;

export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 200);
  // Typing in the header must not lead to the login page (and away from unsaved work on the page).
  const ended = await endedSessionReply(request, { q, all: q, total: 0, hits: [] as never[], hint: "session" as string | null });
  if (ended) return ended;
  const { grant, visibility } = await requireSearch(request);
  const headers = { "Cache-Control": "no-store" };
  if (q.trim().length < 2) return json({ q, all: q, total: 0, hits: [], hint: null }, { headers });
  // The word being typed also finds the words it begins; "all results" opens /search with the same query.
  const all = asYouTypeQuery(q);
  const outcome = await search({ q: all, visibility, pageSize: SUGGESTIONS, showCase: showsCases(visibility), language: languageOf(request) });
  if (!outcome.ok) return json({ q, all, total: 0, hits: [], hint: outcome.hint }, { headers });
  await audit(request, grant.user, { action: "search.suggest", entity: "search", detail: { total: outcome.total } });
  return json({ q, all, total: outcome.total, hits: outcome.hits, hint: null }, { headers });
});
