// The house style of the app's Word exports (coded segments, memos, the codebook): Arial 11 pt, a title line, grey
// lines saying what the document holds, page numbers at the foot; and the download response for such a file.
import { AlignmentType, Document, Footer, Packer, PageNumber, Paragraph, TextRun } from "docx";

export const GREY = "595959";

/**
 * The language of what people wrote and said in the project: the interviews are transcribed in German (Dresing &
 * Pehl), memos and narratives are written in German. A Word file without a language spell-checks in whatever
 * language Word is set to, so each export names it.
 */
export const CONTENT_LANGUAGE = "de-DE";

/** A Word language tag for a language code ("de" -> "de-DE", "en" -> "en-GB"); other codes as they are. */
export function wordLanguage(code: string | null | undefined): string {
  if (!code) return CONTENT_LANGUAGE;
  const base = code.toLowerCase().slice(0, 2);
  return code.includes("-") ? code : base === "de" ? "de-DE" : base === "en" ? "en-GB" : code;
}

/**
 * A document: its title in large bold type, then `lead` lines in grey, then `body`. `content` is the language of
 * the body (the document's default, so Word spell-checks it in that language); `reader` that of the title and lead
 * lines, when they are in the reader's language.
 */
export async function wordDocument(title: string, lead: string[], body: Paragraph[], { content = CONTENT_LANGUAGE, reader = content }: { content?: string; reader?: string } = {}): Promise<Buffer> {
  const lang = reader === content ? {} : { language: { value: reader } };
  const doc = new Document({
    creator: "Lebenswege",
    title,
    styles: { default: { document: { run: { font: "Arial", size: 22, language: { value: content } }, paragraph: { spacing: { line: 300 } } } } },
    sections: [
      {
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }) },
        children: [
          new Paragraph({ children: [new TextRun({ text: title, bold: true, size: 32, ...lang })] }),
          ...lead.map((line) => new Paragraph({ children: [new TextRun({ text: line, color: GREY, ...lang })] })),
          ...body,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The download of a Word file, named `<name>-<today>.docx`, never cached (it may hold personal data). */
export function wordDownload(body: Buffer, name: string): Response {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "Content-Disposition": `attachment; filename="${name}-${day}.docx"`,
      "Cache-Control": "no-store",
    },
  });
}
