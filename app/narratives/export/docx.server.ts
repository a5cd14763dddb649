// A released (or, for researchers, a preview) narrative as DOCX: title, paragraphs, quotes indented in italics,
// indicator changes as a list. Document properties name only the app, never a person.
import { AlignmentType, Document, Footer, HeadingLevel, Packer, PageNumber, Paragraph, TextRun } from "docx";
import type { RenderedNarrative } from "../render.ts";
import type { ExportLabels } from "./export.server.ts";
import { CONTENT_LANGUAGE } from "../../utils/word-document.server.ts";

export async function narrativeDocx(n: RenderedNarrative, labels: ExportLabels): Promise<Buffer> {
  const children: Paragraph[] = [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(n.title)] })];
  children.push(new Paragraph({ children: [new TextRun({ text: labels.subtitle, color: "595959", language: { value: labels.lang } })] }));
  for (const s of n.sections) {
    for (const p of s.paragraphs) {
      if (s.kind === "quote") children.push(new Paragraph({ indent: { left: 720, right: 720 }, children: [new TextRun({ text: `„${p}“`, italics: true })] }));
      else if (s.kind === "indicator") children.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(p)] }));
      else children.push(new Paragraph({ children: [new TextRun(p)] }));
    }
  }
  const doc = new Document({
    creator: "Lebenswege",
    lastModifiedBy: "Lebenswege",
    title: n.title,
    // The narrative is written in the project's language; the labels around it carry the reader's.
    styles: { default: { document: { run: { font: "Arial", size: 22, language: { value: CONTENT_LANGUAGE } }, paragraph: { spacing: { line: 330, after: 160 } } } } },
    sections: [
      {
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: labels.draftMark ? `${labels.draftMark} · ` : "", language: { value: labels.lang } }), new TextRun({ children: [PageNumber.CURRENT] })] })],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
