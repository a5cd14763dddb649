// One search result: kind, where it comes from (interview, speaker, time, case pseudonym), the snippet with
// the hits marked, and its codes. Shared by the search page and the header's suggestions.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { SearchHit } from "../../search/search.server.ts";
import type { Segment } from "../../search/snippet.ts";
import { CodeSwatch } from "../coding/code-swatch.tsx";

/** Loader data arrives as JSON: dates become strings. */
export type HitData = Omit<SearchHit, "docDate"> & { docDate: string | null };

export function clock(ms: number | null): string {
  if (ms === null) return "";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function SnippetText({ segments, before, after }: { segments: Segment[]; before: boolean; after: boolean; spoken?: boolean }) {
  return (
    <>
      {before ? "… " : null}
      {segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
      {after ? " …" : null}
    </>
  );
}

/** "Transkript · Interview INT-2025-0001 · B (befragte Person) · bei 02:31 · Fall LOE-2016-0001" */
export function hitSource(hit: HitData, t: (key: string, options?: Record<string, unknown>) => string): string {
  const parts = [t(`kinds.${hit.kind}`)];
  if (hit.title) parts.push(hit.title);
  if (hit.interview) parts.push(t("hit.interview", { code: hit.interview.code }));
  // "B (interviewee)": the transcript's short labels (Dresing & Pehl, German) explained in the reader's language.
  if (hit.speaker) parts.push(hit.speakerRole ? t("hit.speaker", { label: hit.speaker, role: t(`hit.roles.${hit.speakerRole}`) }) : hit.speaker);
  if (hit.kind === "paragraph" && hit.startMs !== null) parts.push(t("hit.at", { time: clock(hit.startMs) }));
  if (hit.casePseudonym) parts.push(t("hit.case", { pseudonym: hit.casePseudonym }));
  return parts.join(" · ");
}

export function SearchResult({ hit, headingId }: { hit: HitData; headingId: string }) {
  const { t } = useTranslation("search");
  return (
    <article className={`search-hit search-hit-${hit.kind}`} aria-labelledby={headingId}>
      <h3 id={headingId} className="search-hit-source">
        {hit.href ? <Link to={hit.href}>{hitSource(hit, t)}</Link> : hitSource(hit, t)}
      </h3>
      <p className="search-snippet" lang={hit.language} data-spoken={hit.snippet.spoken ? "true" : undefined}>
        <SnippetText {...hit.snippet} />
      </p>
      {hit.codes.length ? (
        <ul className="search-codes" aria-label={t("hit.codes")}>
          {hit.codes.map((c) => (
            <li key={c.id}>
              <CodeSwatch colour={c.colour} />
              {c.key ? `${c.key} ` : ""}
              {c.name}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
