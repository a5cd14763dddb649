// /search: full-text search over what the user may read (transcript passages, memos, codes, biography notes,
// released narratives), with facets to narrow down and paging. Everything is in the URL (a GET form), so a
// search can be bookmarked and the back button works.
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parsePageQuery, requireSearch, searchPage, PAGE_SIZE } from "../search/search-page.server.ts";
import { showsCases } from "../search/visibility.server.ts";
import { engineFor } from "../../search/search.server.ts";
import { SearchResult, type HitData } from "../search/results.tsx";
import { FACETS, type Facet } from "../../search/query/types.ts";
import { facetValueLabel } from "../search/facet-labels.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/search.css";
import { pageTitle } from "../i18n/title.server.ts";
import { MAX_QUERY_CHARS } from "../../search/query/parse.ts";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { loadCodebook } from "../coding/codebook.server.ts";
import { codeName, flatten } from "../coding/codebook-tree.ts";
import { AUTOCODE_UNITS, applyAutocode, lastUndoableBatch, previewAutocode, undoAutocode, type AutocodeUnit } from "../coding/autocode.server.ts";
import { AutocodePanel, LastBatchUndo } from "../search/autocode-panel.tsx";
import { languageOf } from "../i18n/language.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

/** URL parameter of each facet's filter. */
const PARAM: Record<Facet, string> = {
  kind: "kind",
  municipality: "municipality",
  caseGroup: "group",
  language: "lang",
  speaker: "speaker",
  code: "code",
  dimension: "dim",
  author: "author",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { grant, visibility } = await requireSearch(request);
  const query = parsePageQuery(new URL(request.url), visibility);
  const { outcome, labels } = await searchPage(request, grant, visibility, query);
  // A page past the end (an old link, a typed number): the last page, not "page 4 of 3, no results".
  if (outcome?.ok && outcome.total > 0 && outcome.page > Math.ceil(outcome.total / PAGE_SIZE)) {
    const url = new URL(request.url);
    url.searchParams.set("page", String(Math.ceil(outcome.total / PAGE_SIZE)));
    throw redirect(`${url.pathname}?${url.searchParams.toString()}`);
  }
  // "Code all hits": for who may code, over transcript passages found (the codebook as options, in tree order);
  // not when the hits hold none (only memos, codes or notes: nothing it could code).
  const language = languageOf(request);
  const passagesFound =
    outcome?.ok && outcome.total > 0 && (!query.filters.kinds?.length || query.filters.kinds.includes("paragraph")) && (!outcome.facets || !outcome.facetsComplete || (outcome.facets.kind.paragraph ?? 0) > 0);
  const autocode =
    passagesFound && visibility.research && hasPermission(grant.user, "write", "coding")
      ? flatten(await loadCodebook(grant)).map((c) => ({ id: c.id, label: `${"\u2003".repeat(c.depth)}${c.key ? `${c.key} ` : ""}${codeName(c, language)}` }))
      : null;
  return json({
    autocode,
    // Its undo, for the batch owner, once the result message is gone.
    lastBatch: visibility.research ? await lastUndoableBatch(grant) : null,
    title: pageTitle(request, "search:title"),
    q: query.q,
    sort: query.sort,
    selected: query.raw,
    scope: { research: visibility.research, counselling: visibility.counselling !== null, narratives: visibility.narratives && !visibility.research, cases: showsCases(visibility) },
    outcome: outcome && (outcome.ok ? { ok: true as const, total: outcome.total, exact: outcome.exact, page: outcome.page, pages: Math.max(1, Math.ceil(outcome.total / PAGE_SIZE)), hits: outcome.hits, facets: outcome.facets, facetsComplete: outcome.facetsComplete } : outcome),
    labels,
    // "from" after "to" finds nothing: said next to the results rather than left as a silent 0.
    rangeReversed: !!(query.filters.from && query.filters.to && query.filters.from > query.filters.to),
    // Only the beginning of a very long query is searched: said, rather than a silent 0 for a cut-off last word.
    cutAt: (new URL(request.url).searchParams.get("q") ?? "").length > MAX_QUERY_CHARS ? MAX_QUERY_CHARS : null,
    // Whether "*word" works here (not on Meilisearch): the page then offers it for a single word.
    partsSearchable: engineFor().wordsWithPart !== undefined,
  });
}

/** "Code all hits" of the query and filters in the URL: preview, apply, or undo a batch. */
export async function action({ request }: ActionFunctionArgs) {
  const { visibility } = await requireSearch(request);
  const grant = await requirePermission(request, "write", "coding");
  if (!visibility.research) throw new Response("Forbidden", { status: 403 });
  const form = await readForm(request, grant.user);
  const intent = form.get("intent");
  if (intent === "undo") {
    // A batch is named by its audit entry's id: anything else is no batch (and no number for the database).
    const batch = String(form.get("batch") ?? "");
    if (!/^[1-9]\d{0,14}$/.test(batch)) return json({ intent, undo: { ok: false, reason: "not-found" } } as const, { status: 400 });
    return json({ intent, undo: await undoAutocode(request, grant, Number(batch)) } as const);
  }
  const codeId = String(form.get("codeId") ?? "");
  const unit = String(form.get("unit") ?? "") as AutocodeUnit;
  if (!AUTOCODE_UNITS.includes(unit)) return json({ intent: "invalid" } as const, { status: 400 });
  const query = parsePageQuery(new URL(request.url), visibility);
  // The confirm carries the interviews its preview counted: those skipped since are named with the reason.
  const previewed = String(form.get("previewed") ?? "").split(",").filter(Boolean);
  const req = { q: query.q, filters: query.filters, visibility, codeId, unit, previewed };
  if (intent === "apply") {
    // Only the search its preview counted (the fingerprint the preview handed out; none: no preview).
    const result = await applyAutocode(request, grant, { ...req, search: String(form.get("search") ?? "") });
    return json({ intent, codeId, unit, result } as const, { status: !result.ok && result.reason === "search-changed" ? 409 : 200 });
  }
  return json({ intent: "preview", codeId, unit, result: await previewAutocode(grant, req) } as const);
}

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("search");
  const location = useLocation();
  const navigation = useNavigation();
  const busy = navigation.state === "loading" && navigation.location.pathname === "/search";
  const outcome = data.outcome;
  const selected = data.selected as Record<string, string | string[]>;
  const isSelected = (param: string, value: string) => ([] as string[]).concat(selected[param] ?? []).includes(value);

  // A single word may hide at the end of compounds (Prüfung in Kenntnisprüfung): offer "*word", filters kept.
  const partHref = (() => {
    const word = data.q.trim();
    if (!data.partsSearchable || !outcome?.ok || !/^[\p{L}\p{N}\p{M}]{3,}$/u.test(word)) return null;
    const params = new URLSearchParams(location.search);
    params.set("q", `*${word}`);
    params.delete("page");
    return `/search?${params.toString()}`;
  })();

  const pageHref = (page: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(page));
    return `/search?${params.toString()}`;
  };

  // Keys with their namespace (search:, cases:, interviews:).
  const { t: tn } = useTranslation();
  const valueLabel = (facet: Facet, value: string) => facetValueLabel(facet, value, data.labels, tn);

  const facets = outcome?.ok ? outcome.facets : null;
  const shownFacets = FACETS.filter((f) => facets && (Object.keys(facets[f]).length > 0 || ([] as string[]).concat(selected[PARAM[f]] ?? []).length > 0));

  return (
    <div className="search-page">
      <h1>{t("title")}</h1>
      <LastBatchUndo batch={data.lastBatch} />
      {/* Named apart from the header's quick search: two search landmarks on one page (axe landmark-unique). */}
      <Form method="get" action="/search" role="search" aria-label={t("formLabel")} className="search-form" aria-describedby="search-syntax">
        <div className="search-bar">
          <label htmlFor="search-q">{t("label")}</label>
          <input id="search-q" name="q" type="search" defaultValue={data.q} placeholder={t("placeholder")} autoComplete="off" key={data.q} />
          <button type="submit">{t("submit")}</button>
        </div>
        <p id="search-syntax" className="muted search-syntax">
          {t("syntaxHelp")}
        </p>
        <p className="muted">
          {[data.scope.research ? t("scope.research") : null, data.scope.counselling ? t("scope.counselling") : null, data.scope.narratives ? t("scope.narratives") : null].filter(Boolean).join(" ")}
        </p>

        {data.cutAt ? (
          <p className="notice search-hint" role="alert">
            {t("queryCut", { max: data.cutAt })}
          </p>
        ) : null}
        {data.rangeReversed ? (
          <p className="notice search-hint" role="alert">
            {t("rangeReversed")}
          </p>
        ) : null}
        {outcome && !outcome.ok ? (
          <div className="notice search-hint" role="alert">
            <p>
              <strong>{t("hintTitle")}</strong>
            </p>
            <p>{t(`hints.${outcome.hint}`)}</p>
          </div>
        ) : null}

        {outcome?.ok ? (
          <div className="search-layout">
            <aside className="search-facets" aria-labelledby="facets-title">
              <h2 id="facets-title">{t("facets.title")}</h2>
              {outcome.facetsComplete ? null : <p className="search-facets-partial">{t("facets.partial")}</p>}
              {shownFacets.map((facet) => (
                <fieldset key={facet} className="search-facet">
                  <legend>{t(`facets.${facet}`)}</legend>
                  <ul>
                    {Object.entries(facets![facet])
                      .sort((a, b) => b[1] - a[1])
                      .slice(0, 30)
                      .map(([value, count]) => {
                        const id = `f-${facet}-${value}`.replace(/[^A-Za-z0-9_-]/g, "_");
                        return (
                          <li key={value}>
                            <input type="checkbox" id={id} name={PARAM[facet]} value={value} defaultChecked={isSelected(PARAM[facet], value)} />
                            <label htmlFor={id}>
                              {valueLabel(facet, value)} <span className="search-count">({count})</span>
                            </label>
                          </li>
                        );
                      })}
                    {([] as string[])
                      .concat(selected[PARAM[facet]] ?? [])
                      .filter((v) => !(v in facets![facet]))
                      .map((value) => {
                        const id = `f-${facet}-${value}`.replace(/[^A-Za-z0-9_-]/g, "_");
                        return (
                          <li key={value}>
                            <input type="checkbox" id={id} name={PARAM[facet]} value={value} defaultChecked />
                            <label htmlFor={id}>
                              {valueLabel(facet, value)} <span className="search-count">(0)</span>
                            </label>
                          </li>
                        );
                      })}
                  </ul>
                </fieldset>
              ))}
              <fieldset className="search-facet">
                <legend>{t("facets.date")}</legend>
                <div className="field">
                  <label htmlFor="search-from">{t("facets.from")}</label>
                  <input id="search-from" type="date" name="from" defaultValue={String(selected.from ?? "")} />
                </div>
                <div className="field">
                  <label htmlFor="search-to">{t("facets.to")}</label>
                  <input id="search-to" type="date" name="to" defaultValue={String(selected.to ?? "")} />
                </div>
              </fieldset>
              <div className="field">
                <label htmlFor="search-sort">{t("sort.label")}</label>
                <select id="search-sort" name="sort" defaultValue={data.sort}>
                  <option value="relevance">{t("sort.relevance")}</option>
                  <option value="date">{t("sort.date")}</option>
                </select>
              </div>
              <button type="submit">{t("facets.apply")}</button>{" "}
              <Link to={`/search?q=${encodeURIComponent(data.q)}`}>{t("facets.reset")}</Link>
            </aside>

            <section className="search-results" aria-labelledby="results-title" aria-busy={busy}>
              <h2 id="results-title" aria-live="polite">
                {outcome.exact ? t("results", { count: outcome.total }) : t("resultsMore", { count: outcome.total })}
              </h2>
              {partHref ? (
                <p className="search-part-suggestion">
                  {t("partSuggestion")} <Link to={partHref}>*{data.q.trim()}</Link>
                </p>
              ) : null}
              {outcome.hits.length === 0 ? <p>{t("none")}</p> : null}
              {data.autocode ? <AutocodePanel codes={data.autocode} /> : null}
              <ol className="search-hit-list" aria-label={t("hit.list")}>
                {(outcome.hits as HitData[]).map((hit, i) => (
                  <li key={`${hit.kind}:${hit.sourceId}`}>
                    <SearchResult hit={hit} headingId={`hit-${i}`} />
                  </li>
                ))}
              </ol>
              {outcome.pages > 1 ? (
                <nav className="paging" aria-label={t("paging.label")}>
                  {outcome.page > 1 ? (
                    <Link to={pageHref(outcome.page - 1)} rel="prev">
                      {t("paging.previous")}
                    </Link>
                  ) : null}{" "}
                  <span>{t("paging.page", { page: outcome.page, pages: outcome.pages })}</span>{" "}
                  {outcome.page < outcome.pages ? (
                    <Link to={pageHref(outcome.page + 1)} rel="next">
                      {t("paging.next")}
                    </Link>
                  ) : null}
                </nav>
              ) : null}
            </section>
          </div>
        ) : !outcome ? (
          <p>{t("start")}</p>
        ) : null}
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
