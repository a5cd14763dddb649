// The current retrieval result as a file: CSV (in the reader's spreadsheet format, app/statistics/csv.ts) and DOCX (one
// block per segment: source line, then the passage with its context, the coded words in bold).
import { Paragraph, TextRun } from "docx";
import { GREY, wordDocument, wordLanguage } from "../utils/word-document.server.ts";
import { csvFormat, toCsv } from "../statistics/csv.ts";
import { formatDpTimestamp } from "../transcripts/formats/timestamp.ts";
import { codeLabel } from "./codes.server.ts";
import type { SegmentHit } from "./segments.server.ts";

type T = (key: string, options?: Record<string, unknown>) => string;

/** A memo as plain text: its title, then its text (a file reader sees where one memo ends and the next begins). */
const memoText = (m: SegmentHit["memos"][number]) => (m.text ? `${m.title}\n${m.text}` : m.title);
const codesText = (hit: SegmentHit, language: string) => hit.codes.map((c) => codeLabel(c, language)).join(", ");
/** hh:mm:ss-t, the transcript's notation, without the # marks (a leading # reads oddly in a spreadsheet) */
const clock = (ms: number) => formatDpTimestamp(ms).replace(/#/g, "");

/**
 * `replaced`: the hits' identifying details were replaced. The character offsets stay empty: they count in the
 * original text, so they would not fit the replaced one (and give lengths away). The header stays the first row
 * (scripts read row 1 as the header); the file name and the DOCX say the text is pseudonymized (ADR 0019).
 */
export function segmentsCsv(hits: SegmentHit[], t: T, language: string, { replaced = false } = {}): string {
  const header = [
    t("retrieval:export.interview"),
    t("retrieval:export.date"),
    t("retrieval:export.case"),
    t("retrieval:export.speaker"),
    t("retrieval:export.time"),
    t("retrieval:export.startMs"),
    t("retrieval:export.code"),
    t("retrieval:export.before"),
    t("retrieval:export.passage"),
    t("retrieval:export.after"),
    t("retrieval:export.codedBy"),
    t("retrieval:export.comment"),
    t("retrieval:export.memos"),
    t("retrieval:export.start"),
    t("retrieval:export.end"),
  ];
  // One row per coding (code x segment), as MAXQDA, ATLAS.ti and NVivo export: a code name may hold a comma, so
  // codes joined in one cell could not be told apart; the passage repeats on each of its codings' rows. A coding's
  // memos stand on its row, as its comment does.
  const rows = hits.flatMap((h) =>
    h.codings.map((c) => [h.interviewCode, h.interviewDate, h.casePseudonym, h.speaker, clock(h.startMs), h.startMs, codeLabel(c.code, language), h.before, h.text, h.after, c.author, c.comment, h.memos.filter((m) => m.codingId === c.id).map(memoText).join("\n\n"), replaced ? "" : h.start, replaced ? "" : h.end]),
  );
  return toCsv([header, ...rows], csvFormat(language));
}

export async function segmentsDocx(hits: SegmentHit[], t: T, language: string, meta: { title: string; filterSummary: string; total: number; replaced?: boolean }): Promise<Buffer> {
  const blocks = hits.flatMap((h, n) => [
    new Paragraph({
      spacing: { before: 240, after: 60 },
      keepNext: true,
      children: [
        new TextRun({ text: `${n + 1}. ${h.interviewCode}`, bold: true }),
        new TextRun({ text: ` · ${h.casePseudonym} · ${h.speaker || "?"} · ${clock(h.startMs)}`, color: GREY }),
      ],
    }),
    new Paragraph({ keepNext: true, children: [new TextRun({ text: codesText(h, language), italics: true, color: GREY })] }),
    new Paragraph({
      indent: { left: 360 },
      children: [
        ...(h.before ? [new TextRun({ text: `${h.before}${h.gapBefore ? " " : ""}`, color: GREY })] : []),
        // a passage over several turns: each on its own line
        ...h.text.split("\n").map((line, i) => new TextRun({ text: line, bold: true, ...(i > 0 ? { break: 1 } : {}) })),
        ...(h.after ? [new TextRun({ text: `${h.gapAfter ? " " : ""}${h.after}`, color: GREY })] : []),
      ],
    }),
    ...h.comments.map((c) => new Paragraph({ indent: { left: 360 }, children: [new TextRun({ text: `${t("retrieval:export.comment")}: ${c}`, italics: true })] })),
    // A memo under its segment: the title in bold, its text below it line by line.
    ...h.memos.map(
      (m) =>
        new Paragraph({
          indent: { left: 360 },
          children: [
            new TextRun({ text: `${t("retrieval:export.memo")}: `, italics: true, color: GREY }),
            new TextRun({ text: m.title, bold: true }),
            ...(m.text ? m.text.split("\n").map((line) => new TextRun({ text: line, break: 1 })) : []),
          ],
        }),
    ),
  ]);
  const lead = [meta.filterSummary, t("retrieval:export.count", { count: meta.total, shown: hits.length })];
  // The segments are the transcripts' words; title and lead lines are in the reader's language.
  return wordDocument(meta.title, meta.replaced ? [t("retrieval:export.pseudonymized"), ...lead] : lead, blocks, { reader: wordLanguage(language) });
}
