// What a REFI-QDA project export contains, read in one place so the rules are visible together:
// - only interviews whose current consent has the archiving scope ("archiving and secondary use") and that
//   have a transcript; never Identity, InterviewIdentity (interpreter) or anything else from the identity side;
// - cases by pseudonym, with group, municipality and the current known indicator values as variables;
// - codings that are not orphaned and lie inside their text; codings of special-category codes only where the
//   consent also has the specialCategories scope;
// - memos of what is exported (interview, coding, code, case of an exported interview) and free project memos; those
//   of an interview or coding only while its consent also covers analysis (readableMemo, ADR 0018);
// - recordings only on request (ExportOptions.includeAudio) and only with the recording scope.
import { db as defaultDb, type Db } from "../db/client.server.ts";
import { withScope } from "../consent/gates.server.ts";
import { readableMemo } from "../memos/memos.server.ts";
import { decodeValue } from "../indicators/values.ts";
import { writeText } from "../transcripts/formats/text.ts";
import type { Paragraph } from "../transcripts/formats/types.ts";

export type ExportOptions = {
  includeAudio: boolean;
  /** replace identifying details in transcripts, selections and memos (app/refi/redact.server.ts) */
  replaceIdentifying: boolean;
};

export type ExportCode = { id: string; parentId: string | null; name: string; colour: string; description: string; position: number };
export type ExportCoding = { id: string; codeId: string; start: number; end: number; quote: string; createdById: string | null; createdAt: Date };
export type ExportRecording = { id: string; storageKey: string; displayName: string; contentType: string; mediaType: string };
export type ExportSource = {
  interviewId: string;
  code: string;
  caseId: string;
  createdAt: Date;
  updatedAt: Date;
  paragraphs: Paragraph[];
  /** writeText(paragraphs): the plain text every coding offset refers to */
  text: string;
  codings: ExportCoding[];
  recording: ExportRecording | null;
};
export type ExportVariableType = "Text" | "Boolean" | "Integer" | "Float" | "Date";
export type ExportVariable = { key: string; name: string; description: string; type: ExportVariableType };
export type ExportCase = { id: string; pseudonym: string; values: { variable: string; value: string }[] };
export type ExportMemo = {
  id: string;
  title: string;
  text: string;
  authorId: string | null;
  createdAt: Date;
  updatedAt: Date;
  attach: { kind: "selection"; codingId: string } | { kind: "source"; interviewId: string } | { kind: "code"; codeId: string } | { kind: "project" };
};
export type ExportData = {
  users: { id: string; name: string }[];
  codes: ExportCode[];
  variables: ExportVariable[];
  cases: ExportCase[];
  sources: ExportSource[];
  memos: ExportMemo[];
  skipped: { specialCategoryCodings: number; codingsOutOfText: number; orphanedCodings: number };
};

const GROUP_VARIABLE: ExportVariable = { key: "group", name: "Gruppe", description: "Zielgruppe des Integrationsmanagements (refugee, eu_migrant, other_migrant)", type: "Text" };
const MUNICIPALITY_VARIABLE: ExportVariable = { key: "municipality", name: "Gemeinde", description: "Gemeinde des Falls", type: "Text" };

const VARIABLE_TYPE: Record<string, ExportVariableType> = { enum: "Text", multi: "Text", number: "Float", date: "Date", boolean: "Boolean", likert5: "Integer" };

/** A decoded indicator value in the lexical form of its REFI variable type, or null when it does not fit. */
export function variableValue(type: ExportVariableType, value: unknown): string | null {
  switch (type) {
    case "Boolean":
      return typeof value === "boolean" ? String(value) : null;
    case "Integer":
      return typeof value === "number" && Number.isInteger(value) ? String(value) : null;
    case "Float":
      return typeof value === "number" && Number.isFinite(value) && /^-?\d+(\.\d+)?$/.test(String(value)) ? String(value) : null;
    case "Date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
    case "Text":
      if (typeof value === "string") return value;
      if (Array.isArray(value)) return value.map(String).join("; ");
      return value === null || value === undefined ? null : JSON.stringify(value);
    default:
      return null;
  }
}

const codePoints = (s: string) => Array.from(s).length;

async function loadSources(client: Db, options: ExportOptions) {
  const interviews = await client.interview.findMany({
    where: { ...withScope("archiving"), transcript: { isNot: null } },
    orderBy: { code: "asc" },
    select: {
      id: true,
      code: true,
      caseId: true,
      createdAt: true,
      consents: { where: { current: true }, take: 1, select: { scopeSpecialCategories: true, scopeRecording: true } },
      transcript: {
        select: {
          id: true,
          createdAt: true,
          updatedAt: true,
          paragraphs: { orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } },
        },
      },
      recordings: { orderBy: { createdAt: "asc" }, take: 1, select: { id: true, storageKey: true, displayName: true, contentType: true, mediaType: true } },
    },
  });
  const skipped = { specialCategoryCodings: 0, codingsOutOfText: 0, orphanedCodings: 0 };
  const sources: ExportSource[] = [];
  for (const interview of interviews) {
    const transcript = interview.transcript!;
    const consent = interview.consents[0]!;
    const text = writeText(transcript.paragraphs);
    const length = codePoints(text);
    const rows = await client.coding.findMany({
      where: { transcriptId: transcript.id },
      orderBy: [{ start: "asc" }, { end: "asc" }, { id: "asc" }],
      select: { id: true, codeId: true, start: true, end: true, quote: true, orphaned: true, createdById: true, createdAt: true, code: { select: { specialCategory: true } } },
    });
    const codings: ExportCoding[] = [];
    for (const row of rows) {
      if (row.orphaned) skipped.orphanedCodings++;
      else if (row.code.specialCategory && !consent.scopeSpecialCategories) skipped.specialCategoryCodings++;
      else if (row.start < 0 || row.end > length || row.start >= row.end) skipped.codingsOutOfText++;
      else codings.push({ id: row.id, codeId: row.codeId, start: row.start, end: row.end, quote: row.quote, createdById: row.createdById, createdAt: row.createdAt });
    }
    const recording = options.includeAudio && consent.scopeRecording ? (interview.recordings[0] ?? null) : null;
    sources.push({
      interviewId: interview.id,
      code: interview.code,
      caseId: interview.caseId,
      createdAt: transcript.createdAt,
      updatedAt: transcript.updatedAt,
      paragraphs: transcript.paragraphs,
      text,
      codings,
      recording,
    });
  }
  return { sources, skipped };
}

async function loadCases(client: Db, caseIds: string[]) {
  const cases = await client.case.findMany({
    where: { id: { in: caseIds } },
    orderBy: { pseudonym: "asc" },
    select: { id: true, pseudonym: true, group: true, municipality: { select: { name: true } } },
  });
  const indicators = await client.indicatorDefinition.findMany({ orderBy: { sortOrder: "asc" }, select: { id: true, code: true, labelDe: true, type: true } });
  const snapshots = await client.snapshot.findMany({
    where: { caseId: { in: caseIds }, state: "known" },
    orderBy: [{ observedAt: "desc" }, { createdAt: "desc" }],
    select: { caseId: true, indicatorId: true, value: true },
  });
  // The latest known observation per case and indicator is its current value.
  const current = new Map<string, unknown>();
  for (const s of snapshots) {
    const key = `${s.caseId}|${s.indicatorId}`;
    if (!current.has(key)) current.set(key, decodeValue(s.value));
  }
  const used = new Set<string>(["group", "municipality"]);
  const variables: ExportVariable[] = [GROUP_VARIABLE, MUNICIPALITY_VARIABLE];
  const indicatorVariables = indicators.map((i) => ({ indicator: i, variable: { key: i.code, name: i.code, description: i.labelDe, type: VARIABLE_TYPE[i.type] ?? "Text" } satisfies ExportVariable }));
  const exportCases: ExportCase[] = cases.map((c) => {
    const values = [
      { variable: "group", value: c.group },
      { variable: "municipality", value: c.municipality.name },
    ];
    for (const { indicator, variable } of indicatorVariables) {
      if (!current.has(`${c.id}|${indicator.id}`)) continue;
      const value = variableValue(variable.type, current.get(`${c.id}|${indicator.id}`));
      if (value === null) continue;
      values.push({ variable: variable.key, value });
      used.add(variable.key);
    }
    return { id: c.id, pseudonym: c.pseudonym, values };
  });
  for (const { variable } of indicatorVariables) if (used.has(variable.key)) variables.push(variable);
  return { cases: exportCases, variables };
}

async function loadMemos(client: Db, sources: ExportSource[], caseIds: string[]) {
  const interviewIds = new Set(sources.map((s) => s.interviewId));
  const codingIds = new Set(sources.flatMap((s) => s.codings.map((c) => c.id)));
  const rows = await client.memo.findMany({
    // As every memo path (ADR 0018): an interview's or coding's memos only while its consent covers analysis.
    where: readableMemo,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, title: true, contentText: true, interviewId: true, codingId: true, codeId: true, caseId: true, authorId: true, createdAt: true, updatedAt: true },
  });
  const memos: ExportMemo[] = [];
  const cases = new Set(caseIds);
  for (const m of rows) {
    let attach: ExportMemo["attach"] | null = null;
    if (m.codingId) attach = codingIds.has(m.codingId) ? { kind: "selection", codingId: m.codingId } : null;
    else if (m.interviewId) attach = interviewIds.has(m.interviewId) ? { kind: "source", interviewId: m.interviewId } : null;
    else if (m.codeId) attach = { kind: "code", codeId: m.codeId };
    // CaseType has no NoteRef: a case memo goes to the project, and only for a case with an exported interview.
    else if (m.caseId) attach = cases.has(m.caseId) ? { kind: "project" } : null;
    else attach = { kind: "project" };
    if (attach) memos.push({ id: m.id, title: m.title, text: m.contentText, authorId: m.authorId, createdAt: m.createdAt, updatedAt: m.updatedAt, attach });
  }
  return memos;
}

export async function loadCodes(client: Db = defaultDb): Promise<ExportCode[]> {
  return client.code.findMany({
    orderBy: [{ position: "asc" }, { name: "asc" }, { id: "asc" }],
    select: { id: true, parentId: true, name: true, colour: true, description: true, position: true },
  });
}

export async function loadExportData(options: ExportOptions, client: Db = defaultDb): Promise<ExportData> {
  const { sources, skipped } = await loadSources(client, options);
  const caseIds = [...new Set(sources.map((s) => s.caseId))];
  const [{ cases, variables }, codes, memos] = await Promise.all([loadCases(client, caseIds), loadCodes(client), loadMemos(client, sources, caseIds)]);
  const userIds = new Set<string>();
  for (const s of sources) for (const c of s.codings) if (c.createdById) userIds.add(c.createdById);
  for (const m of memos) if (m.authorId) userIds.add(m.authorId);
  const users = await client.user.findMany({ where: { id: { in: [...userIds] } }, orderBy: { username: "asc" }, select: { id: true, displayName: true } });
  return { users: users.map((u) => ({ id: u.id, name: u.displayName })), codes, variables, cases, sources, memos, skipped };
}

/** Code point offset of each paragraph's start in writeText(paragraphs) (for audio sync points). */
export function paragraphStarts(paragraphs: readonly Paragraph[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const p of paragraphs) {
    starts.push(at);
    at += codePoints(writeText([p])) - 1 + 2; // the paragraph without the final newline, then the blank line
  }
  return starts;
}
