// The rich-text allow-list, shared by the editor (browser) and the sanitizer (server): the same node and mark
// types, heading levels and link rule on both sides, so what the editor can produce is exactly what the server
// keeps. Everything else (pasted or hand-made JSON) is dropped.
import type { JSONContent } from "@tiptap/core";

export type RichDoc = JSONContent & { type: "doc" };

/** Block nodes and what they may hold. */
export const BLOCK_TYPES = ["paragraph", "heading", "bulletList", "orderedList", "listItem", "blockquote", "horizontalRule"] as const;
export const INLINE_TYPES = ["text", "hardBreak"] as const;
export const MARK_TYPES = ["bold", "italic", "underline", "strike", "link"] as const;
export type MarkType = (typeof MARK_TYPES)[number];

/** Headings below the page's own h1/h2, so a note never breaks the page outline. */
export const HEADING_LEVELS = [3, 4] as const;

/**
 * The allowed level for each heading level of a pasted or imported document: kept when all its levels are allowed,
 * else its levels in order become 3 and 4 (and deeper ones 4), so a Word or web page's h1/h2 stay headings, in rank.
 */
export function headingLevelMap(levels: Iterable<number>): (level: number) => number {
  const used = [...new Set(levels)].sort((a, b) => a - b);
  const allowed: readonly number[] = HEADING_LEVELS;
  if (used.every((l) => allowed.includes(l))) return (level) => level;
  return (level) => allowed[Math.min(Math.max(used.indexOf(level), 0), allowed.length - 1)]!;
}

/** Limits against documents that are costly to store, render or search. */
export const MAX_DEPTH = 24;
export const MAX_JSON_CHARS = 400_000; // named in the "too long" message (notes.json editor.tooLarge)
export const MAX_HREF_CHARS = 2_000;

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * An http(s) or mailto link, normalized, or null. Control characters, whitespace and backslashes anywhere are
 * refused outright: they are how `jav&#x09;ascript:` and friends slip past naive scheme checks.
 */
export function safeHref(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const value = raw.trim();
  if (!value || value.length > MAX_HREF_CHARS) return null;
  if (/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (!LINK_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== "mailto:" && !url.hostname) return null;
  if (url.username || url.password) return null; // https://bank.example@evil.example
  return url.href;
}

export const EMPTY_DOC: RichDoc = { type: "doc", content: [{ type: "paragraph" }] };
