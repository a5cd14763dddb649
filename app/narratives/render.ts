// The anonymized narrative as sections (title, paragraphs, quotes, indicator changes), and its two frozen forms:
// releasedHtml (escaped, built here from the sections) and releasedText (plain, for search). Exports and the
// commissioner's page read the sections back from releasedHtml, so what was released is exactly what is shown.
import { paragraphsOf } from "./blocks.ts";

export type SectionKind = "text" | "quote" | "indicator";
export type Section = { kind: SectionKind; paragraphs: string[] };
export type RenderedNarrative = { title: string; sections: Section[] };

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const unescapeHtml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

export function section(kind: SectionKind, text: string): Section {
  return { kind, paragraphs: kind === "indicator" ? [text.replace(/\s+/g, " ").trim()] : paragraphsOf(text) };
}

export function toHtml(n: RenderedNarrative): string {
  const body = n.sections.map((s) => {
    const ps = s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("");
    if (s.kind === "quote") return `<blockquote class="narrative-quote">${ps}</blockquote>`;
    if (s.kind === "indicator") return `<div class="narrative-indicator">${ps}</div>`;
    return `<div class="narrative-text">${ps}</div>`;
  });
  return `<h2 class="narrative-title">${escapeHtml(n.title)}</h2>${body.join("")}`;
}

/** A released narrative's title: the first line of its frozen text (the working title may name someone). */
export const releasedTitleOf = (text: string | null | undefined) => (text ?? "").split("\n")[0] ?? "";

export function toPlainText(n: RenderedNarrative): string {
  const body = n.sections.map((s) => (s.kind === "quote" ? s.paragraphs.map((p) => `„${p}“`) : s.paragraphs).join("\n\n"));
  return [n.title, ...body].join("\n\n") + "\n";
}

/** Reads back what toHtml wrote (only that shape; anything else is ignored). */
export function fromHtml(html: string): RenderedNarrative {
  const title = unescapeHtml(/<h2 class="narrative-title">([\s\S]*?)<\/h2>/.exec(html)?.[1] ?? "");
  const sections: Section[] = [];
  for (const m of html.matchAll(/<(blockquote|div) class="narrative-(quote|indicator|text)">([\s\S]*?)<\/\1>/g)) {
    const paragraphs = [...m[3]!.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((p) => unescapeHtml(p[1]!));
    sections.push({ kind: m[2] as SectionKind, paragraphs });
  }
  return { title, sections };
}
