// Story <-> number for one coded passage: link it to an existing snapshot of the same case, or propose a new
// one (pre-filled from the code and the quote) that an integration manager confirms on the case's timeline.
import { SubmitButton } from "../components/forms.tsx";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { audit } from "../audit/audit.server.ts";
import { chooseIndicator, linksOfCoding, linkToSnapshot, LinkRefusal, passageForLinking, proposalFor, proposeSnapshot, removeLink, snapshotsAround } from "../links/links.server.ts";
import { observationText, codeName } from "../links/format.ts";
import { formatClock } from "../links/passage.ts";
import { allowedValuesOf } from "../indicators/values.ts";
import { formatDay, indicatorLabel, valueLabel } from "../indicators/format.ts";
import { pageTitle } from "../i18n/title.server.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/timeline.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "link", "passage");
  const passage = await passageForLinking(grant, params.codingId ?? "");
  const title = pageTitle(request, "timeline:links.title", { code: passage.interview.code });
  const base = {
    title,
    passage: {
      codingId: passage.coding.id,
      quote: passage.coding.quote,
      orphaned: passage.coding.orphaned,
      code: { name: passage.coding.code.name, nameEn: passage.coding.code.nameEn, colour: passage.coding.code.colour, key: passage.coding.codeKey },
      interview: passage.interview,
      pseudonym: passage.case.pseudonym,
      place: passage.place,
      recordingId: passage.recordingId,
    },
  };
  // Without the linking scope the register's values of this person are not shown at all.
  if (!passage.linking.ok) return json({ ...base, refused: passage.linking.reason, linking: null });
  const url = new URL(request.url);
  const { indicators, chosen, suggested } = await chooseIndicator(url.searchParams.get("indicator"), passage.coding.codeKey);
  const [snapshots, existing] = await Promise.all([chosen ? snapshotsAround(passage.case.id, chosen.id, passage.interview.date) : Promise.resolve([]), linksOfCoding(passage.coding.id)]);
  await audit(request, grant.user, { action: "passage-link.view", entity: "case", entityId: passage.case.id, detail: { codingId: passage.coding.id, indicator: chosen?.code ?? null } });
  return json({
    ...base,
    refused: null,
    linking: {
      indicators: indicators.map((i) => ({ code: i.code, labelDe: i.labelDe, labelEn: i.labelEn })),
      suggested,
      chosen: chosen && { code: chosen.code, labelDe: chosen.labelDe, labelEn: chosen.labelEn, type: chosen.type, allowedValues: allowedValuesOf(chosen), minValue: chosen.minValue, maxValue: chosen.maxValue },
      proposal: proposalFor(passage, chosen),
      snapshots,
      existing,
    },
  });
}

type ActionResult = { ok: false; error: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "link", "passage");
  const codingId = params.codingId ?? "";
  const form = await readForm(request, grant.user);
  const intent = String(form.get("intent") ?? "");
  const indicator = String(form.get("indicator") ?? "");
  const back = (done: string) => redirect(`/codings/${encodeURIComponent(codingId)}/links?${new URLSearchParams({ ...(indicator ? { indicator } : {}), done })}`);
  try {
    if (intent === "link") {
      await linkToSnapshot(request, grant, codingId, String(form.get("snapshotId") ?? ""));
      return back("linked");
    }
    if (intent === "propose") {
      const values = form.getAll("value").map(String);
      await proposeSnapshot(request, grant, codingId, { indicatorCode: indicator, value: values.length > 1 ? values : values[0], observedAt: String(form.get("observedAt") ?? "") });
      return back("proposed");
    }
    if (intent === "remove") {
      await removeLink(request, grant, codingId, String(form.get("linkId") ?? ""));
      return back("removed");
    }
    return json<ActionResult>({ ok: false, error: "timeline:links.errors.intent" }, { status: 400 });
  } catch (error) {
    if (!(error instanceof LinkRefusal)) throw error;
    const status = error.code === "consent" ? 403 : error.code === "decided" || error.code === "duplicate" ? 409 : 400;
    const key = error.code === "value" && error.detail ? error.detail : `timeline:links.errors.${error.code}`;
    return json<ActionResult>({ ok: false, error: key }, { status });
  }
}

export default function PassageLinks() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("timeline");
  const lang = i18n.language;
  const p = data.passage;
  const done = searchParams.get("done");
  const busy = navigation.state !== "idle";
  return (
    <>
      <h1>{t("links.heading")}</h1>
      <p className="muted">
        {t("links.context", { code: p.interview.code, pseudonym: p.pseudonym, date: formatDay(p.interview.date, lang) })}{" "}
        <Link to={`/interviews/${p.interview.id}/transcript`}>{t("links.toTranscript")}</Link>
      </p>

      <section className="card passage" aria-labelledby="passage-title">
        <h2 id="passage-title">{t("links.passage")}</h2>
        <p>
          <span className="code-chip" style={{ borderColor: p.code.colour }}>
            {codeName(p.code, lang)}
            {p.code.key ? <span className="muted"> ({p.code.key})</span> : null}
          </span>
        </p>
        <blockquote className="quote">{p.quote}</blockquote>
        {p.place ? (
          <p className="muted">{t("links.speakerTime", { speaker: p.place.speaker || "?", from: formatClock(p.place.startMs), to: formatClock(p.place.endMs) })}</p>
        ) : (
          <p className="muted">{p.orphaned ? t("links.orphaned") : t("links.noPlace")}</p>
        )}
        {p.place && p.recordingId ? (
          <audio controls preload="none" src={`/recordings/${p.recordingId}/media#t=${p.place.startMs / 1000},${p.place.endMs / 1000}`} aria-label={t("links.play")} />
        ) : null}
      </section>

      {data.refused ? (
        <p className="form-error" role="alert">
          {t("links.refused", { scope: t("interviews:scopes.linking") })} {t(`links.refusedReason.${data.refused}`)}
        </p>
      ) : null}

      {done ? (
        <p className="notice" role="status">
          {t(`links.done.${done}`, { defaultValue: "" })}
        </p>
      ) : null}
      {actionData && !actionData.ok ? (
        <p className="form-error" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}

      {data.linking ? (
        <>
          <section aria-labelledby="existing-title">
            <h2 id="existing-title">{t("links.existing")}</h2>
            {data.linking.existing.length === 0 ? (
              <p className="muted">{t("links.noneYet")}</p>
            ) : (
              <ul className="link-list">
                {data.linking.existing.map((l) => {
                  const value = l.proposedState
                    ? observationText(t, l.indicator, l.proposedState, l.proposedValue, lang)
                    : l.snapshot
                      ? observationText(t, l.indicator, l.snapshot.state, l.snapshot.value, lang)
                      : "";
                  const date = l.proposedObservedAt ?? l.snapshot?.observedAt ?? null;
                  return (
                    <li key={l.id}>
                      <span className={`badge link-${l.status}`}>{t(`status.${l.status}`)}</span> {indicatorLabel(l.indicator, lang)}: <strong>{value}</strong>
                      {date ? ` (${formatDay(date, lang)})` : null}
                      {l.status === "rejected" && l.note ? <span className="muted"> – {t("links.rejectedBecause", { reason: l.note })}</span> : null}
                      {l.status === "linked" || l.status === "proposed" ? (
                        <Form method="post" className="inline-form">
                          <CsrfInput />
                          <input type="hidden" name="linkId" value={l.id} />
                          <input type="hidden" name="indicator" value={data.linking?.chosen?.code ?? ""} />
                          <button type="submit" name="intent" value="remove" className="link-button" disabled={busy} aria-label={t("links.removeLabel", { indicator: indicatorLabel(l.indicator, lang) })}>
                            {l.status === "proposed" ? t("links.withdraw") : t("links.unlink")}
                          </button>
                        </Form>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>

          <section aria-labelledby="indicator-title">
            <h2 id="indicator-title">{t("links.indicator")}</h2>
            <Form method="get" className="inline-fields">
              <div className="field">
                <label htmlFor="indicator-choice">{t("links.indicatorLabel")}</label>
                <select id="indicator-choice" name="indicator" defaultValue={data.linking.chosen?.code ?? ""}>
                  <option value="">{t("links.chooseIndicator")}</option>
                  {data.linking.indicators.map((i) => (
                    <option key={i.code} value={i.code}>
                      {indicatorLabel(i, lang)} ({i.code}){data.linking?.suggested.includes(i.code) ? ` – ${t("links.suggestedMark")}` : ""}
                    </option>
                  ))}
                </select>
              </div>
              <SubmitButton>{t("links.showIndicator")}</SubmitButton>
            </Form>
          </section>

          {data.linking.chosen ? <IndicatorPanel /> : <p className="muted">{t("links.noIndicator")}</p>}
        </>
      ) : null}
    </>
  );
}

function IndicatorPanel() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("timeline");
  const lang = i18n.language;
  const linking = data.linking!;
  const chosen = linking.chosen!;
  const label = indicatorLabel(chosen, lang);
  const proposal = linking.proposal;
  const busy = navigation.state !== "idle";
  return (
    <div className="grid-2">
      <section aria-labelledby="snapshots-title">
        <h2 id="snapshots-title">{t("links.snapshotsTitle", { indicator: label })}</h2>
        {linking.snapshots.length === 0 ? (
          <p className="muted">{t("links.noSnapshots")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{t("links.snapshotsCaption", { indicator: label, date: formatDay(data.passage.interview.date, lang) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("links.observedAt")}</th>
                  <th scope="col">{t("links.value")}</th>
                  <th scope="col">{t("links.source")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("links.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {linking.snapshots.map((s) => (
                  <tr key={s.id} className={s.atInterview ? "at-interview" : undefined}>
                    <td>
                      {formatDay(s.observedAt, lang)}
                      {s.atInterview ? <span className="badge known"> {t("links.atInterview")}</span> : null}
                    </td>
                    <td>{observationText(t, chosen, s.state, s.value, lang)}</td>
                    <td>
                      {t(`indicators:source.${s.source}`)}
                      {s.verified ? ` · ${t("verified")}` : ""}
                    </td>
                    <td>
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        <input type="hidden" name="indicator" value={chosen.code} />
                        <input type="hidden" name="snapshotId" value={s.id} />
                        <button type="submit" name="intent" value="link" disabled={busy} aria-label={t("links.linkLabel", { date: formatDay(s.observedAt, lang), value: observationText(t, chosen, s.state, s.value, lang) })}>
                          {t("links.link")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="propose-title">
        <h2 id="propose-title">{t("links.proposeTitle")}</h2>
        <p className="muted">{t("links.proposeIntro")}</p>
        {/* key: a new indicator or suggestion resets the pre-filled fields */}
        <Form method="post" key={`${chosen.code}-${String(proposal.value)}-${proposal.date.text}`}>
          <CsrfInput />
          <input type="hidden" name="indicator" value={chosen.code} />
          <ValueField chosen={chosen} suggested={proposal.value} />
          <div className="field">
            <label htmlFor="observedAt">{t("links.observedField")}</label>
            <div id="observedAt-hint" className="muted">
              {t("links.observedHint")} {t(`links.dateFrom.${proposal.date.from}`)}
            </div>
            <input id="observedAt" name="observedAt" defaultValue={proposal.date.text} required pattern="\d{4}(-\d{2}(-\d{2})?)?" aria-describedby="observedAt-hint" inputMode="numeric" />
          </div>
          <p>
            {t("links.source")}: <strong>{t("links.sourceInterview")}</strong>
          </p>
          <button type="submit" name="intent" value="propose" disabled={busy}>
            {t("links.propose")}
          </button>
        </Form>
      </section>
    </div>
  );
}

type Chosen = { code: string; type: string; allowedValues: string[] | null; minValue: number | null; maxValue: number | null };

function ValueField({ chosen, suggested }: { chosen: Chosen; suggested: unknown }) {
  const { t } = useTranslation("timeline");
  const hint = suggested !== null && suggested !== undefined ? <div className="muted" id="value-hint">{t("links.valueSuggested")}</div> : null;
  const described = hint ? "value-hint" : undefined;
  if (chosen.type === "multi" && chosen.allowedValues) {
    const picked = new Set((Array.isArray(suggested) ? suggested : []).map(String));
    return (
      <fieldset className="field">
        <legend>{t("links.value")}</legend>
        {hint}
        {chosen.allowedValues.map((v) => (
          <label key={v} className="checkbox-row">
            <input type="checkbox" name="value" value={v} defaultChecked={picked.has(v)} /> {valueLabel(t, chosen.code, v)}
          </label>
        ))}
      </fieldset>
    );
  }
  const options: { value: string; label: string }[] | null =
    chosen.type === "enum" && chosen.allowedValues
      ? chosen.allowedValues.map((v) => ({ value: v, label: valueLabel(t, chosen.code, v) }))
      : chosen.type === "boolean"
        ? ["true", "false"].map((v) => ({ value: v, label: t(`indicators:boolean.${v}`) }))
        : chosen.type === "likert5"
          ? ["1", "2", "3", "4", "5"].map((v) => ({ value: v, label: t(`indicators:likert.${v}`) }))
          : null;
  return (
    <div className="field">
      <label htmlFor="value">{t("links.value")}</label>
      {hint}
      {options ? (
        <select id="value" name="value" defaultValue={suggested === null || suggested === undefined ? "" : String(suggested)} required aria-describedby={described}>
          <option value="">{t("links.chooseValue")}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id="value"
          name="value"
          type={chosen.type === "number" ? "number" : chosen.type === "date" ? "date" : "text"}
          step={chosen.type === "number" ? "any" : undefined}
          min={chosen.minValue ?? undefined}
          max={chosen.maxValue ?? undefined}
          defaultValue={suggested === null || suggested === undefined ? "" : String(suggested)}
          required
          aria-describedby={described}
        />
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
