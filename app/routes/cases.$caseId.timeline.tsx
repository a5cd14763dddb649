// The case's timeline: one list in time order, filterable by dimension and kind, printable. Integration
// managers (and admins) confirm or reject passage proposals right here, next to their notes.
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { Fragment, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { buildTimeline } from "../timeline/timeline.server.ts";
import { parseTimelineFilters, TIMELINE_DIMENSIONS, TIMELINE_KINDS } from "../timeline/filters.ts";
import { confirmProposal, LinkRefusal, rejectProposal } from "../links/links.server.ts";
import { MAX_REASON_LENGTH } from "../links/limits.ts";
import { codeName, observationText } from "../links/format.ts";
import { formatClock } from "../links/passage.ts";
import { formatDay, indicatorLabel } from "../indicators/format.ts";
import { sortAreas } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/timeline.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "timeline");
  const filters = parseTimelineFilters(new URL(request.url));
  const timeline = await buildTimeline(request, grant, params.caseId ?? "", filters);
  return json({
    ...timeline,
    filters,
    canConfirm: hasPermission(grant.user, "confirm", "passage-link"),
    canReadNotes: hasPermission(grant.user, "read", "note"),
    canReadInterviews: hasPermission(grant.user, "read", "interview"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "confirm", "passage-link");
  const caseId = params.caseId ?? "";
  const form = await readForm(request, grant.user);
  const intent = String(form.get("intent") ?? "");
  const linkId = String(form.get("linkId") ?? "");
  try {
    if (intent === "confirm") await confirmProposal(request, grant, caseId, linkId);
    else if (intent === "reject") await rejectProposal(request, grant, caseId, linkId, String(form.get("reason") ?? ""));
    else return json({ ok: false as const, linkId, error: "timeline:links.errors.intent" }, { status: 400 });
  } catch (error) {
    if (!(error instanceof LinkRefusal)) throw error;
    const status = error.code === "consent" ? 403 : error.code === "decided" ? 409 : 400;
    // A typed reason comes back with the refusal, so it is not lost when someone else decided meanwhile.
    const reason = intent === "reject" ? String(form.get("reason") ?? "").trim() : "";
    return json({ ok: false as const, linkId, error: `timeline:decide.errors.${error.code}`, reason }, { status });
  }
  const url = new URL(request.url);
  url.searchParams.set("decided", intent === "confirm" ? "confirmed" : "rejected");
  return redirect(`${url.pathname}?${url.searchParams}#passage-${linkId}`);
}

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];

export default function CaseTimeline() {
  const data = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("timeline");
  const lang = i18n.language;
  const decided = searchParams.get("decided");
  const location = useLocation();
  // The decided passage, whose buttons are gone after the decision: focus goes to it (not to the top of the page),
  // so a keyboard or screen reader user hears the outcome there and carries on with the next proposal.
  const decidedLinkId = decided && location.hash.startsWith("#passage-") ? location.hash.slice("#passage-".length) : null;
  useEffect(() => {
    if (decidedLinkId) document.getElementById(`passage-${decidedLinkId}`)?.focus();
  }, [decidedLinkId, location.key]);
  const filtered = data.filters.dimension !== null || data.filters.kinds.length > 0;
  let lastYear = "";
  return (
    <section aria-labelledby="timeline-title" className="timeline-page">
      <div className="timeline-head">
        <h2 id="timeline-title">{t("timeline.title")}</h2>
        <button type="button" className="no-print" onClick={() => window.print()}>
          {t("timeline.print")}
        </button>
      </div>
      <p className="print-only">{t("timeline.printHeading", { pseudonym: data.case.pseudonym, date: formatDay(new Date(), lang) })}</p>

      {decided ? (
        <p className="notice" role="status">
          {t(`decide.done.${decided}`, { defaultValue: "" })}
        </p>
      ) : null}
      {data.openProposals.length && data.canConfirm ? (
        <p className="notice proposals-summary">
          {t("timeline.openProposals", { count: data.openProposals.length })}{" "}
          {data.openProposals.map((p, i) => (
            // Named by what it proposes: "Vorschlag 1" alone says nothing in a screen reader's list of links.
            // Separated by commas, or the names run together into one line ("…: WohnenVorschlag 2: …").
            <Fragment key={p.linkId}>
              {i > 0 ? ", " : null}
              <a href={`#passage-${p.linkId}`}>{t("timeline.proposalN", { n: i + 1, indicator: indicatorLabel(p.indicator, lang) })}</a>
            </Fragment>
          ))}
        </p>
      ) : null}
      {data.contradictions ? (
        <p className="contradiction-summary" role="note">
          {t("timeline.contradictions", { count: data.contradictions })}
        </p>
      ) : null}

      <Form method="get" className="filters no-print" aria-label={t("timeline.filters")}>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="timeline-dimension">{t("timeline.dimension")}</label>
            <select id="timeline-dimension" name="dimension" defaultValue={data.filters.dimension ?? ""}>
              <option value="">{t("timeline.allDimensions")}</option>
              {TIMELINE_DIMENSIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`indicators:dimension.${d}`)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="kinds">
            <legend>{t("timeline.kinds")}</legend>
            {TIMELINE_KINDS.map((k) => (
              <label key={k} className="checkbox-row">
                <input type="checkbox" name="kind" value={k} defaultChecked={data.filters.kinds.includes(k)} /> {t(`kinds.${k}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit">{t("timeline.apply")}</button>
          <Link to=".">{t("timeline.reset")}</Link>
        </div>
      </Form>

      <p className="muted">{filtered ? t("timeline.countFiltered", { count: data.entries.length, total: data.total }) : t("timeline.count", { count: data.entries.length })}</p>

      {data.entries.length === 0 ? (
        <p>{t("timeline.empty")}</p>
      ) : (
        <ol className="timeline" aria-label={t("timeline.listLabel", { pseudonym: data.case.pseudonym })}>
          {data.entries.map((e) => {
            const year = e.date.slice(0, 4);
            const heading = year !== lastYear;
            lastYear = year;
            return (
              <li key={e.key} id={e.kind === "passage" ? `passage-${e.linkId}` : undefined} tabIndex={e.kind === "passage" && e.linkId === decidedLinkId ? -1 : undefined} className={`entry entry-${e.kind}${e.kind === "passage" && e.contradiction ? " has-contradiction" : ""}`}>
                {heading ? <span className="year" aria-hidden="true">{year}</span> : null}
                <div className="when">
                  <time dateTime={e.date.slice(0, 10)}>{formatDay(e.date, lang)}</time>
                  <span className="kind">{t(`kinds.${e.kind}`)}</span>
                </div>
                <div className="what">
                  <EntryBody entry={e} caseId={data.case.id} />
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function EntryBody({ entry: e, caseId }: { entry: Entry; caseId: string }) {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("timeline");
  const { t: tc } = useTranslation("cases");
  const lang = i18n.language;
  switch (e.kind) {
    case "case":
      return (
        <p>
          <strong>{t(`caseEvents.${e.event}`)}</strong>
          {e.reason ? ` – ${tc(`archiveReasons.${e.reason}`)}` : null}
        </p>
      );
    case "snapshot":
      return (
        <p>
          <strong>{indicatorLabel(e.indicator, lang)}</strong>:{" "}
          {e.previous ? (
            <>
              <span className="muted">{observationText(t, e.indicator, e.previous.state, e.previous.value, lang)}</span> <span aria-hidden="true">→</span>
              <span className="visually-hidden">{t("timeline.changedTo")}</span>{" "}
            </>
          ) : null}
          <strong>{observationText(t, e.indicator, e.state, e.value, lang)}</strong>{" "}
          <span className="muted">
            ({t(`indicators:source.${e.source}`)}
            {e.fromPassage ? `, ${t("timeline.fromInterview")}` : ""}
            {e.verified ? `, ${t("verified")}` : ""})
          </span>{" "}
          <Link className="no-print" to={`/cases/${caseId}/snapshots/${encodeURIComponent(e.indicator.code)}`} aria-label={t("timeline.historyLabel", { indicator: indicatorLabel(e.indicator, lang) })}>
            {t("timeline.history")}
          </Link>
        </p>
      );
    case "interview":
      return (
        <p>
          <strong>{e.code && data.canReadInterviews ? <Link to={`/interviews/${e.interviewId}`}>{t("timeline.interviewCode", { code: e.code })}</Link> : t("timeline.interview")}</strong>{" "}
          <span className="muted">({t(`interviews:statuses.${e.status}`, { defaultValue: e.status })})</span>
        </p>
      );
    case "note":
      return (
        <div>
          <p>
            <strong>{e.title}</strong> <span className="muted">({t(`noteTypes.${e.type}`, { defaultValue: e.type })})</span>
          </p>
          {e.excerpt ? <p className="excerpt">{e.excerpt}</p> : null}
          {data.canReadNotes ? (
            <p className="no-print">
              <Link to={`/cases/${caseId}/notes/${e.noteId}`}>{t("timeline.toNotes")}</Link>
            </p>
          ) : null}
        </div>
      );
    case "contact":
      return (
        <p>
          {tc(`contactKinds.${e.contactKind}`)}, {tc("contacts.minutes", { count: e.durationMinutes })}
        </p>
      );
    case "plan":
      return (
        <p>
          <strong>{t("timeline.plan")}</strong>: {sortAreas(e.areas).map((a) => `${tc(`planAreas.${a.area}`)} (${tc(`planStatuses.${a.status}`)})`).join(", ")}
        </p>
      );
    case "passage":
      return <PassageEntry entry={e} />;
  }
}

function PassageEntry({ entry: e }: { entry: Extract<Entry, { kind: "passage" }> }) {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("timeline");
  const lang = i18n.language;
  const label = indicatorLabel(e.indicator, lang);
  const busy = navigation.state !== "idle";
  const refusal = actionData && !actionData.ok && actionData.linkId === e.linkId ? actionData : null;
  const error = refusal?.error ?? null;
  return (
    <div>
      <p>
        <span className={`badge link-${e.status}`}>{t(`status.${e.status}`)}</span> <strong>{label}</strong>
        {e.story ? (
          <>
            : <strong>{observationText(t, e.indicator, e.story.state, e.story.value, lang)}</strong>
          </>
        ) : null}{" "}
        <span className="muted">({t("links.sourceInterview")})</span>
      </p>
      <blockquote className="quote">{e.quote}</blockquote>
      <p className="muted">
        {[e.interviewCode, codeName({ name: e.codeName, nameEn: e.codeNameEn }, lang), e.speaker ? t("timeline.speaker", { speaker: e.speaker }) : null, e.startMs !== null && e.endMs !== null ? `${formatClock(e.startMs)}–${formatClock(e.endMs)}` : null]
          .filter(Boolean)
          .join(" · ")}
      </p>
      {e.playable ? <audio className="no-print" controls preload="none" src={`/passage-links/${e.linkId}/audio`} aria-label={t("timeline.playLabel", { indicator: label })} /> : null}
      {e.contradiction ? (
        <p className="contradiction" role="note">
          <strong>{t("timeline.contradiction")}</strong>{" "}
          {t("timeline.contradictionText", {
            register: observationText(t, e.indicator, e.contradiction.registerState, e.contradiction.registerValue, lang),
            date: formatDay(e.contradiction.registerDate, lang),
          })}
          {e.contradiction.direction ? ` ${t(`timeline.direction.${e.contradiction.direction}`)}` : null}
        </p>
      ) : null}
      {e.reason ? <p className="muted">{t("links.rejectedBecause", { reason: e.reason })}</p> : null}
      {e.registerDeleted ? <p className="muted">{t("timeline.registerDeleted")}</p> : null}
      {error ? (
        // Also once the proposal was decided by someone else meanwhile (then the form below is gone).
        <div className="form-error no-print" role="alert">
          <p>{t(error)}</p>
          {refusal && "reason" in refusal && refusal.reason ? <p>{t("decide.yourReason", { reason: refusal.reason })}</p> : null}
        </div>
      ) : null}
      {e.status === "proposed" && data.canConfirm ? (
        <div className="decide no-print">
          <Form method="post" className="inline-form">
            <CsrfInput />
            <input type="hidden" name="linkId" value={e.linkId} />
            <button type="submit" name="intent" value="confirm" disabled={busy} aria-label={t("decide.confirmLabel", { indicator: label })}>
              {t("decide.confirm")}
            </button>
          </Form>
          <Form method="post" className="reject-form">
            <CsrfInput />
            <input type="hidden" name="linkId" value={e.linkId} />
            <div className="field">
              <label htmlFor={`reason-${e.linkId}`}>{t("decide.reason")}</label>
              <input id={`reason-${e.linkId}`} name="reason" required maxLength={MAX_REASON_LENGTH} />
            </div>
            <button type="submit" name="intent" value="reject" disabled={busy} aria-label={t("decide.rejectLabel", { indicator: label })}>
              {t("decide.reject")}
            </button>
          </Form>
        </div>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
