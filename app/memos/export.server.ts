// Memos as a Word document, as MAXQDA's and ATLAS.ti's memo managers export them: one section per memo (title,
// kind, what it is about, author, dates, the coded quote for a coding memo), the text with its formatting (the
// rich-text allow-list of app/rich-text/schema.ts: paragraphs, headings, lists, quotes, rules, bold, italic,
// underline, strike-through, links).
import { ExternalHyperlink, HeadingLevel, Paragraph, TextRun, type ParagraphChild } from "docx";
import { GREY, wordDocument, wordLanguage } from "../utils/word-document.server.ts";
import type { JSONContent } from "@tiptap/core";
import { formatDate } from "../cases/format.ts";
import type { ExportedMemo } from "./memos.server.ts";

type T = (key: string, options?: Record<string, unknown>) => string;

function inline(nodes: JSONContent[] | undefined): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const n of nodes ?? []) {
    if (n.type === "hardBreak") {
      out.push(new TextRun({ text: "", break: 1 }));
      continue;
    }
    if (n.type !== "text" || !n.text) continue;
    const has = (type: string) => (n.marks ?? []).some((m) => m.type === type);
    const run = new TextRun({ text: n.text, bold: has("bold"), italics: has("italic"), underline: has("underline") ? {} : undefined, strike: has("strike") });
    const href = (n.marks ?? []).find((m) => m.type === "link")?.attrs?.href;
    out.push(typeof href === "string" ? new ExternalHyperlink({ link: href, children: [new TextRun({ text: n.text, style: "Hyperlink", bold: has("bold"), italics: has("italic") })] }) : run);
  }
  return out;
}

/** Block nodes as paragraphs; lists indent by level, ordered lists number their items as written. */
function blocks(nodes: JSONContent[] | undefined, depth = 0, quote = false): Paragraph[] {
  const out: Paragraph[] = [];
  const indent = (extra = 0) => (depth + extra || quote ? { left: 360 * (depth + extra) + (quote ? 567 : 0) } : undefined);
  for (const n of nodes ?? []) {
    switch (n.type) {
      case "paragraph":
        out.push(new Paragraph({ indent: indent(), children: inline(n.content), ...(quote ? { border: { left: { style: "single", size: 6, color: "A6A6A6", space: 8 } } } : {}) }));
        break;
      case "heading":
        out.push(new Paragraph({ heading: n.attrs?.level === 4 ? HeadingLevel.HEADING_4 : HeadingLevel.HEADING_3, indent: indent(), children: inline(n.content) }));
        break;
      case "blockquote":
        out.push(...blocks(n.content, depth, true));
        break;
      case "horizontalRule":
        out.push(new Paragraph({ border: { bottom: { style: "single", size: 6, color: "A6A6A6", space: 1 } }, children: [] }));
        break;
      case "bulletList":
      case "orderedList": {
        const start = typeof n.attrs?.start === "number" ? n.attrs.start : 1;
        (n.content ?? []).forEach((item, i) => {
          const [first, ...rest] = item.content ?? [];
          const mark = n.type === "orderedList" ? `${start + i}.` : "•";
          const lead = first?.type === "paragraph" ? inline(first.content) : [];
          out.push(new Paragraph({ indent: { left: 360 * (depth + 1) + (quote ? 567 : 0), hanging: 360 }, children: [new TextRun({ text: `${mark}\t` }), ...lead] }));
          out.push(...blocks(first?.type === "paragraph" ? rest : (item.content ?? []), depth + 1, quote));
        });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function memoBlocks(memo: ExportedMemo, t: T, language: string): Paragraph[] {
  let doc: JSONContent;
  try {
    doc = JSON.parse(memo.contentJson) as JSONContent;
  } catch {
    doc = { type: "doc", content: [] };
  }
  const about = memo.target.kind === "project" ? t("memos:targets.project") : `${t(`memos:targets.${memo.target.kind}`)}: ${language.startsWith("en") && memo.target.labelEn ? memo.target.labelEn : memo.target.label}`;
  const facts = [t(`memos:types.${memo.type}`), about, memo.author ?? t("memos:unknownAuthor"), t("memos:detail.created", { date: formatDate(memo.createdAt, language) }), t("memos:detail.updated", { date: formatDate(memo.updatedAt, language) })];
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 360 }, keepNext: true, children: [new TextRun({ text: memo.title })] }),
    new Paragraph({ keepNext: true, spacing: { after: 120 }, children: [new TextRun({ text: facts.join(" · "), color: GREY })] }),
    ...(memo.target.quote ? [new Paragraph({ indent: { left: 567 }, spacing: { after: 120 }, children: [new TextRun({ text: `„${memo.target.quote}“`, italics: true, color: GREY })] })] : []),
    ...blocks(doc.content),
  ];
}

/**
 * `replaced`: the memos' identifying details were replaced (app/memos/redact.server.ts); the lead says so.
 * `hidden`: memos of the filters the consent leaves out (readableMemo); the lead says how many and why, as the list does.
 */
export async function memosDocx(memos: ExportedMemo[], t: T, language: string, meta: { title: string; filterSummary: string; replaced?: boolean; hidden?: number }): Promise<Buffer> {
  // The memos are written in the project's language; title and lead lines are in the reader's.
  const lead = [meta.filterSummary, t("memos:export.count", { count: memos.length }), ...(meta.hidden ? [t("memos:list.hidden", { count: meta.hidden })] : [])];
  return wordDocument(meta.title, meta.replaced ? [t("memos:export.pseudonymized"), ...lead] : lead, memos.flatMap((m) => memoBlocks(m, t, language)), { reader: wordLanguage(language) });
}
