// A narrative as PDF with pdfkit and an embedded Unicode font (DejaVu Sans from Debian's fonts-dejavu-core),
// so umlauts and names of any script print. Metadata names only the app.
import fs from "node:fs";
import PDFDocument from "pdfkit";
import type { RenderedNarrative } from "../render.ts";

export const FONT_DIR = process.env.NARRATIVE_FONT_DIR ?? "/usr/share/fonts/truetype/dejavu";
const REGULAR = `${FONT_DIR}/DejaVuSans.ttf`;
const OBLIQUE = `${FONT_DIR}/DejaVuSans-Oblique.ttf`;
const BOLD = `${FONT_DIR}/DejaVuSans-Bold.ttf`;

export function pdfFontsAvailable(): boolean {
  return [REGULAR, OBLIQUE, BOLD].every((f) => fs.existsSync(f));
}

export function narrativePdf(n: RenderedNarrative, options: { draft: boolean; subtitle: string }): Promise<Buffer> {
  if (!pdfFontsAvailable()) throw new Error(`PDF fonts missing in ${FONT_DIR}: install the Debian package fonts-dejavu-core`);
  const doc = new PDFDocument({ size: "A4", margin: 64, info: { Title: n.title, Author: "Lebenswege", Creator: "Lebenswege", Producer: "Lebenswege" }, lang: "de-DE", displayTitle: true });
  doc.registerFont("regular", REGULAR);
  doc.registerFont("oblique", OBLIQUE);
  doc.registerFont("bold", BOLD);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font("bold").fontSize(18).text(n.title);
  doc.moveDown(0.3).font("regular").fontSize(9).fillColor("#595959").text(options.draft ? `ENTWURF – nicht freigegeben · ${options.subtitle}` : options.subtitle);
  doc.fillColor("black").moveDown(1);
  for (const s of n.sections) {
    for (const p of s.paragraphs) {
      if (s.kind === "quote") doc.font("oblique").fontSize(11).text(`„${p}“`, { indent: 24, paragraphGap: 8 });
      else if (s.kind === "indicator") doc.font("regular").fontSize(11).text(`• ${p}`, { paragraphGap: 6 });
      else doc.font("regular").fontSize(11).text(p, { paragraphGap: 8, align: "left" });
    }
    doc.moveDown(0.4);
  }
  doc.end();
  return done;
}
