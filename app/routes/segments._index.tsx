import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { audit } from "../audit/audit.server.ts";
import { auditMemosShown } from "../memos/memos.server.ts";
import { pageTitle } from "../i18n/title.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { loadCodeTree } from "../retrieval/codes.server.ts";
import { findCodedSegments, type SegmentHit } from "../retrieval/segments.server.ts";
import { filterOptions } from "../retrieval/options.server.ts";
import { AGE_BANDS, filterQuery, parseSegmentFilters } from "../retrieval/filters.ts";
import { CASE_GROUPS } from "../cases/case-fields.ts";
import { valueLabel } from "../indicators/format.ts";
import { formatDpTimestamp } from "../transcripts/formats/timestamp.ts";
import styles from "../styles/retrieval.css";
import { indicatorLabel } from "../indicators/format.ts";
import { RESEARCH_LANGUAGE } from "../i18n/content-language.ts";
import { RedactOption } from "../components/redact-option.tsx";
import { SPEAKER_ROLES } from "../transcripts/speakers.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "coding");
  const filters = parseSegmentFilters(new URL(request.url));
  const tree = await loadCodeTree();
  const [result, options] = await Promise.all([findCodedSegments(grant, filters, { tree }), filterOptions(tree)]);
  // Retrieval reads research data (passages of interviews): who looked for what, and how much came back.
  await audit(request, grant.user, { action: "coding.retrieve", entity: "coding", detail: { filters: filterQuery(filters), page: filters.page, total: result.total } });
  // The memos shown with the segments are read as on their own page (ADR 0016).
  await auditMemosShown(request, grant.user, result.hits.flatMap((h) => h.memos));
  return json({ title: pageTitle(request, "retrieval:segments.title"), filters, result, options, query: filterQuery(filters) });
}

/** The downloads, with identifying details replaced unless the box is unticked (then the links carry redact=0). */
function DownloadLinks({ query }: { query: string }) {
  const { t } = useTranslation("retrieval");
  const [redact, setRedact] = useState(true);
  const search = [query, redact ? "" : "redact=0"].filter(Boolean).join("&");
  return (
    <div className="field">
      <RedactOption id="segments-redact" checked={redact} onChange={setRedact} label={t("segments.redact")} hint={t("segments.redactHint")} />
      <div className="actions-row">
        <a href={`/segments.csv${search ? `?${search}` : ""}`}>
          {t("segments.csv")}
        </a>
        <a href={`/segments.docx${search ? `?${search}` : ""}`}>
          {t("segments.docx")}
        </a>
      </div>
    </div>
  );
}

export default function Segments() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("retrieval");
  const { result, query } = data;
  const pageHref = (page: number) => `/segments?${filterQuery(data.filters, { page: String(page) })}`;
  return (
    <>
      <h1>{t("segments.title")}</h1>
      <p className="muted">{t("segments.intro")}</p>
      <div className="actions-row">
        <Link to="/segments/matrix">{t("matrix.link")}</Link>
      </div>
      <FilterForm />
      <section aria-labelledby="hits-title" className="segment-results">
        <h2 id="hits-title">{t("segments.hitsTitle")}</h2>
        {data.filters.speakerLabel ? (
          // An address from before the filter took roles: it still finds the label's turns, and says so.
          <p className="notice" role="alert">
            {t("filters.speakerLabelRead", { label: data.filters.speakerLabel })}
          </p>
        ) : null}
        {/* Passages and the codings on them (what the matrix and the CSV count): two codes on the same words are one passage, two codings. */}
        <p role="status">{t("segments.countCodings", { count: result.total, codings: result.codings })}</p>
        {result.total > 0 ? (
          <DownloadLinks query={query} />
        ) : null}
        <ol className="segment-list" start={(result.page - 1) * result.pageSize + 1}>
          {result.hits.map((hit) => (
            <Hit key={`${hit.transcriptId}:${hit.start}:${hit.end}`} hit={hit} />
          ))}
        </ol>
        {result.pages > 1 ? (
          <nav className="pager" aria-label={t("segments.paging")}>
            {result.page > 1 ? (
              <Link to={pageHref(result.page - 1)} rel="prev">
                {t("segments.previous")}
              </Link>
            ) : null}
            <span aria-current="page">{t("segments.page", { page: result.page, pages: result.pages })}</span>
            {result.page < result.pages ? (
              <Link to={pageHref(result.page + 1)} rel="next">
                {t("segments.next")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}

function FilterForm() {
  const { filters, options } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("retrieval");
  const lang = i18n.language;
  const selected = new Set(filters.codeIds);
  const indicatorValue = (code: string) => filters.indicators.find((i) => i.code === code)?.value ?? "";
  return (
    <Form method="get" className="filters segment-filters" aria-label={t("filters.label")}>
      <div className="filter-grid">
        <fieldset className="code-tree">
          <legend>{t("filters.codes")}</legend>
          {options.codes.length === 0 ? <p className="muted">{t("filters.noCodes")}</p> : null}
          <ul>
            {options.codes.map((c) => {
              const name = lang === "en" && c.nameEn ? c.nameEn : c.name;
              return (
                <li key={c.id} style={{ paddingLeft: `${c.depth * 1.25}rem` }}>
                  <label className="checkbox-row">
                    <input type="checkbox" name="code" value={c.id} defaultChecked={selected.has(c.id)} />
                    <span className="code-swatch" style={{ background: c.colour }} aria-hidden="true" />
                    {c.key ? <span className="code-key">{c.key}</span> : null} {name}
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <div>
          <fieldset>
            <legend>{t("filters.mode.label")}</legend>
            <label className="checkbox-row">
              <input type="radio" name="mode" value="or" defaultChecked={filters.mode === "or"} />
              {t("filters.mode.or")}
            </label>
            <label className="checkbox-row">
              <input type="radio" name="mode" value="and" defaultChecked={filters.mode === "and"} />
              {t("filters.mode.and")}
            </label>
            <input type="hidden" name="sub" value="0" />
            <label className="checkbox-row">
              <input type="checkbox" name="sub" value="1" defaultChecked={filters.subcodes} />
              {t("filters.subcodes")}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t("filters.caseAttributes")}</legend>
            <p className="muted small">{t("filters.atInterviewDate")}</p>
            <div className="inline-fields">
              <div className="field">
                <label htmlFor="f-municipality">{t("filters.municipality")}</label>
                <select id="f-municipality" name="municipality" defaultValue={filters.municipalityIds[0] ?? ""}>
                  <option value="">{t("filters.all")}</option>
                  {options.municipalities.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-group">{t("filters.group")}</label>
                <select id="f-group" name="group" defaultValue={filters.groups[0] ?? ""}>
                  <option value="">{t("filters.all")}</option>
                  {CASE_GROUPS.map((g) => (
                    <option key={g} value={g}>
                      {t(`groups.${g}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-age">{t("filters.ageBand")}</label>
                <select id="f-age" name="age" defaultValue={filters.ageBand ?? ""}>
                  <option value="">{t("filters.all")}</option>
                  {AGE_BANDS.map((b) => (
                    <option key={b.key} value={b.key}>
                      {t(`ageBands.${b.key}`)}
                    </option>
                  ))}
                </select>
              </div>
              {options.indicators.map((ind) => (
                <div className="field" key={ind.code}>
                  <label htmlFor={`f-${ind.code}`}>{indicatorLabel(ind, lang)}</label>
                  <select id={`f-${ind.code}`} name={`i.${ind.code}`} defaultValue={indicatorValue(ind.code)}>
                    <option value="">{t("filters.all")}</option>
                    {ind.values.map((v) => (
                      <option key={v} value={v}>
                        {valueLabel(t, ind.code, v)}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("filters.source")}</legend>
            <div className="inline-fields">
              <div className="field">
                <label htmlFor="f-interview">{t("filters.interview")}</label>
                <input id="f-interview" name="interview" list="interview-codes" defaultValue={filters.interview ?? ""} size={16} />
                <datalist id="interview-codes">
                  {options.interviewCodes.map((code) => (
                    <option key={code} value={code} />
                  ))}
                </datalist>
              </div>
              <div className="field">
                <label htmlFor="f-speaker">{t("filters.speaker")}</label>
                <select id="f-speaker" name="speaker" defaultValue={filters.speaker ?? filters.speakerLabel ?? ""} aria-describedby="f-speaker-hint">
                  <option value="">{t("filters.all")}</option>
                  {/* kept while the form is sent again, until a role or "all" is chosen */}
                  {filters.speakerLabel ? <option value={filters.speakerLabel}>{t("filters.speakerLabelOption", { label: filters.speakerLabel })}</option> : null}
                  {SPEAKER_ROLES.map((role) => (
                    <option key={role} value={role}>
                      {t(`speakers.${role}`)}
                    </option>
                  ))}
                </select>
                <span id="f-speaker-hint" className="muted small">
                  {t("filters.speakerHint")}
                </span>
              </div>
              <div className="field">
                <label htmlFor="f-author">{t("filters.author")}</label>
                <select id="f-author" name="author" defaultValue={filters.authorId ?? ""}>
                  <option value="">{t("filters.all")}</option>
                  {options.authors.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.displayName}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </fieldset>
          <div className="actions-row">
            <button type="submit">{t("filters.submit")}</button>
            <Link to="/segments">{t("filters.reset")}</Link>
          </div>
        </div>
      </div>
    </Form>
  );
}

const clock = (ms: number) => formatDpTimestamp(ms).replace(/#/g, "");

function Hit({ hit }: { hit: SegmentHit }) {
  const { t, i18n } = useTranslation("retrieval");
  const lang = i18n.language;
  const [playing, setPlaying] = useState(false);
  const seconds = hit.startMs / 1000;
  return (
    <li className="segment">
      <div className="segment-head">
        {/* the coded words' offsets: the transcript opens with them selected */}
        <Link to={`/interviews/${hit.interviewId}/transcript?at=${hit.startMs}&from=${hit.start}&to=${hit.end}`}>{hit.interviewCode}</Link>
        <span>{hit.casePseudonym}</span>
        <span>
          {t("segments.speaker")}: <strong>{hit.speaker || "?"}</strong> {hit.speaker ? `(${t(`segments.roles.${hit.speakerRole}`)})` : null}
        </span>
        <span>
          <span className="visually-hidden">{t("segments.time")}: </span>
          <time>{clock(hit.startMs)}</time>
        </span>
      </div>
      <ul className="segment-codes" aria-label={t("segments.codes")}>
        {hit.codes.map((c) => (
          <li key={c.id}>
            <span className="code-swatch" style={{ background: c.colour }} aria-hidden="true" />
            {c.key ? `${c.key} ` : ""}
            {lang === "en" && c.nameEn ? c.nameEn : c.name}
          </li>
        ))}
      </ul>
      <blockquote className="segment-text" lang={hit.language}>
        {hit.before ? <span className="context">{`${hit.before}${hit.gapBefore ? " " : ""}`}</span> : null}
        <mark>{hit.text}</mark>
        {hit.after ? <span className="context">{`${hit.gapAfter ? " " : ""}${hit.after}`}</span> : null}
      </blockquote>
      {hit.comments.map((c) => (
        <p key={c} className="segment-comment">
          <span className="muted">{t("segments.comment")}:</span> <span lang={RESEARCH_LANGUAGE}>{c}</span>
        </p>
      ))}
      {hit.memos.length ? (
        <ul className="segment-memos" aria-label={t("segments.memos")}>
          {hit.memos.map((m) => (
            <li key={m.id} className="segment-memo">
              <span className="muted">{t("segments.memo")}:</span> <Link to={`/memos/${m.id}`}>{m.title}</Link>
              {m.text ? <p lang={RESEARCH_LANGUAGE}>{m.text}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {hit.authors.length ? <p className="muted small">{t("segments.codedBy", { authors: hit.authors.join(", ") })}</p> : null}
      {hit.recordingId ? (
        <div className="segment-play">
          <button type="button" className="secondary" aria-expanded={playing} onClick={() => setPlaying(!playing)}>
            {playing ? t("segments.hidePlayer") : t("segments.play", { time: clock(hit.startMs) })}
          </button>
          {playing ? (
            // The media fragment starts the player at the segment; the handler seeks again for browsers that ignore it.
            <audio
              controls
              autoPlay
              preload="metadata"
              src={`/recordings/${hit.recordingId}/media#t=${seconds.toFixed(1)}`}
              aria-label={t("segments.player", { interview: hit.interviewCode, time: clock(hit.startMs) })}
              onLoadedMetadata={(e) => {
                if (Math.abs(e.currentTarget.currentTime - seconds) > 0.5) e.currentTarget.currentTime = seconds;
              }}
            />
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
