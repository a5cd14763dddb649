// DOCX in the Dresing & Pehl layout: one paragraph per turn, the speaker label in bold with a hanging indent,
// the turn's end as #hh:mm:ss-t# at the paragraph end; the interview code in the page header (not in the body,
// so reading the file back gives only turns). Read back with mammoth's raw text, then the plain-text parser.
import { AlignmentType, Document, Footer, Header, Packer, PageNumber, Paragraph as DocParagraph, TabStopType, TextRun } from "docx";
import { parseText } from "./text.ts";
import { formatDpTimestamp } from "./timestamp.ts";
import { TranscriptParseError, speakerLabel, type Paragraph } from "./types.ts";

const INDENT = 720; // twips: 1.27 cm

/** `language`: the transcript's (a Word tag, "de-DE"), the document's default so that Word spell-checks the turns in it. */
export async function writeDocx(paragraphs: readonly Paragraph[], options: { title?: string; language?: string } = {}): Promise<Buffer> {
  const doc = new Document({
    creator: "Lebenswege",
    title: options.title ?? "Transkript",
    styles: { default: { document: { run: { font: "Arial", size: 22, ...(options.language ? { language: { value: options.language } } : {}) }, paragraph: { spacing: { line: 360, after: 160 } } } } },
    sections: [
      {
        headers: options.title ? { default: new Header({ children: [new DocParagraph({ children: [new TextRun(options.title)] })] }) } : undefined,
        footers: {
          default: new Footer({ children: [new DocParagraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }),
        },
        children: paragraphs.map(
          (p) =>
            new DocParagraph({
              indent: { left: INDENT, hanging: INDENT },
              tabStops: [{ type: TabStopType.LEFT, position: INDENT }],
              children: [
                new TextRun({ text: `${speakerLabel(p.speaker)}:`, bold: true }),
                new TextRun({ text: `\t${p.text}${p.text ? " " : ""}` }),
                new TextRun({ text: formatDpTimestamp(p.endMs), color: "595959" }),
              ],
            }),
        ),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** Turns of a DOCX file; error lines are paragraph numbers of the document. */
export async function parseDocx(buffer: Buffer): Promise<Paragraph[]> {
  // Loaded on the first Word import, not at every server start (about 0.2 s of CPU measured on a busy machine).
  const { default: mammoth } = await import("mammoth");
  let text: string;
  try {
    text = (await mammoth.extractRawText({ buffer })).value;
  } catch {
    throw new TranscriptParseError("docxUnreadable", 1);
  }
  // mammoth ends every paragraph with a blank line; a soft line break inside a paragraph is a single newline.
  const docParagraphs = text.replace(/\n\n$/, "").split("\n\n").map((p) => p.replace(/\n/g, " "));
  return parseText(docParagraphs.join("\n"));
}
