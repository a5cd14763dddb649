// Rich text from the browser is never trusted: the submitted Tiptap JSON is rebuilt node by node from the
// allow-list (app/rich-text/schema.ts), HTML is rendered from that JSON here on the server, and the result goes
// through sanitize-html as a second, independent wall. Client HTML is never stored as sent; HTML input (imports,
// other capabilities) is first cut down by sanitize-html, then parsed into the same JSON and rendered again.
import sanitizeHtml from "sanitize-html";
import { parseDocument } from "htmlparser2";
import type { ChildNode, Element } from "domhandler";
import type { JSONContent } from "@tiptap/core";
import { EMPTY_DOC, HEADING_LEVELS, headingLevelMap, MARK_TYPES, MAX_DEPTH, MAX_JSON_CHARS, safeHref, type MarkType, type RichDoc } from "./schema.ts";

export type SanitizedRichText = { json: string; html: string; text: string };

export class RichTextError extends Error {
  constructor(readonly reason: "invalid" | "too-large") {
    super(`rich text ${reason}`);
  }
}

type Node = JSONContent;
type Mark = { type: MarkType; attrs?: { href: string } };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const childrenOf = (v: Record<string, unknown>): unknown[] => (Array.isArray(v.content) ? v.content : []);

/** Text without control characters (tabs and line breaks stay). */
function cleanText(v: unknown): string {
  return typeof v === "string" ? v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "") : "";
}

const MARK_ORDER: readonly MarkType[] = ["link", "bold", "italic", "underline", "strike"];

function cleanMarks(v: unknown): Mark[] {
  if (!Array.isArray(v)) return [];
  const found = new Map<MarkType, Mark>();
  for (const m of v) {
    if (!isObject(m) || typeof m.type !== "string" || !(MARK_TYPES as readonly string[]).includes(m.type)) continue;
    const type = m.type as MarkType;
    if (type === "link") {
      const href = safeHref(isObject(m.attrs) ? m.attrs.href : undefined);
      if (href) found.set("link", { type, attrs: { href } }); // every other attribute (target, rel, class, on*) is dropped
    } else found.set(type, { type });
  }
  return MARK_ORDER.flatMap((t) => (found.has(t) ? [found.get(t)!] : []));
}

/** The words under nodes nested too deep to keep their structure, collected without recursion. */
function wordsOf(nodes: unknown[]): Node[] {
  const out: Node[] = [];
  const stack: unknown[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop();
    if (!isObject(n)) continue;
    const text = n.type === "text" ? cleanText(n.text) : "";
    if (text) out.push({ type: "text", text });
    stack.push(...[...childrenOf(n)].reverse());
  }
  return out;
}

/** Inline content: text and hard breaks; anything else inside a text block gives up its wrapper, keeps its words. */
function inline(nodes: unknown[], depth: number, out: Node[] = []): Node[] {
  if (depth > MAX_DEPTH * 2) {
    out.push(...wordsOf(nodes));
    return out;
  }
  for (const n of nodes) {
    if (!isObject(n)) continue;
    if (n.type === "text") {
      const text = cleanText(n.text);
      if (!text) continue;
      const marks = cleanMarks(n.marks);
      out.push(marks.length ? { type: "text", text, marks } : { type: "text", text });
    } else if (n.type === "hardBreak") out.push({ type: "hardBreak" });
    else inline(childrenOf(n), depth + 1, out);
  }
  return out;
}

const paragraph = (content: Node[]): Node => (content.length ? { type: "paragraph", content } : { type: "paragraph" });
const nonEmpty = (blocks: Node[]): Node[] => (blocks.length ? blocks : [{ type: "paragraph" }]);
const onlyWhitespace = (content: Node[]) => content.every((n) => n.type === "text" && !n.text!.trim());

function headingLevel(v: unknown): number {
  const n = Number(isObject(v) ? v.level : undefined);
  const [min, max] = [HEADING_LEVELS[0], HEADING_LEVELS[HEADING_LEVELS.length - 1]!];
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : min;
}

/** Tiptap's list item holds "paragraph block*". */
function listItem(content: Node[]): Node {
  return { type: "listItem", content: content[0]?.type === "paragraph" ? content : [{ type: "paragraph" }, ...content] };
}

function listItems(nodes: unknown[], depth: number): Node[] {
  const items: Node[] = [];
  for (const n of nodes) {
    if (!isObject(n)) continue;
    const content = blocks(n.type === "listItem" ? childrenOf(n) : [n], depth + 1);
    if (n.type === "listItem" || content.length) items.push(listItem(nonEmpty(content)));
  }
  return items;
}

/** Block content: allowed blocks rebuilt; stray inline content wrapped in paragraphs; unknown wrappers unwrapped. */
function blocks(nodes: unknown[], depth: number): Node[] {
  const out: Node[] = [];
  if (depth > MAX_DEPTH) {
    // Too deep to keep the structure: keep the words as one paragraph.
    const words = wordsOf(nodes);
    return words.length ? [paragraph(words)] : [];
  }
  let pending: unknown[] = [];
  const flush = () => {
    const content = inline(pending, depth);
    pending = [];
    if (content.length && !onlyWhitespace(content)) out.push(paragraph(content));
  };
  for (const n of nodes) {
    if (!isObject(n)) continue;
    if (n.type === "text" || n.type === "hardBreak") {
      pending.push(n);
      continue;
    }
    flush();
    switch (n.type) {
      case "paragraph":
        out.push(paragraph(inline(childrenOf(n), depth + 1)));
        break;
      case "heading": {
        const content = inline(childrenOf(n), depth + 1);
        out.push({ type: "heading", attrs: { level: headingLevel(n.attrs) }, ...(content.length ? { content } : {}) });
        break;
      }
      case "bulletList":
      case "orderedList": {
        const items = listItems(childrenOf(n), depth + 1);
        if (!items.length) break;
        const start = Number(isObject(n.attrs) ? n.attrs.start : 1);
        const attrs = n.type === "orderedList" && Number.isInteger(start) && start > 1 && start <= 100_000 ? { attrs: { start } } : {};
        out.push({ type: n.type, ...attrs, content: items });
        break;
      }
      case "blockquote":
        out.push({ type: "blockquote", content: nonEmpty(blocks(childrenOf(n), depth + 1)) });
        break;
      case "horizontalRule":
        out.push({ type: "horizontalRule" });
        break;
      default:
        // listItem outside a list, doc inside doc, unknown types: keep what is inside, drop the wrapper.
        out.push(...blocks(childrenOf(n), depth + 1));
    }
  }
  flush();
  return out;
}

/** Any value to an allow-listed Tiptap document. */
export function normalizeDoc(value: unknown): RichDoc {
  if (!isObject(value)) return structuredClone(EMPTY_DOC);
  const top = value.type === "doc" ? childrenOf(value) : [value];
  const content = blocks(top, 0);
  // Empty paragraphs at either end (the editor keeps one after a final list or quote) carry nothing.
  const empty = (n: Node | undefined) => n?.type === "paragraph" && !n.content;
  while (content.length > 1 && empty(content[content.length - 1])) content.pop();
  while (content.length > 1 && empty(content[0])) content.shift();
  return { type: "doc", content: nonEmpty(content) };
}

// ---- rendering ---------------------------------------------------------------------------------------------

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const MARK_TAGS: Record<Exclude<MarkType, "link">, string> = { bold: "strong", italic: "em", underline: "u", strike: "s" };

function renderText(n: Node): string {
  let html = escapeHtml(n.text ?? "");
  const marks = (n.marks ?? []) as Mark[];
  // Innermost first, link last so it wraps the formatting.
  for (const m of [...marks].reverse()) {
    if (m.type === "link") html = `<a href="${escapeHtml(m.attrs!.href)}" rel="noopener noreferrer">${html}</a>`;
    else html = `<${MARK_TAGS[m.type]}>${html}</${MARK_TAGS[m.type]}>`;
  }
  return html;
}

function renderNode(n: Node): string {
  const inner = () => (n.content ?? []).map(renderNode).join("");
  switch (n.type) {
    case "doc":
      return inner();
    case "paragraph":
      return `<p>${inner()}</p>`;
    case "heading": {
      const level = headingLevel(n.attrs);
      return `<h${level}>${inner()}</h${level}>`;
    }
    case "bulletList":
      return `<ul>${inner()}</ul>`;
    case "orderedList":
      return n.attrs?.start ? `<ol start="${Number(n.attrs.start)}">${inner()}</ol>` : `<ol>${inner()}</ol>`;
    case "listItem":
      return `<li>${inner()}</li>`;
    case "blockquote":
      return `<blockquote>${inner()}</blockquote>`;
    case "horizontalRule":
      return "<hr />";
    case "hardBreak":
      return "<br />";
    case "text":
      return renderText(n);
    default:
      return "";
  }
}

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "h3", "h4", "ul", "ol", "li", "blockquote", "hr", "br", "strong", "em", "u", "s", "a"],
  allowedAttributes: { a: ["href", "rel"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "template", "title", "head", "xmp", "noembed", "noframes", "plaintext"],
  transformTags: {
    a: (tagName, attribs): sanitizeHtml.Tag => {
      const href = safeHref(attribs.href);
      return href ? { tagName, attribs: { href, rel: "noopener noreferrer" } } : { tagName: "span", attribs: {} as sanitizeHtml.Attributes };
    },
  },
};

/** The second wall, and what pages use to show stored HTML (rows may come from seeds or imports). */
export function safeHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

export function renderHtml(doc: RichDoc): string {
  return safeHtml(renderNode(doc));
}

/** Plain text for search and lists: one line per block. */
export function plainText(doc: RichDoc): string {
  const lines: string[] = [];
  const walk = (n: Node): string => {
    if (n.type === "text") return n.text ?? "";
    if (n.type === "hardBreak") return "\n";
    const inner = n.content ?? [];
    if (n.type === "paragraph" || n.type === "heading") {
      lines.push(inner.map(walk).join(""));
      return "";
    }
    inner.forEach(walk);
    return "";
  };
  walk(doc);
  return lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");
}

// ---- HTML input -------------------------------------------------------------------------------------------

const BLOCK_TAGS: Record<string, string> = { p: "paragraph", ul: "bulletList", ol: "orderedList", li: "listItem", blockquote: "blockquote" };
const MARK_OF_TAG: Record<string, MarkType> = { strong: "bold", b: "bold", em: "italic", i: "italic", u: "underline", s: "strike", strike: "strike", del: "strike" };

function fromDom(nodes: ChildNode[], marks: Mark[], level: (level: number) => number): Node[] {
  const out: Node[] = [];
  const inner = (children: ChildNode[], more: Mark[] = marks) => fromDom(children, more, level);
  for (const n of nodes) {
    if (n.type === "text") {
      const text = n.data.replace(/\s+/g, " ");
      if (text) out.push({ type: "text", text, marks });
      continue;
    }
    if (n.type !== "tag") continue;
    const el = n as Element;
    const tag = el.name.toLowerCase();
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) out.push({ type: "heading", attrs: { level: level(Number(heading[1])) }, content: inner(el.children) });
    else if (tag === "br") out.push({ type: "hardBreak" });
    else if (tag === "hr") out.push({ type: "horizontalRule" });
    else if (BLOCK_TAGS[tag]) out.push({ type: BLOCK_TAGS[tag], ...(tag === "ol" ? { attrs: { start: Number(el.attribs.start ?? 1) } } : {}), content: inner(el.children) });
    else if (tag === "tr" || tag === "caption") {
      // No tables here: a row is a paragraph with its cells apart by a space (as the editor pastes them).
      const cells = tag === "tr" ? el.children.filter((c): c is Element => c.type === "tag" && (c.name === "td" || c.name === "th")) : [el];
      const content = cells.flatMap((c, i) => [...(i > 0 ? [{ type: "text", text: " " }] : []), ...inner(c.children)]);
      out.push({ type: "paragraph", content });
    } else if (MARK_OF_TAG[tag]) out.push(...inner(el.children, [...marks, { type: MARK_OF_TAG[tag]! }]));
    else if (tag === "a") {
      const href = safeHref(el.attribs.href);
      out.push(...inner(el.children, href ? [...marks, { type: "link", attrs: { href } }] : marks));
    } else out.push(...inner(el.children));
  }
  return out;
}

/** HTML (imports, pasted documents) to an allow-listed document. */
export function htmlToDoc(html: string): RichDoc {
  const cut = sanitizeHtml(html, {
    ...SANITIZE_OPTIONS,
    allowedTags: ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "hr", "br", "strong", "b", "em", "i", "u", "s", "strike", "del", "a", "span", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"],
  });
  const dom = parseDocument(cut);
  const levels = [...cut.matchAll(/<h([1-6])\b/gi)].map((m) => Number(m[1]));
  return normalizeDoc({ type: "doc", content: fromDom(dom.children, [], headingLevelMap(levels)) });
}

/** Plain text (the form without JavaScript): one paragraph per line. */
export function textToDoc(text: string): RichDoc {
  const lines = cleanText(text).replace(/\r\n?/g, "\n").split("\n");
  return normalizeDoc({ type: "doc", content: lines.filter((l) => l.trim()).map((l) => ({ type: "paragraph", content: [{ type: "text", text: l }] })) });
}

// ---- entry point ------------------------------------------------------------------------------------------

/**
 * Allow-listed JSON, HTML rendered from it on the server, and plain text. Throws RichTextError when the input is
 * not JSON or too large; every other oddity is dropped rather than refused.
 */
export function sanitizeRichText(input: { json?: string | null; html?: string | null; text?: string | null }): SanitizedRichText {
  let doc: RichDoc;
  if (input.json != null && input.json !== "") {
    if (input.json.length > MAX_JSON_CHARS) throw new RichTextError("too-large");
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.json);
    } catch {
      throw new RichTextError("invalid");
    }
    doc = normalizeDoc(parsed);
  } else if (input.html != null && input.html !== "") {
    if (input.html.length > MAX_JSON_CHARS) throw new RichTextError("too-large");
    doc = htmlToDoc(input.html);
  } else {
    if ((input.text ?? "").length > MAX_JSON_CHARS) throw new RichTextError("too-large");
    doc = textToDoc(input.text ?? "");
  }
  return { json: JSON.stringify(doc), html: renderHtml(doc), text: plainText(doc) };
}

/** The editor's fields of a submitted form: the JSON (hidden field `name`) or, without JavaScript, `${name}Text`. */
export function richTextFromForm(form: FormData, name: string): SanitizedRichText {
  const json = form.get(name);
  const text = form.get(`${name}Text`);
  return sanitizeRichText({ json: typeof json === "string" ? json : null, text: typeof text === "string" ? text : null });
}

export function isEmptyRichText(value: SanitizedRichText): boolean {
  return value.text.trim() === "";
}

/** The form's rich text, or the i18n key (notes namespace) of why it was refused. */
export function readRichText(form: FormData, name: string): { ok: true; value: SanitizedRichText } | { ok: false; error: "editor.invalid" | "editor.tooLarge" } {
  try {
    return { ok: true, value: richTextFromForm(form, name) };
  } catch (e) {
    if (e instanceof RichTextError) return { ok: false, error: e.reason === "too-large" ? "editor.tooLarge" : "editor.invalid" };
    throw e;
  }
}
