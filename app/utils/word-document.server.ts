// The house style of the app's Word exports (coded segments, memos, the codebook): Arial 11 pt, a title line, grey
// lines saying what the document holds, page numbers at the foot; and the download response for such a file.
import { AlignmentType, Document, Footer, Packer, PageNumber, Paragraph, TextRun } from "docx";

export const GREY = "595959";

/** A document: its title in large bold type, then `lead` lines in grey, then `body`. */
export async function wordDocument(title: string, lead: string[], body: Paragraph[]): Promise<Buffer> {
  const doc = new Document({
    creator: "Lebenswege",
    title,
    styles: { default: { document: { run: { font: "Arial", size: 22 }, paragraph: { spacing: { line: 300 } } } } },
    sections: [
      {
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }) },
        children: [new Paragraph({ children: [new TextRun({ text: title, bold: true, size: 32 })] }), ...lead.map((line) => new Paragraph({ children: [new TextRun({ text: line, color: GREY })] })), ...body],
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
