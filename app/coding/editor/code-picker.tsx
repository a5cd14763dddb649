// The code picker: opens at the selected passage (Ctrl/Cmd+K or the panel's button), typing filters the codebook
// tree by key or name, arrows move, Enter applies (the marked codes, or the highlighted one), Shift+Enter marks a
// further code, the digits 1-9 apply a recently used code while the filter is empty, Esc closes.
import type { Editor } from "@tiptap/react";
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CodingController } from "./use-coding.ts";
import type { EditorCode } from "./types.ts";

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

type Row = { code: EditorCode; depth: number; match: boolean };

/** The tree in order, filtered: codes that match, with their ancestors for context. */
function rowsFor(codes: readonly EditorCode[], query: string): Row[] {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const depthOf = (c: EditorCode) => {
    let depth = 0;
    for (let p = c.parentId ? byId.get(c.parentId) : undefined; p && depth < 20; p = p.parentId ? byId.get(p.parentId) : undefined) depth++;
    return depth;
  };
  const q = fold(query.trim());
  if (!q) return codes.map((code) => ({ code, depth: depthOf(code), match: true }));
  const matches = new Set(codes.filter((c) => fold(`${c.key ?? ""} ${c.name}`).includes(q)).map((c) => c.id));
  const shown = new Set(matches);
  for (const id of matches) for (let p = byId.get(id)?.parentId; p && !shown.has(p); p = byId.get(p)?.parentId) shown.add(p);
  return codes.filter((c) => shown.has(c.id)).map((code) => ({ code, depth: depthOf(code), match: matches.has(code.id) }));
}

export function CodePicker({ editor, coding }: { editor: Editor; coding: CodingController }) {
  const { t } = useTranslation("coding");
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState("");
  const [marked, setMarked] = useState<string[]>([]);
  // The highlighted row, remembered with the filter it was chosen under: a new filter highlights its first match at
  // once (computed, not set in an effect, so an Enter typed right after the filter applies the right code).
  const [cursor, setCursor] = useState<{ query: string; id: string } | null>(null);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);
  const { specialAllowed } = coding.setup;
  const rows = useMemo(() => rowsFor(coding.codes, query), [coding.codes, query]);
  const selectable = (code: EditorCode) => specialAllowed || !code.specialCategory;
  const recent = coding.recent.map((cid) => coding.codeById.get(cid)).filter((c): c is EditorCode => Boolean(c));
  const chosen = cursor && cursor.query === query ? rows.findIndex((r) => r.code.id === cursor.id) : -1;
  const firstMatch = rows.findIndex((r) => r.match && selectable(r.code));
  const activeIndex = chosen >= 0 ? chosen : Math.max(0, firstMatch);
  const setActiveIndex = (i: number) => {
    const row = rows[i];
    if (row) setCursor({ query, id: row.code.id });
  };

  // Below the selection's end, kept inside the window.
  useLayoutEffect(() => {
    const { to } = editor.state.selection;
    try {
      const at = editor.view.coordsAtPos(to);
      const width = Math.min(380, window.innerWidth - 16);
      setPosition({ top: Math.min(at.bottom + 6, window.innerHeight - 340), left: Math.max(8, Math.min(at.left, window.innerWidth - width - 8)) });
    } catch {
      setPosition(null);
    }
    input.current?.focus();
  }, [editor]);

  // Once laid out, the whole picker (its buttons too) must fit the window: on a phone it is taller than 340 px.
  useLayoutEffect(() => {
    const box = dialog.current;
    if (!position || !box) return;
    const fit = Math.max(8, Math.min(position.top, window.innerHeight - box.offsetHeight - 8));
    if (fit !== position.top) setPosition({ ...position, top: fit });
  }, [position]);

  useEffect(() => {
    document.getElementById(`${id}-opt-${activeIndex}`)?.scrollIntoView({ block: "nearest" });
  }, [activeIndex, id]);

  const close = () => {
    coding.closePicker();
    editor.commands.focus();
  };
  const applyCodes = (codeIds: string[]) => {
    if (!codeIds.length) return;
    // the request first; closing the picker and the focus follow
    void coding.apply(codeIds);
    coding.closePicker();
    editor.commands.focus();
  };
  const toggle = (code: EditorCode) => {
    if (!selectable(code)) return;
    setMarked((m) => (m.includes(code.id) ? m.filter((x) => x !== code.id) : [...m, code.id]));
  };
  const active = rows[activeIndex];
  const move = (step: number) => {
    if (!rows.length) return;
    let i = activeIndex;
    for (let n = 0; n < rows.length; n++) {
      i = (i + step + rows.length) % rows.length;
      if (selectable(rows[i]!.code)) break;
    }
    setActiveIndex(i);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      move(1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      move(-1);
    } else if (e.key === "Enter" && e.shiftKey) {
      e.preventDefault();
      if (active) toggle(active.code);
    } else if (e.key === "Enter") {
      e.preventDefault();
      const chosen = marked.length ? marked : active && selectable(active.code) ? [active.code.id] : [];
      applyCodes(chosen);
    } else if (/^[1-9]$/.test(e.key) && query === "" && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const code = recent[Number(e.key) - 1];
      if (code && selectable(code)) {
        e.preventDefault();
        applyCodes([code.id]);
      }
    }
  };

  return (
    <div
      ref={dialog}
      className={`code-picker card${position ? " is-floating" : ""}`}
      role="dialog"
      aria-labelledby={`${id}-title`}
      style={position ? { top: position.top, left: position.left } : undefined}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (!dialog.current?.contains(e.relatedTarget as Node | null)) coding.closePicker();
      }}
    >
      <h2 id={`${id}-title`} className="code-picker-title">
        {t("picker.title")}
      </h2>
      <label htmlFor={`${id}-filter`} className="visually-hidden">
        {t("picker.filter")}
      </label>
      <input
        id={`${id}-filter`}
        ref={input}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={rows.length ? `${id}-opt-${activeIndex}` : undefined}
        placeholder={t("picker.filterPlaceholder")}
        value={query}
        autoComplete="off"
        onChange={(e) => setQuery(e.target.value)}
      />
      {recent.length ? (
        <div className="code-picker-recent" role="group" aria-label={t("picker.recent")}>
          {recent.map((code, i) => (
            <button key={code.id} type="button" className="secondary code-chip" style={{ ["--code" as string]: code.colour }} disabled={!selectable(code)} onClick={() => applyCodes([code.id])} title={code.name}>
              <kbd>{i + 1}</kbd> {code.key ?? code.name}
            </button>
          ))}
        </div>
      ) : null}
      <ul id={`${id}-list`} className="code-picker-list" role="listbox" aria-multiselectable="true" aria-label={t("picker.list")}>
        {rows.map((row, i) => {
          const allowed = selectable(row.code);
          return (
            <li
              key={row.code.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={marked.includes(row.code.id)}
              aria-disabled={!allowed || undefined}
              className={`code-option${i === activeIndex ? " is-active" : ""}${row.match ? "" : " is-context"}`}
              style={{ ["--depth" as string]: row.depth, ["--code" as string]: row.code.colour }}
              data-code={row.code.key ?? row.code.id}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setActiveIndex(i);
                toggle(row.code);
              }}
            >
              <span className="code-check" aria-hidden="true">
                {marked.includes(row.code.id) ? "✓" : ""}
              </span>
              <span className="code-swatch" aria-hidden="true" />
              {row.code.key ? <span className="code-key">{row.code.key}</span> : null}
              <span className="code-name">{row.code.name}</span>
              {row.code.specialCategory ? <span className="badge code-art9">{allowed ? t("picker.art9") : t("picker.art9Missing")}</span> : null}
            </li>
          );
        })}
        {!rows.length ? (
          <li role="option" aria-selected="false" aria-disabled="true" className="muted">
            {t("picker.none")}
          </li>
        ) : null}
      </ul>
      <p className="code-picker-hint muted">{t("picker.hint")}</p>
      <div className="actions-row">
        <button type="button" onClick={() => applyCodes(marked.length ? marked : active && selectable(active.code) ? [active.code.id] : [])} disabled={!rows.length}>
          {marked.length ? t("picker.applyMarked", { count: marked.length }) : t("picker.apply")}
        </button>
        <button type="button" className="secondary" onClick={close}>
          {t("picker.cancel")}
        </button>
      </div>
    </div>
  );
}
