// The codebook as a Word document, for a project's appendix or for training coders, as MAXQDA and ATLAS.ti export
// theirs: the tree as headings (key, name, the other language's name), each code's colour, description, examples,
// the Art. 9 mark, and how often it has been coded (with its sub-codes).
import { HeadingLevel, Paragraph, TextRun } from "docx";
import { GREY, wordDocument, wordLanguage } from "../utils/word-document.server.ts";
import { codeName } from "../links/format.ts";
import type { CodeNode } from "./codebook-tree.ts";

type T = (key: string, options?: Record<string, unknown>) => string;

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

function codeBlocks(node: CodeNode, t: T, language: string): Paragraph[] {
  const name = codeName(node, language);
  const other = language === "en" ? node.name : node.nameEn;
  const usage = node.children.length ? t("codebook:tree.usageWithSub", { count: node.usage, total: node.totalUsage }) : t("codebook:tree.usage", { count: node.usage });
  return [
    new Paragraph({
      heading: HEADINGS[Math.min(node.depth, HEADINGS.length - 1)],
      keepNext: true,
      children: [new TextRun({ text: "■ ", color: node.colour.replace("#", "") }), new TextRun({ text: `${node.key ? `${node.key} ` : ""}${name}` })],
    }),
    new Paragraph({
      keepNext: true,
      children: [new TextRun({ text: [other && other !== name ? other : null, usage, node.specialCategory ? t("codebook:special.badge") : null].filter(Boolean).join(" · "), color: GREY })],
    }),
    ...(node.specialCategory ? [new Paragraph({ children: [new TextRun({ text: t("codebook:special.hint"), italics: true })] })] : []),
    ...node.description
      .split(/\n+/)
      .filter((line) => line.trim())
      .map((line) => new Paragraph({ children: [new TextRun(line)] })),
    ...(node.examples.length ? [new Paragraph({ keepNext: true, children: [new TextRun({ text: t("codebook:fields.examplesTitle"), bold: true })] })] : []),
    ...node.examples.map((e) => new Paragraph({ indent: { left: 720, hanging: 360 }, children: [new TextRun({ text: `–\t„${e}“`, italics: true })] })),
    ...node.children.flatMap((c) => codeBlocks(c, t, language)),
  ];
}

export async function codebookDocx(tree: CodeNode[], t: T, language: string, count: number): Promise<Buffer> {
  const date = new Intl.DateTimeFormat(language, { dateStyle: "long" }).format(new Date());
  // The codes are named in the reader's language (the other language's name beside), so that is the document's.
  return wordDocument(t("codebook:title"), [`${t("codebook:tree.title", { count })} · ${date}`], tree.flatMap((n) => codeBlocks(n, t, language)), { content: wordLanguage(language) });
}
