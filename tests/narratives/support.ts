// Helpers of the narrative tests: records arranged in the database, form posts with the session's token, and the
// text of the downloads (DOCX: every XML part of the zip; PDF: content streams decoded through the fonts'
// ToUnicode maps, which is how pdfkit writes text with an embedded font).
import zlib from "node:zlib";
import yauzl from "yauzl";
import type { Db } from "../../app/db/client.server.ts";
import type { HttpClient } from "../support/app-server.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";
import { givenConsent } from "../support/consent.ts";

export async function postForm(client: HttpClient, url: string, form: Record<string, string>) {
  return client.post(url, { ...form, _csrf: await client.csrfToken() });
}

type Turn = { speaker: string; text: string };

/** An interview on the case with a current consent (quotation as given) and a transcript of the turns. */
export async function makeInterview(db: Db, caseId: string, code: string, turns: Turn[], scopes: { quotation: boolean; linking?: boolean }) {
  const date = new Date("2025-05-01T10:00:00Z");
  const interview = await db.interview.create({
    data: {
      code,
      caseId,
      date,
      placeType: "office",
      languages: '["de"]',
      status: "transcribed",
      consents: givenConsent(date, { analysis: true, linking: scopes.linking ?? true, quotation: scopes.quotation }),
      transcript: { create: { source: "manual", language: "de", paragraphs: { create: turns.map((t, position) => ({ position, speaker: t.speaker, startMs: position * 10_000, endMs: (position + 1) * 10_000, text: t.text })) } } },
    },
    select: { id: true },
  });
  return interview.id;
}

/** Code-point offsets of turn `index`'s text (after its label) in the transcript's plain text, as the picker posts them. */
export function turnOffsets(turns: Turn[], index: number): { start: number; end: number } {
  const paragraphs = turns.map((t, i) => ({ speaker: t.speaker, startMs: i * 10_000, endMs: (i + 1) * 10_000, text: t.text }));
  const before = index === 0 ? 0 : Array.from(writeText(paragraphs.slice(0, index))).length + 1; // + the blank line's second \n
  const start = before + Array.from(`${turns[index]!.speaker}: `).length;
  return { start, end: start + Array.from(turns[index]!.text).length };
}

export async function unzipEntries(buffer: Buffer): Promise<Map<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z!))));
  const out = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream!.on("data", (c: Buffer) => chunks.push(c));
        stream!.on("end", () => {
          out.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
          zip.readEntry();
        });
      });
    });
    zip.on("end", () => resolve());
    zip.on("error", reject);
    zip.readEntry();
  });
  return out;
}

/** All text of a DOCX: the XML of every part with tags removed and entities decoded (core properties included). */
export async function docxText(buffer: Buffer): Promise<string> {
  const parts = await unzipEntries(buffer);
  return [...parts.entries()]
    .filter(([name]) => name.endsWith(".xml"))
    .map(([, xml]) => xml.replace(/<w:tab\/>/g, " ").replace(/<\/w:p>/g, "\n").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&"))
    .join("\n");
}

/** The PDF's objects by number, with their decoded stream when they have one. */
function objects(pdf: Buffer): Map<number, { dict: string; stream: string | null }> {
  const latin = pdf.toString("latin1");
  const out = new Map<number, { dict: string; stream: string | null }>();
  for (const m of latin.matchAll(/(\d+) 0 obj([^]*?)endobj/g)) {
    const body = m[2]!;
    const at = body.indexOf("stream");
    if (at < 0) {
      out.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    const dataStart = m.index + m[0].indexOf(body) + at + "stream".length + (body[at + 6] === "\r" ? 2 : 1);
    const dataEnd = m.index + m[0].indexOf(body) + body.lastIndexOf("endstream");
    const raw = pdf.subarray(dataStart, dataEnd);
    let stream: string | null = null;
    try {
      stream = (/FlateDecode/.test(dict) ? zlib.inflateSync(raw) : raw).toString("latin1");
    } catch {
      stream = null;
    }
    out.set(Number(m[1]), { dict, stream });
  }
  return out;
}

function cmapOf(s: string): Map<string, string> {
  const map = new Map<string, string>();
  const hex = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
  for (const block of s.matchAll(/beginbfchar([^]*?)endbfchar/g)) for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(m[1]!.toLowerCase(), hex(m[2]!));
  for (const block of s.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      const width = m[1]!.length;
      if (m[3]!.startsWith("[")) {
        const list = [...m[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => hex(x[1]!));
        for (let c = lo; c <= hi; c++) map.set(c.toString(16).padStart(width, "0"), list[c - lo] ?? "");
      } else {
        const base = parseInt(m[3]!.slice(1, -1), 16);
        for (let c = lo; c <= hi; c++) map.set(c.toString(16).padStart(width, "0"), String.fromCodePoint(base + c - lo));
      }
    }
  }
  return map;
}

/** Text of a pdfkit PDF: per font (Tf), glyph codes of TJ/Tj hex strings mapped through its ToUnicode CMap; plus the Info strings. */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  // Font resource names (/F1) -> font object -> ToUnicode stream
  const fonts = new Map<string, Map<string, string>>();
  for (const { dict } of objs.values()) {
    for (const fontDict of dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const f of fontDict[1]!.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)) {
        const font = objs.get(Number(f[2]));
        const toUnicode = font && /\/ToUnicode\s+(\d+) 0 R/.exec(font.dict);
        const cmap = toUnicode ? objs.get(Number(toUnicode[1]))?.stream : null;
        if (cmap) fonts.set(f[1]!, cmapOf(cmap));
      }
    }
  }
  const text: string[] = [];
  for (const { stream } of objs.values()) {
    if (!stream || !/\bT[Jj]\b/.test(stream) || stream.includes("begincmap")) continue;
    let font = new Map<string, string>();
    for (const op of stream.matchAll(/\/([\w.+-]+)\s+[\d.]+\s+Tf|(\[[^\]]*\]|<[0-9a-fA-F]*>)\s*T[Jj]/g)) {
      if (op[1]) {
        font = fonts.get(op[1]) ?? new Map();
        continue;
      }
      let line = "";
      for (const part of op[2]!.matchAll(/<([0-9a-fA-F]*)>|(-?\d+(?:\.\d+)?)/g)) {
        if (part[1] !== undefined) line += (part[1].match(/.{4}/g) ?? []).map((c) => font.get(c.toLowerCase()) ?? "").join("");
        else if (Number(part[2]) < -200) line += " "; // a wide gap is a word space
      }
      text.push(line);
    }
  }
  // Document information (Title, Author) as pdfkit writes it: literal or hex strings in the trailer's Info.
  const info = pdf.toString("latin1").match(/\/(?:Title|Author|Subject|Keywords|Creator|Producer)\s*(\([^)]*\)|<[0-9a-fA-F]+>)/g) ?? [];
  for (const entry of info) {
    const value = entry.replace(/^\/\w+\s*/, "");
    if (value.startsWith("<")) {
      const bytes = Buffer.from(value.slice(1, -1), "hex");
      text.push(bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2).swap16().toString("utf16le") : bytes.toString("latin1"));
    } else text.push(value.slice(1, -1));
  }
  return text.join("\n");
}
