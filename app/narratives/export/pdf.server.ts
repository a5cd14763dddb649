// A narrative as PDF with pdfkit and an embedded Unicode font (DejaVu Sans from Debian's fonts-dejavu-core),
// so umlauts and names of any script print. Metadata names only the app.
import fs from "node:fs";
import type { RenderedNarrative } from "../render.ts";
import type { ExportLabels } from "./export.server.ts";

export const FONT_DIR = process.env.NARRATIVE_FONT_DIR ?? "/usr/share/fonts/truetype/dejavu";
const REGULAR = `${FONT_DIR}/DejaVuSans.ttf`;
const OBLIQUE = `${FONT_DIR}/DejaVuSans-Oblique.ttf`;
const BOLD = `${FONT_DIR}/DejaVuSans-Bold.ttf`;

export function pdfFontsAvailable(): boolean {
  return [REGULAR, OBLIQUE, BOLD].every((f) => fs.existsSync(f));
}

/**
 * A tagged PDF (PDF/UA's structure, BITV 2.0 for documents an administration hands out): heading, paragraphs,
 * quotes and the indicator list are structure elements in reading order, so a screen reader reads it as the page.
 * The document's language is the narrative's (German); the subtitle carries the reader's language.
 */
export async function narrativePdf(n: RenderedNarrative, labels: ExportLabels): Promise<Buffer> {
  if (!pdfFontsAvailable()) throw new Error(`PDF fonts missing in ${FONT_DIR}: install the Debian package fonts-dejavu-core`);
  // Loaded with the first PDF, not at every server start (about 0.4 s of CPU measured on a busy machine).
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ size: "A4", margin: 64, info: { Title: n.title, Author: "Lebenswege", Creator: "Lebenswege", Producer: "Lebenswege" }, lang: "de-DE", displayTitle: true, tagged: true, pdfVersion: "1.7" });
  doc.registerFont("regular", REGULAR);
  doc.registerFont("oblique", OBLIQUE);
  doc.registerFont("bold", BOLD);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const root = doc.struct("Document");
  doc.addStructure(root);
  root.add(doc.struct("H1", {}, () => doc.font("bold").fontSize(18).text(n.title)));
  doc.moveDown(0.3);
  const subtitle = labels.draftMark ? `${labels.draftMark} · ${labels.subtitle}` : labels.subtitle;
  root.add(doc.struct("P", { lang: labels.lang }, () => doc.font("regular").fontSize(9).fillColor("#595959").text(subtitle)));
  doc.fillColor("black").moveDown(1);
  for (const s of n.sections) {
    if (s.kind === "indicator") {
      const list = doc.struct("L");
      root.add(list);
      for (const p of s.paragraphs) {
        const item = doc.struct("LI");
        list.add(item);
        item.add(doc.struct("LBody", {}, () => doc.font("regular").fontSize(11).text(`• ${p}`, { paragraphGap: 6 })));
      }
      list.end();
    } else {
      for (const p of s.paragraphs) {
        if (s.kind === "quote") root.add(doc.struct("BlockQuote", {}, () => doc.font("oblique").fontSize(11).text(`„${p}“`, { indent: 24, paragraphGap: 8 })));
        else root.add(doc.struct("P", {}, () => doc.font("regular").fontSize(11).text(p, { paragraphGap: 8, align: "left" })));
      }
    }
    doc.moveDown(0.4);
  }
  root.end();
  doc.end();
  return done;
}
