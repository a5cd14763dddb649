// A small Tiptap editor for memos, biography notes and narratives. It submits the document as Tiptap JSON in a
// hidden field (`name`); the server rebuilds and sanitizes it (sanitize.server.ts), so nothing here is a safety
// boundary. Pasted HTML is parsed by the editor's schema: only the allow-listed nodes and marks survive, links
// only with http(s)/mailto. Before JavaScript runs (or without it) the field is a plain textarea (`${name}Text`).
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { HEADING_LEVELS, safeHref } from "./schema.ts";
import { cleanPastedHtml } from "./paste.ts";

export function richTextExtensions() {
  return [
    StarterKit.configure({
      heading: { levels: [...HEADING_LEVELS] },
      code: false,
      codeBlock: false,
      link: {
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: "https",
        protocols: [],
        isAllowedUri: (url) => safeHref(url) !== null,
        HTMLAttributes: { rel: "noopener noreferrer", target: null, class: null },
      },
    }),
  ];
}

type Props = {
  name: string;
  label: string;
  /** The stored Tiptap JSON (already sanitized on the server). */
  initialJson?: string | null;
  /** The stored plain text, for the textarea without JavaScript. */
  initialText?: string | null;
  errors?: string[] | undefined;
  describedBy?: string;
};

function parseDoc(json: string | null | undefined) {
  if (!json) return "";
  try {
    return JSON.parse(json) as object;
  } catch {
    return "";
  }
}

export function RichTextEditor({ name, label, initialJson, initialText, errors, describedBy }: Props) {
  const { t } = useTranslation("notes");
  const uid = useId();
  const labelId = `${uid}-label`;
  const editorId = `${uid}-editor`;
  const errorId = `${uid}-error`;
  const [json, setJson] = useState(initialJson ?? "");
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const invalid = Boolean(errors?.length);
  const described = [describedBy, invalid ? errorId : null].filter(Boolean).join(" ") || undefined;

  const editor = useEditor({
    extensions: richTextExtensions(),
    content: parseDoc(initialJson),
    immediatelyRender: false,
    // The CSP allows no <style> elements: ProseMirror's base rules are in app/styles/rich-text.css.
    injectCSS: false,
    editorProps: {
      transformPastedHTML: cleanPastedHtml,
      attributes: {
        id: editorId,
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelId,
        ...(described ? { "aria-describedby": described } : {}),
        ...(invalid ? { "aria-invalid": "true" } : {}),
        class: "rich-text rich-text-input",
        spellcheck: "true",
      },
    },
    onUpdate: ({ editor }) => setJson(JSON.stringify(editor.getJSON())),
  });

  const ready = mounted && editor;
  return (
    <div className="field rich-text-field">
      {ready ? (
        <>
          <div id={labelId} className="label" onClick={() => editor.commands.focus()}>
            {label}
          </div>
          <Toolbar editor={editor} editorId={editorId} />
          <EditorContent editor={editor} />
          <input type="hidden" name={name} value={json} />
        </>
      ) : (
        <>
          <label id={labelId} htmlFor={editorId}>
            {label}
          </label>
          <textarea id={editorId} name={`${name}Text`} defaultValue={initialText ?? ""} rows={8} aria-describedby={[`${uid}-plain`, described].filter(Boolean).join(" ")} aria-invalid={invalid || undefined} />
          <div id={`${uid}-plain`} className="muted">
            {t("editor.plainHint")}
          </div>
        </>
      )}
      {invalid ? (
        <p id={errorId} className="field-error" role="alert">
          {errors!.map((e) => t(e)).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

type ButtonSpec = { key: string; label: string; glyph: string; active?: boolean; disabled?: boolean; run: () => void };

function Toolbar({ editor, editorId }: { editor: Editor; editorId: string }) {
  const { t } = useTranslation("notes");
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      underline: e.isActive("underline"),
      strike: e.isActive("strike"),
      h3: e.isActive("heading", { level: 3 }),
      h4: e.isActive("heading", { level: 4 }),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      blockquote: e.isActive("blockquote"),
      link: e.isActive("link"),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const [linkOpen, setLinkOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const chain = () => editor.chain().focus();

  const specs: ButtonSpec[] = [
    { key: "bold", label: t("editor.bold"), glyph: "B", active: state.bold, run: () => chain().toggleBold().run() },
    { key: "italic", label: t("editor.italic"), glyph: "I", active: state.italic, run: () => chain().toggleItalic().run() },
    { key: "underline", label: t("editor.underline"), glyph: "U", active: state.underline, run: () => chain().toggleUnderline().run() },
    { key: "strike", label: t("editor.strike"), glyph: "S", active: state.strike, run: () => chain().toggleStrike().run() },
    { key: "h3", label: t("editor.heading", { level: 1 }), glyph: t("editor.headingGlyph", { level: 1 }), active: state.h3, run: () => chain().toggleHeading({ level: 3 }).run() },
    { key: "h4", label: t("editor.heading", { level: 2 }), glyph: t("editor.headingGlyph", { level: 2 }), active: state.h4, run: () => chain().toggleHeading({ level: 4 }).run() },
    { key: "bulletList", label: t("editor.bulletList"), glyph: "•", active: state.bulletList, run: () => chain().toggleBulletList().run() },
    { key: "orderedList", label: t("editor.orderedList"), glyph: "1.", active: state.orderedList, run: () => chain().toggleOrderedList().run() },
    { key: "blockquote", label: t("editor.blockquote"), glyph: t("common:quoted", { text: "" }), active: state.blockquote, run: () => chain().toggleBlockquote().run() },
    { key: "link", label: t("editor.link"), glyph: t("editor.linkGlyph"), active: state.link || linkOpen, run: () => setLinkOpen((o) => !o) },
    { key: "undo", label: t("editor.undo"), glyph: "↶", disabled: !state.canUndo, run: () => chain().undo().run() },
    { key: "redo", label: t("editor.redo"), glyph: "↷", disabled: !state.canRedo, run: () => chain().redo().run() },
  ];

  // WAI-ARIA toolbar: one tab stop, arrow keys move between the buttons.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = specs.length - 1;
    const next = e.key === "ArrowRight" ? (focusIndex === last ? 0 : focusIndex + 1) : e.key === "ArrowLeft" ? (focusIndex === 0 ? last : focusIndex - 1) : e.key === "Home" ? 0 : e.key === "End" ? last : null;
    if (next === null) return;
    e.preventDefault();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  };

  return (
    <>
      <div role="toolbar" aria-label={t("editor.toolbar")} aria-controls={editorId} className="rich-text-toolbar" onKeyDown={onKeyDown}>
        {specs.map((b, i) => (
          <button
            key={b.key}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            className={`tool tool-${b.key}`}
            tabIndex={i === focusIndex ? 0 : -1}
            aria-label={b.label}
            title={b.label}
            aria-pressed={b.active === undefined ? undefined : b.active}
            aria-disabled={b.disabled || undefined}
            onFocus={() => setFocusIndex(i)}
            onMouseDown={(e) => e.preventDefault() /* keep the editor's selection */}
            onClick={() => {
              if (!b.disabled) b.run();
            }}
          >
            <span aria-hidden="true">{b.glyph}</span>
          </button>
        ))}
      </div>
      {linkOpen ? <LinkForm editor={editor} onClose={() => setLinkOpen(false)} /> : null}
    </>
  );
}

/** Not a <form>: it sits inside the page's form, so Enter applies the link instead of submitting. */
function LinkForm({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const { t } = useTranslation("notes");
  const id = useId();
  const [href, setHref] = useState<string>(() => (editor.getAttributes("link").href as string | undefined) ?? "https://");
  const [error, setError] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);

  const apply = () => {
    const safe = safeHref(href);
    if (!safe) {
      setError(true);
      input.current?.focus();
      return;
    }
    const { empty } = editor.state.selection;
    if (empty && !editor.isActive("link")) editor.chain().focus().insertContent({ type: "text", text: safe, marks: [{ type: "link", attrs: { href: safe } }] }).run();
    else editor.chain().focus().extendMarkRange("link").setLink({ href: safe }).run();
    onClose();
  };
  const remove = () => {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    onClose();
  };

  return (
    <div className="rich-text-link" role="group" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} htmlFor={`${id}-href`}>
        {t("editor.linkAddress")}
      </label>
      <input
        ref={input}
        id={`${id}-href`}
        type="url"
        value={href}
        aria-invalid={error || undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setHref(e.target.value);
          setError(false);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            apply();
          } else if (e.key === "Escape") {
            e.preventDefault();
            onClose();
            editor.commands.focus();
          }
        }}
      />
      <button type="button" onClick={apply}>
        {t("editor.linkApply")}
      </button>
      {editor.isActive("link") ? (
        <button type="button" className="secondary" onClick={remove}>
          {t("editor.linkRemove")}
        </button>
      ) : null}
      <button type="button" className="secondary" onClick={onClose}>
        {t("editor.linkCancel")}
      </button>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {t("editor.linkInvalid")}
        </p>
      ) : null}
    </div>
  );
}

/** Stored HTML, sanitized again by the loader (safeHtml) before it reaches the page. */
export function RichTextView({ html, className }: { html: string; className?: string }) {
  return <div className={`rich-text${className ? ` ${className}` : ""}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
