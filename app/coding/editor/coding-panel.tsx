// The codings of the transcript beside the editor: filter by code; per coding its code, quote, author, time and
// comment, with jump to the passage, "set to the current selection" (resize), remove, and the link to relate it to an
// indicator snapshot. Codings whose words were all deleted are listed apart for review (re-anchor or remove).
// Re-renders only when the codings change (the plugin's revision), not on every keystroke.
import type { Editor } from "@tiptap/react";
import { useEditorState } from "@tiptap/react";
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { codingsOf, selectCoding, type EditorCoding } from "./codings-plugin.ts";
import type { CodingController, CodingMeta } from "./use-coding.ts";
import type { EditorCode, PanelMemo } from "./types.ts";
import { RESEARCH_LANGUAGE } from "../../i18n/content-language.ts";
import { MAX_COMMENT } from "./schemas.ts";

/** Rows shown at first; a transcript with 1,000 codings stays quick to open. */
const PAGE = 60;
const QUOTE_CHARS = 240;
const NO_MEMOS: PanelMemo[] = [];

/** locked: the text is read-only (a newer version was saved elsewhere); codings cannot be placed on it either. */
export function CodingPanel({ editor, coding, textVersion, locked = false }: { editor: Editor; coding: CodingController; textVersion: string; locked?: boolean }) {
  const { t, i18n } = useTranslation("coding");
  const [filter, setFilter] = useState("");
  const [limit, setLimit] = useState(PAGE);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const view = useEditorState({
    editor,
    selector: ({ editor: ed }) => {
      const s = ed ? codingsOf(ed.state) : null;
      return { revision: s?.revision ?? 0, active: s?.active ?? null };
    },
  });
  // The list follows a moment later than the text (a deferred render), so applying a code is not held up by it.
  const revision = useDeferredValue(view?.revision ?? 0);
  const listVersion = useDeferredValue(textVersion);
  const active = view?.active ?? null;

  // One editor state for the whole list: its codings' positions and the quotes read at them belong to the same
  // document. The live editor.state may be shorter by then (a deleted selection, an undone paste), and a position
  // of the deferred list read in it threw and took the whole editor down.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const snapshot = useMemo(() => editor.state, [editor, revision, listVersion]);
  const all = useMemo(() => [...codingsOf(snapshot).codings].sort((a, b) => a.from - b.from || a.to - b.to), [snapshot]);
  const placed = all.filter((c) => !c.orphaned && (!filter || c.codeId === filter));
  const orphaned = all.filter((c) => c.orphaned && !c.pending);
  const used = useMemo(() => coding.codes.filter((code) => all.some((c) => c.codeId === code.id)), [coding.codes, all]);
  const shown = placed.slice(0, limit);
  if (active && !shown.some((c) => c.id === active)) {
    const extra = placed.find((c) => c.id === active);
    if (extra) shown.push(extra);
  }

  useEffect(() => {
    if (!active) return;
    // Only the list scrolls to the active card: the element's own scrollIntoView would move the whole page
    // (and with it the transcript the passage was just brought into).
    const item = document.getElementById(`coding-item-${active}`);
    const list = item?.closest<HTMLElement>(".coding-list");
    if (!item || !list) return;
    const [card, box] = [item.getBoundingClientRect(), list.getBoundingClientRect()];
    if (card.top < box.top) list.scrollTop -= box.top - card.top;
    else if (card.bottom > box.bottom) list.scrollTop += Math.min(card.bottom - box.bottom, card.top - box.top);
  }, [active]);

  const formatDate = useCallback((value: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(new Date(value)), [i18n.language]);
  // Stable across renders, so a row re-renders only when its own coding changes.
  const { setToSelection, remove, setComment } = coding;
  const actions = useMemo<ItemActions>(
    () => ({
      jump: (id) => {
        selectCoding(editor.view, id);
        editor.view.focus();
      },
      resize: (id) => void setToSelection(id),
      askRemove: (id) => setConfirmRemove(id),
      confirmRemove: (id, yes) => {
        setConfirmRemove(null);
        if (!yes) return;
        // The card goes away with its buttons: keep the keyboard in the list (the next card, else the heading),
        // never on <body>, where typing would be lost or reach the transcript.
        const item = document.getElementById(`coding-item-${id}`);
        const next = (item?.nextElementSibling ?? item?.previousElementSibling)?.querySelector<HTMLElement>("button, a");
        (next ?? document.getElementById("coding-panel-title"))?.focus();
        void remove(id);
      },
      comment: (id, text) => setComment(id, text),
    }),
    [editor, setToSelection, remove, setComment],
  );
  const quoteOf = (c: EditorCoding) => {
    const lost = codingsOf(snapshot).lost.get(c.id);
    const text = !c.orphaned ? snapshot.doc.textBetween(c.from, c.to, " ") : lost ? lost.doc.textBetween(lost.from, lost.to, " ") : (coding.meta.get(c.id)?.quote ?? "");
    return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)} …` : text;
  };
  const { canCode, canWriteMemo, memos } = coding.setup;

  return (
    <section className="coding-panel card" aria-labelledby="coding-panel-title">
      <h2 id="coding-panel-title" tabIndex={-1} aria-keyshortcuts="Alt+Shift+C">
        {t("panel.title")}
      </h2>
      {coding.setup.gateNote ? (
        <p className="gate-note" role="note">
          {t(coding.setup.gateNote)}
        </p>
      ) : null}
      {canCode ? (
        <p className="coding-apply">
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={coding.openPicker} aria-keyshortcuts="Control+K Meta+K" disabled={locked}>
            {t("panel.apply")}
          </button>{" "}
          <span className="muted">{t("panel.applyHint")}</span>
        </p>
      ) : null}
      <div className="coding-message" aria-live="polite">
        {coding.message ? (
          <p className={coding.message.tone === "error" ? "form-error" : "notice"} role={coding.message.tone === "error" ? "alert" : "status"}>
            {t(coding.message.key, coding.message.values)}
          </p>
        ) : null}
      </div>
      <p className="muted coding-count" role="status">
        {coding.busy ? t("panel.saving") : t("panel.count", { count: all.filter((c) => !c.orphaned).length })}
      </p>
      {used.length ? (
        <div className="field coding-filter">
          <label htmlFor="coding-filter">{t("panel.filter")}</label>
          <select id="coding-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
            <option value="">{t("panel.allCodes")}</option>
            {used.map((code) => (
              <option key={code.id} value={code.id}>
                {code.key ? `${code.key} – ` : ""}
                {code.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <ul className="coding-list" aria-label={t("panel.listLabel")}>
        {shown.map((c) => (
          <CodingItem
            key={c.id}
            coding={c}
            code={coding.codeById.get(c.codeId)}
            meta={coding.meta.get(c.id)}
            quote={quoteOf(c)}
            active={c.id === active}
            canCode={canCode && !locked}
            canWriteMemo={canWriteMemo}
            memos={memos[c.id] ?? NO_MEMOS}
            formatDate={formatDate}
            confirming={confirmRemove === c.id}
            actions={actions}
          />
        ))}
      </ul>
      {placed.length > shown.length ? (
        <button type="button" className="secondary" onClick={() => setLimit((n) => n + PAGE * 2)}>
          {t("panel.more", { count: placed.length - shown.length })}
        </button>
      ) : null}
      {!placed.length ? <p className="muted">{filter ? t("panel.noneForCode") : t("panel.none")}</p> : null}

      {orphaned.length ? (
        <section className="coding-orphans" aria-labelledby="coding-orphans-title">
          <h3 id="coding-orphans-title">{t("orphans.title", { count: orphaned.length })}</h3>
          <p className="muted">{t("orphans.hint")}</p>
          <ul className="coding-list">
            {orphaned.map((c) => (
              <CodingItem
                key={c.id}
                coding={c}
                code={coding.codeById.get(c.codeId)}
                meta={coding.meta.get(c.id)}
                quote={quoteOf(c)}
                active={false}
                canCode={canCode && !locked}
                canWriteMemo={canWriteMemo}
                memos={memos[c.id] ?? NO_MEMOS}
                formatDate={formatDate}
                confirming={confirmRemove === c.id}
                actions={actions}
              />
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

type ItemActions = {
  jump: (id: string) => void;
  resize: (id: string) => void;
  askRemove: (id: string) => void;
  confirmRemove: (id: string, yes: boolean) => void;
  comment: (id: string, text: string) => Promise<boolean>;
};

const CodingItem = memo(function CodingItem(props: {
  coding: EditorCoding;
  code: EditorCode | undefined;
  meta: CodingMeta | undefined;
  quote: string;
  active: boolean;
  canCode: boolean;
  canWriteMemo: boolean;
  /** the memos on this coding (title and the start of the text), each linked to its page */
  memos: PanelMemo[];
  confirming: boolean;
  formatDate: (value: string) => string;
  actions: ItemActions;
}) {
  const { t } = useTranslation("coding");
  const { coding, code, meta, actions } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(meta?.comment ?? "");
  const tooLong = draft.length > MAX_COMMENT;
  const nearLimit = draft.length > MAX_COMMENT * 0.9;
  const [saving, setSaving] = useState(false);
  const label = code ? `${code.key ? `${code.key} ` : ""}${code.name}` : "?";
  const commentId = `coding-comment-${coding.id}`;
  // The keyboard goes where the work is: into the comment box when it opens, back to its button when it closes;
  // to "Cancel" when removal asks, back to "Remove" when it is cancelled (a focus left on <body> lost typing).
  const commentBox = useRef<HTMLTextAreaElement>(null);
  const commentButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const was = useRef({ editing, confirming: props.confirming });
  useEffect(() => {
    if (editing && !was.current.editing) commentBox.current?.focus();
    if (!editing && was.current.editing) commentButton.current?.focus();
    if (props.confirming && !was.current.confirming) keepButton.current?.focus();
    if (!props.confirming && was.current.confirming && document.activeElement === document.body) removeButton.current?.focus();
    was.current = { editing, confirming: props.confirming };
  }, [editing, props.confirming]);

  return (
    <li id={`coding-item-${coding.id}`} className={`coding-item${props.active ? " is-active" : ""}${coding.pending ? " is-pending" : ""}`} data-coding={coding.id} style={{ ["--code" as string]: code?.colour ?? "#8c96a1" }}>
      <p className="coding-item-code">
        <span className="code-swatch" aria-hidden="true" /> <strong>{code?.key ?? ""}</strong> {code?.name ?? "?"}
        {code?.specialCategory ? <span className="badge code-art9">{t("picker.art9")}</span> : null}
      </p>
      <blockquote className="coding-quote">{props.quote || t("panel.emptyQuote")}</blockquote>
      {meta ? (
        <p className="coding-item-meta muted">
          {t("panel.byAt", { name: meta.createdBy ?? t("panel.unknownAuthor"), date: props.formatDate(meta.createdAt) })}
        </p>
      ) : coding.pending ? (
        <p className="coding-item-meta muted">{t("panel.saving")}</p>
      ) : null}
      {meta?.comment && !editing ? <p className="coding-comment">{meta.comment}</p> : null}
      {props.memos.length ? (
        <ul className="coding-memos" aria-label={t("panel.memosLabel", { code: label, count: props.memos.length })}>
          {props.memos.map((m) => (
            <li key={m.id} className="coding-memo">
              <span className="muted">{t("panel.memoHeading")}:</span> <a href={`/memos/${encodeURIComponent(m.id)}`}>{m.title}</a>
              {m.excerpt ? (
                <p className="coding-memo-excerpt" lang={RESEARCH_LANGUAGE}>
                  {m.excerpt}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {editing ? (
        <form
          className="coding-comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSaving(true);
            void actions.comment(coding.id, draft).then((ok) => {
              setSaving(false);
              if (ok) setEditing(false);
            });
          }}
        >
          <label htmlFor={commentId}>{t("panel.comment")}</label>
          <textarea ref={commentBox} id={commentId} rows={3} value={draft} aria-describedby={nearLimit ? `${commentId}-length` : undefined} aria-invalid={tooLong || undefined} onChange={(e) => setDraft(e.target.value)} />
          {nearLimit ? (
            <p id={`${commentId}-length`} className={tooLong ? "form-error" : "muted"} role={tooLong ? "alert" : undefined}>
              {t(tooLong ? "panel.commentTooLong" : "panel.commentLength", { count: draft.length, max: MAX_COMMENT })}
            </p>
          ) : null}
          <div className="actions-row">
            <button type="submit" disabled={saving || tooLong}>
              {t("panel.saveComment")}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              {t("panel.cancel")}
            </button>
          </div>
        </form>
      ) : null}
      {props.confirming ? (
        <div className="coding-confirm" role="group" aria-label={t("panel.confirmRemove", { code: label })}>
          <p>{t("panel.confirmRemove", { code: label })}</p>
          <div className="actions-row">
            <button type="button" className="danger" onClick={() => actions.confirmRemove(coding.id, true)}>
              {t("panel.removeYes")}
            </button>
            <button ref={keepButton} type="button" className="secondary" onClick={() => actions.confirmRemove(coding.id, false)}>
              {t("panel.cancel")}
            </button>
          </div>
        </div>
      ) : coding.pending ? null : (
        <div className="coding-actions">
          {!coding.orphaned ? (
            <button type="button" className="link-button" onClick={() => actions.jump(coding.id)} aria-label={t("panel.jumpLabel", { code: label })}>
              {t("panel.jump")}
            </button>
          ) : null}
          {props.canCode ? (
            <>
              <button type="button" className="link-button" onMouseDown={(e) => e.preventDefault()} onClick={() => actions.resize(coding.id)} aria-label={t(coding.orphaned ? "orphans.reanchorLabel" : "panel.resizeLabel", { code: label })}>
                {coding.orphaned ? t("orphans.reanchor") : t("panel.resize")}
              </button>
              {!editing ? (
                <button
                  ref={commentButton}
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setDraft(meta?.comment ?? "");
                    setEditing(true);
                  }}
                  aria-label={t("panel.commentLabel", { code: label })}
                >
                  {meta?.comment ? t("panel.editComment") : t("panel.addComment")}
                </button>
              ) : null}
              <button ref={removeButton} type="button" className="link-button" onClick={() => actions.askRemove(coding.id)} aria-label={t("panel.removeLabel", { code: label })}>
                {t("panel.remove")}
              </button>
            </>
          ) : null}
          {!coding.orphaned ? (
            <a href={`/codings/${encodeURIComponent(coding.id)}/links`} aria-label={t("panel.linkLabel", { code: label })}>
              {t("panel.link")}
            </a>
          ) : null}
          {props.canWriteMemo && !coding.orphaned ? (
            <a href={`/memos/new?codingId=${encodeURIComponent(coding.id)}`} aria-label={t("panel.memoLabel", { code: label })}>
              {t("panel.memo")}
            </a>
          ) : null}
        </div>
      )}
    </li>
  );
});
