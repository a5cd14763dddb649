// The project export with identifying details replaced (the default; see app/narratives/export-redaction.server.ts).
// Each paragraph is searched on its own, as a narrative quotes a turn, and the transcript's plain text is written
// again from the replaced paragraphs, so sync points still fall on paragraph starts. Every coding's selection
// (code points) is carried over the replacements: it covers the same words, a placeholder where it covered a
// replaced span, and its name is the new text (the old quote would carry the very name that was replaced).
// Speaker labels other than the role labels become P1, P2 ...; dates (Date variables, the sources' creation
// times, which lie next to the interview day) keep month and year only, as dates in the text are coarsened.
import type { SessionUser } from "../auth/session.server.ts";
import { exportContexts } from "../narratives/export-redaction.server.ts";
import type { DetectContext } from "../narratives/redaction/detect.ts";
import { municipalityPlaceholder } from "../narratives/redaction/places.ts";
import { codePointIndex, mapRange, neutralSpeakers, replaceIdentifying, type Edit } from "../narratives/redaction/replace.ts";
import { writeText } from "../transcripts/formats/text.ts";
import { speakerLabel } from "../transcripts/formats/types.ts";
import type { ExportData, ExportSource } from "./export-data.server.ts";

/** The first of the date's month (UTC): REFI's creation times are xs:dateTime, so month and year need a day. */
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

export function redactSource(source: ExportSource, ctx: DetectContext): { source: ExportSource; replaced: number } {
  const paragraphs: ExportSource["paragraphs"] = [];
  const edits: Edit[] = [];
  let oldAt = 0;
  let newAt = 0;
  // A label that may be a name ("Filmon:") becomes P1, P2 ... in order of appearance; its old span is an edit too.
  const labels = neutralSpeakers(source.paragraphs.map((p) => p.speaker));
  for (const p of source.paragraphs) {
    const r = replaceIdentifying(p.text, ctx);
    const next = { ...p, speaker: labels.get(p.speaker) ?? p.speaker, text: r.text };
    const oldLabel = speakerLabel(p.speaker);
    const newLabel = speakerLabel(next.speaker);
    if (newLabel !== oldLabel) edits.push({ start: oldAt, end: oldAt + oldLabel.length, newStart: newAt, newEnd: newAt + newLabel.length });
    // writeText: "B: text #00:01:23-4#"
    const oldLead = oldLabel.length + 2;
    const newLead = newLabel.length + 2;
    for (const e of r.edits) edits.push({ start: oldAt + oldLead + e.start, end: oldAt + oldLead + e.end, newStart: newAt + newLead + e.newStart, newEnd: newAt + newLead + e.newEnd });
    paragraphs.push(next);
    // writeText of one paragraph ends with a newline; between paragraphs stands a blank line.
    oldAt += writeText([p]).length + 1;
    newAt += writeText([next]).length + 1;
  }
  const text = writeText(paragraphs);
  const oldIndex = codePointIndex(source.text);
  const newIndex = codePointIndex(text);
  const codePoints = Array.from(text);
  const codings = source.codings.map((c) => {
    const range = mapRange(edits, oldIndex.toJs(c.start), oldIndex.toJs(c.end));
    const start = newIndex.toCp(range.start);
    const end = newIndex.toCp(range.end);
    return { ...c, start, end, quote: codePoints.slice(start, end).join("") };
  });
  return { source: { ...source, paragraphs, text, codings }, replaced: edits.length };
}

/** The export data with identifying details replaced in transcripts, selections and memos; `replaced` counts spans. */
export async function redactExportData(request: Request | null, user: SessionUser | null, data: ExportData): Promise<{ data: ExportData; replaced: number }> {
  const contexts = exportContexts(request, user, "qdpx");
  let replaced = 0;
  const sources: ExportSource[] = [];
  for (const s of data.sources) {
    const r = redactSource(s, await contexts.forCase(s.caseId));
    replaced += r.replaced;
    sources.push({ ...r.source, createdAt: monthStart(s.createdAt), updatedAt: monthStart(s.updatedAt) });
  }
  // Memos are researchers' own words, but they name people as easily as the transcripts do.
  const caseOfInterview = new Map(data.sources.map((s) => [s.interviewId, s.caseId]));
  const caseOfCoding = new Map(data.sources.flatMap((s) => s.codings.map((c) => [c.id, s.caseId] as const)));
  const memos: ExportData["memos"] = [];
  for (const m of data.memos) {
    const caseId = m.attach.kind === "source" ? caseOfInterview.get(m.attach.interviewId) : m.attach.kind === "selection" ? caseOfCoding.get(m.attach.codingId) : undefined;
    const ctx = caseId ? await contexts.forCase(caseId) : await contexts.combined();
    const title = replaceIdentifying(m.title, ctx);
    const text = replaceIdentifying(m.text, ctx);
    replaced += title.edits.length + text.edits.length;
    memos.push({ ...m, title: title.text, text: text.text });
  }
  // A case variable names the municipality: replaced by its type for every municipality, as the text is (a town
  // narrows little alone, but next to the origin, a profession and a year it finds the person; ADR 0019).
  const typeOf = new Map((await contexts.combined()).municipalities.map((m) => [m.name, m.type]));
  // A Date variable (naturalisation, start of integration management) keeps month and year: "2016-03" is no
  // xs:date, so the variable is exported as Text.
  const dateVariables = new Set(data.variables.filter((v) => v.type === "Date").map((v) => v.key));
  const cases = data.cases.map((c) => ({
    ...c,
    values: c.values.map((v) => {
      // The value is the register's name; one it no longer knows is a municipality of the district all the same.
      if (v.variable === "municipality" && v.value) return replaced++, { ...v, value: municipalityPlaceholder(typeOf.get(v.value) ?? "") };
      if (dateVariables.has(v.variable)) return replaced++, { ...v, value: v.value.slice(0, 7) };
      return v;
    }),
  }));
  const variables = data.variables.map((v) => (v.type === "Date" ? { ...v, type: "Text" as const } : v));
  return { data: { ...data, sources, memos, cases, variables }, replaced };
}
