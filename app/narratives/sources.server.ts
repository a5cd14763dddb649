// What a narrative may draw on: passages of the case's interviews whose current consent has the quotation scope
// (codings, or any selection of the transcript), and changes of the case's indicators. Interviews without the
// scope are not offered, and a quote of one is refused here on the server, whatever the form sent.
import { db } from "../db/client.server.ts";
import { requireScope, withScope } from "../consent/gates.server.ts";
import { writeText } from "../transcripts/formats/text.ts";
import { decodeValue } from "../indicators/values.ts";
import deIndicators from "../i18n/locales/de/indicators.json";
import { notFound } from "../utils/responses.server.ts";
import { quoteText } from "./quote-text.ts";

export { quoteText };

export const MAX_QUOTE_CHARS = 4000;

export async function quotableInterviews(caseId: string) {
  return db.interview.findMany({
    where: { caseId, ...withScope("quotation"), transcript: { isNot: null } },
    orderBy: { date: "asc" },
    select: { id: true, code: true, date: true },
  });
}

/** The transcript's plain text (the layout codings index into) and each paragraph's code-point span in it. */
export async function transcriptText(interviewId: string) {
  const transcript = await db.transcript.findUnique({
    where: { interviewId },
    select: { paragraphs: { orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } } },
  });
  if (!transcript) return null;
  const paragraphs = transcript.paragraphs;
  const text = writeText(paragraphs);
  const spans: { index: number; speaker: string; start: number; end: number; text: string }[] = [];
  let at = 0;
  paragraphs.forEach((p, index) => {
    const line = writeText([p]).replace(/\n$/, "");
    const length = Array.from(line).length;
    spans.push({ index, speaker: p.speaker, start: at, end: at + length, text: p.text });
    at += length + 2; // the blank line between paragraphs
  });
  return { text, codePoints: Array.from(text), spans };
}

export async function quotableCodings(interviewIds: string[]) {
  if (!interviewIds.length) return [];
  return db.coding.findMany({
    // Passages coded as special category (health, religion ...: GDPR Art. 9) are never offered for a narrative.
    where: { interviewId: { in: interviewIds }, orphaned: false, code: { specialCategory: false } },
    orderBy: [{ interviewId: "asc" }, { start: "asc" }],
    select: { id: true, interviewId: true, start: true, end: true, quote: true, code: { select: { key: true, name: true } } },
  });
}

/** A quote would carry special-category details (a passage coded as such, e.g. health): never in a narrative. */
export class SpecialCategoryPassage extends Error {}

/** Quote blocks (interview, code-point range) that overlap a passage coded as special category, now. */
export async function specialCategoryQuotes<T extends { interviewId: string; start: number; end: number; text?: string }>(quotes: readonly T[]): Promise<T[]> {
  if (!quotes.length) return [];
  const flat = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
  // One read for every quoted interview (the redaction page asks on each view).
  const codings = await db.coding.findMany({ where: { interviewId: { in: [...new Set(quotes.map((q) => q.interviewId))] }, orphaned: false, code: { specialCategory: true } }, select: { interviewId: true, start: true, end: true, quote: true } });
  const hits: T[] = [];
  for (const q of quotes) {
    const special = codings.filter((c) => c.interviewId === q.interviewId);
    // By range, and by text too: a quote block keeps the offsets of the day it was taken, the transcript may have
    // moved since (and a passage may have been coded as special category only after it was quoted).
    const quoted = q.text ? flat(q.text) : "";
    if (special.some((c) => (c.start < q.end && c.end > q.start) || (quoted && flat(c.quote) && (quoted.includes(flat(c.quote)) || flat(c.quote).includes(quoted))))) hits.push(q);
  }
  return hits;
}

/**
 * Resolves a requested passage against the current transcript; refuses without the quotation scope, and refuses a
 * passage that overlaps one coded as special category (the commissioner's texts never hold Art. 9 details, even
 * where the person consented to their analysis).
 */
export async function resolveQuote(caseId: string, interviewId: string, start: number, end: number, codingId: string | null) {
  const interview = await db.interview.findFirst({ where: { id: interviewId, caseId }, select: { id: true } });
  if (!interview) throw notFound();
  await requireScope(interviewId, "quotation");
  if (codingId) {
    const coding = await db.coding.findFirst({ where: { id: codingId, interviewId }, select: { start: true, end: true } });
    if (!coding) throw notFound();
    start = coding.start;
    end = coding.end;
  }
  const source = await transcriptText(interviewId);
  if (!source) throw notFound();
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > source.codePoints.length || end - start > MAX_QUOTE_CHARS) {
    throw new Response("invalid passage", { status: 400 });
  }
  const text = quoteText(source.codePoints.slice(start, end).join(""));
  if (!text) throw new Response("empty passage", { status: 400 });
  if ((await specialCategoryQuotes([{ interviewId, start, end }])).length) throw new SpecialCategoryPassage();
  return { interviewId, start, end, text, codingId };
}

const VALUE_LABELS = deIndicators.values as Record<string, Record<string, string>>;

function valueText(def: { code: string; type: string }, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (def.type === "boolean") return value === true ? "ja" : "nein";
  if (def.type === "likert5") return `${String(value)} von 5`;
  if (Array.isArray(value)) return value.map((v) => VALUE_LABELS[def.code]?.[String(v)] ?? String(v)).join(", ");
  return VALUE_LABELS[def.code]?.[String(value)] ?? String(value);
}

export type IndicatorChange = { snapshotId: string; indicatorCode: string; at: string; text: string };

/**
 * Changes of the case's situation indicators ("Deutschniveau: A2 → B1 (2024)"), oldest first. Only for cases
 * whose person consented to linking research with the register (an interview with the linking scope); personal
 * indicators (P.*: birth year, nationality, municipality) are never offered.
 */
export async function indicatorChanges(caseId: string): Promise<IndicatorChange[]> {
  const linked = await db.interview.count({ where: { caseId, ...withScope("linking") } });
  if (!linked) return [];
  const snapshots = await db.snapshot.findMany({
    where: { caseId, state: "known", indicator: { code: { startsWith: "S." }, active: true } },
    orderBy: [{ observedAt: "asc" }, { createdAt: "asc" }],
    select: { id: true, value: true, observedAt: true, indicator: { select: { code: true, type: true, labelDe: true } } },
  });
  const last = new Map<string, string>();
  const out: IndicatorChange[] = [];
  for (const s of snapshots) {
    const value = valueText(s.indicator, decodeValue(s.value));
    const before = last.get(s.indicator.code);
    last.set(s.indicator.code, value);
    if (before === value) continue;
    const year = s.observedAt.getUTCFullYear();
    const text = before === undefined ? `${s.indicator.labelDe}: ${value} (${year})` : `${s.indicator.labelDe}: ${before} → ${value} (${year})`;
    out.push({ snapshotId: s.id, indicatorCode: s.indicator.code, at: s.observedAt.toISOString().slice(0, 7), text });
  }
  return out;
}
