import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { addIndicatorBlock, addQuoteBlock, addTextBlock, BlockChanged, getNarrative, moveBlock, removeBlock, renameNarrative, updateBlock } from "../narratives/narratives.server.ts";
import { indicatorChanges, quotableCodings, quotableInterviews, SpecialCategoryPassage, transcriptText } from "../narratives/sources.server.ts";
import { useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "narrative");
  const n = await getNarrative(request, grant, params.narrativeId ?? "");
  const interviews = await quotableInterviews(n.caseId);
  const chosen = new URL(request.url).searchParams.get("interview");
  const shown = interviews.find((i) => i.id === chosen) ?? null;
  const transcript = shown ? await transcriptText(shown.id) : null;
  const codings = await quotableCodings(interviews.map((i) => i.id));
  return json({
    narrative: { id: n.id, title: n.title, status: n.status, blocks: n.blocks, interviewCodes: n.interviewCodes },
    interviews,
    shown: shown ? { id: shown.id, code: shown.code } : null,
    // The text of each turn starts after its label ("B: "): offsets are code points of the plain text.
    paragraphs: transcript ? transcript.spans.map((s) => ({ index: s.index, speaker: s.speaker, text: s.text, textStart: s.start + Array.from(`${s.speaker || "?"}: `).length })) : [],
    codings: codings.map((c) => ({ id: c.id, interviewId: c.interviewId, code: c.code.key ?? c.code.name, quote: c.quote })),
    indicators: await indicatorChanges(n.caseId),
  });
}

const AT = /^(\d{4}(?:-(0[1-9]|1[0-2]))?)?$/;
/** Longest text block, in characters (a longer one is refused with its length, never cut). */
const MAX_TEXT = 20_000;
const intOf = (v: FormDataEntryValue | null) => Number.parseInt(String(v ?? ""), 10);

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "narrative");
  const form = await readForm(request, grant.user);
  const id = params.narrativeId ?? "";
  const intent = String(form.get("intent") ?? "");
  const at = String(form.get("at") ?? "").trim();
  if (!AT.test(at)) return json({ intent, error: "compose.atInvalid" }, { status: 400 });
  const atOrNull = at || null;
  const blockId = String(form.get("blockId") ?? "");
  try {
    switch (intent) {
      case "rename": {
        const title = String(form.get("title") ?? "").trim();
        if (!title || title.length > 200) return json({ intent, error: "errors.title" }, { status: 400 });
        await renameNarrative(request, grant, id, title);
        break;
      }
      case "addText": {
        const text = String(form.get("text") ?? "").trim();
        if (!text) return json({ intent, error: "compose.text" }, { status: 400 });
        if (text.length > MAX_TEXT) return json({ intent, error: "compose.textTooLong", length: text.length }, { status: 400 });
        await addTextBlock(request, grant, id, text, atOrNull);
        break;
      }
      case "addQuote": {
        const codingId = String(form.get("codingId") ?? "") || null;
        await addQuoteBlock(request, grant, id, { interviewId: String(form.get("interviewId") ?? ""), start: intOf(form.get("start")), end: intOf(form.get("end")), codingId, at: atOrNull });
        break;
      }
      case "addIndicator":
        await addIndicatorBlock(request, grant, id, String(form.get("snapshotId") ?? ""));
        break;
      case "updateBlock": {
        const text = form.get("text");
        if (text !== null && String(text).length > MAX_TEXT) return json({ intent, error: "compose.textTooLong", length: String(text).length }, { status: 400 });
        // An emptied text block is refused (it was saved empty): removing it is its own button.
        if (text !== null && !String(text).trim()) return json({ intent, error: "compose.textEmpty" }, { status: 400 });
        const previous = form.get("previous");
        await updateBlock(request, grant, id, blockId, { ...(text !== null ? { text: String(text) } : {}), at: atOrNull, ...(typeof previous === "string" ? { previous } : {}) });
        break;
      }
      case "removeBlock":
        await removeBlock(request, grant, id, blockId);
        break;
      case "up":
      case "down":
        await moveBlock(request, grant, id, blockId, intent);
        break;
      default:
        return json({ intent, error: "unknown" }, { status: 400 });
    }
  } catch (e) {
    if (e instanceof SpecialCategoryPassage) return json({ intent, error: "compose.specialCategory" }, { status: 400 });
    // The consent gate refuses a quote with 403 and names the scope: shown on the page, not as an error page.
    if (e instanceof Response && e.status === 403 && e.headers.get("Content-Type")?.includes("json")) return json({ intent, error: "errors.consent-missing" }, { status: 403 });
    // Submitted for review (or released) by someone else meanwhile: the page becomes read-only, so the text that
    // was being saved comes back to be shown and copied instead of being lost with the form.
    // Likewise when a colleague changed or removed the text block meanwhile (the page then shows theirs).
    const refused = e instanceof BlockChanged ? "compose.blockChanged" : e instanceof Response && e.status === 409 ? "compose.noLongerDraft" : e instanceof Response && e.status === 404 && intent === "updateBlock" ? "compose.blockGone" : null;
    if (refused) {
      const text = form.get("text");
      return json({ intent, error: refused, unsavedText: typeof text === "string" && text.trim() ? text : null }, { status: refused === "compose.blockGone" ? 404 : 409 });
    }
    throw e;
  }
  return json({ intent, error: null });
}

export default function ComposeNarrative() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("narratives");
  const n = data.narrative;
  const editable = n.status === "draft";
  // A text block that was added leaves the field empty (its text stayed there, inviting a second add); a refused
  // one keeps it.
  const addTextForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (actionData?.intent === "addText" && !actionData.error) addTextForm.current?.reset();
  }, [actionData]);
  const formatDate = useFormatDate();
  return (
    <div className="grid-2">
      <section aria-labelledby="blocks-title">
        <h2 id="blocks-title">{t("compose.blocksTitle")}</h2>
        <p className="muted">{t("compose.blocksHint")}</p>
        {actionData ? (
          <div className={actionData.error ? "form-error" : "notice"} role={actionData.error ? "alert" : "status"}>
            <p>{actionData.error ? t(actionData.error, { max: MAX_TEXT.toLocaleString(i18n.language), length: ("length" in actionData ? Number(actionData.length) : 0).toLocaleString(i18n.language) }) : t(actionData.intent.startsWith("add") ? "compose.added" : "compose.saved")}</p>
            {"unsavedText" in actionData && actionData.unsavedText ? (
              <div className="field">
                <label htmlFor="unsaved-text">{t("compose.unsavedText")}</label>
                <textarea id="unsaved-text" readOnly rows={6} value={String(actionData.unsavedText)} />
              </div>
            ) : null}
          </div>
        ) : null}
        {!editable ? <p className="notice">{t("compose.notDraft")}</p> : null}
        {n.blocks.length === 0 ? <p className="muted">{t("compose.none")}</p> : null}
        <ol className="narrative-blocks">
          {n.blocks.map((b, i) => {
            const label = t("compose.blockLabel", { kind: t(`compose.kinds.${b.kind}`), n: i + 1 });
            return (
              <li key={b.id} aria-label={label}>
                <div className="block-head">
                  <strong>
                    {label}
                    {b.kind === "quote" ? ` (${t("compose.source", { code: n.interviewCodes[b.interviewId] ?? "?" })})` : ""}
                    {b.at ? ` · ${b.at}` : ""}
                  </strong>
                  {editable ? (
                    <div className="block-actions">
                      {(["up", "down", "removeBlock"] as const).map((intent) => (
                        <Form method="post" key={intent}>
                          <CsrfInput />
                          <input type="hidden" name="blockId" value={b.id} />
                          <button type="submit" name="intent" value={intent} className="link-button" aria-label={`${t(intent === "removeBlock" ? "compose.remove" : `compose.${intent}`)}: ${label}`}>
                            {t(intent === "removeBlock" ? "compose.remove" : `compose.${intent}`)}
                          </button>
                        </Form>
                      ))}
                    </div>
                  ) : null}
                </div>
                {b.kind === "text" && editable ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="blockId" value={b.id} />
                    <input type="hidden" name="previous" value={b.text} />
                    <div className="field">
                      <label htmlFor={`text-${b.id}`}>{t("compose.text")}</label>
                      <textarea id={`text-${b.id}`} name="text" defaultValue={b.text} key={b.text} maxLength={MAX_TEXT} />
                    </div>
                    <AtField id={`at-${b.id}`} value={b.at} />
                    <button type="submit" name="intent" value="updateBlock">
                      {t("compose.save")}
                    </button>
                  </Form>
                ) : (
                  <>
                    <p className={b.kind === "quote" ? "block-quote-text" : undefined}>{b.kind === "quote" ? `„${b.text}“` : b.text}</p>
                    {editable ? (
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        <input type="hidden" name="blockId" value={b.id} />
                        <AtField id={`at-${b.id}`} value={b.at} />
                        <button type="submit" name="intent" value="updateBlock">
                          {t("compose.save")}
                        </button>
                      </Form>
                    ) : null}
                  </>
                )}
              </li>
            );
          })}
        </ol>
        {editable ? (
          <>
            <section className="card" aria-labelledby="add-text-title">
              <h3 id="add-text-title">{t("compose.addText")}</h3>
              <Form method="post" ref={addTextForm}>
                <CsrfInput />
                <div className="field">
                  <label htmlFor="new-text">{t("compose.text")}</label>
                  <textarea id="new-text" name="text" rows={5} required maxLength={MAX_TEXT} />
                </div>
                <AtField id="new-text-at" value={null} />
                <button type="submit" name="intent" value="addText">
                  {t("compose.addTextSubmit")}
                </button>
              </Form>
            </section>
            <section className="card" aria-labelledby="rename-title">
              <h3 id="rename-title">{t("compose.rename")}</h3>
              <Form method="post">
                <CsrfInput />
                <div className="field">
                  <label htmlFor="rename">{t("create.name")}</label>
                  <input id="rename" name="title" defaultValue={n.title} key={n.title} required maxLength={200} />
                </div>
                <button type="submit" name="intent" value="rename">
                  {t("compose.save")}
                </button>
              </Form>
            </section>
          </>
        ) : null}
      </section>
      {editable ? (
        <aside>
          <section className="card" aria-labelledby="quotes-title">
            <h2 id="quotes-title">{t("compose.quotesTitle")}</h2>
            <p className="muted">{t("compose.quotesHint")}</p>
            {data.interviews.length === 0 ? (
              <p className="muted">{t("compose.noQuotable")}</p>
            ) : (
              <>
                <h3>{t("compose.codings")}</h3>
                {data.codings.length === 0 ? <p className="muted">{t("compose.noCodings")}</p> : null}
                <ul className="coding-pick">
                  {data.codings.map((c) => (
                    <li key={c.id}>
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        <input type="hidden" name="interviewId" value={c.interviewId} />
                        <input type="hidden" name="codingId" value={c.id} />
                        <span className="badge">{c.code}</span> {n.interviewCodes[c.interviewId]}: „{c.quote.length > 160 ? `${c.quote.slice(0, 160)} …` : c.quote}“{" "}
                        <button type="submit" name="intent" value="addQuote" className="link-button" aria-label={t("compose.quoteCodingLabel", { code: c.code })}>
                          {t("compose.quoteCoding")}
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
                <h3>{t("compose.transcript")}</h3>
                <Form method="get" className="inline-form">
                  <div className="field">
                    <label htmlFor="choose-interview">{t("compose.chooseInterview")}</label>
                    <select id="choose-interview" name="interview" defaultValue={data.shown?.id ?? ""}>
                      {data.interviews.map((i) => (
                        <option key={i.id} value={i.id}>
                          {i.code} ({formatDate(i.date)})
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="submit">{t("compose.show")}</button>
                </Form>
                {data.shown ? <TranscriptPicker interviewId={data.shown.id} paragraphs={data.paragraphs} /> : null}
              </>
            )}
          </section>
          <section className="card" aria-labelledby="indicators-title">
            <h2 id="indicators-title">{t("compose.indicatorsTitle")}</h2>
            <p className="muted">{t("compose.indicatorsHint")}</p>
            {data.indicators.length === 0 ? <p className="muted">{t("compose.noIndicators")}</p> : null}
            <ul>
              {data.indicators.map((c) => (
                <li key={c.snapshotId}>
                  <Form method="post" className="inline-form">
                    <CsrfInput />
                    <input type="hidden" name="snapshotId" value={c.snapshotId} />
                    {c.text}{" "}
                    <button type="submit" name="intent" value="addIndicator" className="link-button" aria-label={`${t("compose.addIndicator")}: ${c.text}`}>
                      {t("compose.addIndicator")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      ) : null}
    </div>
  );
}

function AtField({ id, value }: { id: string; value: string | null }) {
  const { t } = useTranslation("narratives");
  return (
    <div className="field">
      <label htmlFor={id}>{t("compose.at")}</label>
      <input id={id} name="at" defaultValue={value ?? ""} key={value ?? ""} pattern="\d{4}(-(0[1-9]|1[0-2]))?" inputMode="numeric" size={8} />
    </div>
  );
}

type Turn = { index: number; speaker: string; text: string; textStart: number };

/** Paragraphs to quote whole, or a selection inside one (offsets in code points, checked again on the server). */
function TranscriptPicker({ interviewId, paragraphs }: { interviewId: string; paragraphs: Turn[] }) {
  const { t } = useTranslation("narratives");
  const submit = useSubmit();
  const csrfRef = useRef<HTMLFormElement>(null);
  const [message, setMessage] = useState<string | null>(null);
  const quote = (start: number, end: number) => {
    const csrf = csrfRef.current?.querySelector<HTMLInputElement>("input[name=_csrf]")?.value ?? "";
    submit({ intent: "addQuote", interviewId, start: String(start), end: String(end), _csrf: csrf }, { method: "post" });
  };
  const quoteSelection = () => {
    const sel = window.getSelection();
    const range = sel && sel.rangeCount ? sel.getRangeAt(0) : null;
    const host = range ? (range.commonAncestorContainer.nodeType === 1 ? (range.commonAncestorContainer as Element) : range.commonAncestorContainer.parentElement)?.closest<HTMLElement>("[data-text-start]") : null;
    if (!range || !host || range.collapsed) {
      setMessage(t("compose.noSelection"));
      return;
    }
    const before = document.createRange();
    before.setStart(host, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = Number(host.dataset.textStart) + Array.from(before.toString()).length;
    const end = start + Array.from(range.toString()).length;
    setMessage(null);
    quote(start, end);
  };
  return (
    <div className="transcript-pick">
      <form ref={csrfRef} aria-hidden="true" hidden>
        <CsrfInput />
      </form>
      <p className="muted">{t("compose.selectionHint")}</p>
      <button type="button" onClick={quoteSelection}>
        {t("compose.quoteSelection")}
      </button>
      {message ? (
        <p className="form-error" role="alert">
          {message}
        </p>
      ) : null}
      {paragraphs.map((p) => (
        <div key={p.index} className="turn">
          <p>
            <span className="speaker">{p.speaker || "?"}:</span>
            <span data-text-start={p.textStart}>{p.text}</span>
          </p>
          <Form method="post" className="inline-form">
            <CsrfInput />
            <input type="hidden" name="interviewId" value={interviewId} />
            <input type="hidden" name="start" value={p.textStart} />
            <input type="hidden" name="end" value={p.textStart + Array.from(p.text).length} />
            <button type="submit" name="intent" value="addQuote" className="link-button" aria-label={`${t("compose.quoteParagraph")} ${p.index + 1}`}>
              {t("compose.quoteParagraph")}
            </button>
          </Form>
        </div>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
