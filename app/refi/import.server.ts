// REFI-QDA import: a codebook (.qdc) into the codebook, a project (.qdpx) as new interviews of one case.
// Two phases: everything is read and checked first (zip, XML, GUIDs, positions, texts); only then one
// transaction writes codes, interviews with the declared consent, transcripts, codings and memos. A refusal
// (RefiRefusal) happens before the transaction, so a hostile or broken file changes nothing.
import { audit } from "../audit/audit.server.ts";
import { db as defaultDb, type Db, type Prisma } from "../db/client.server.ts";
import { addConsentVersion, type ConsentValues } from "../interviews/consent.server.ts";
import { nextInterviewCode } from "../interviews/interviews.server.ts";
import { withRaceRetry } from "../db/race-retry.server.ts";
import { CONSENT_SCOPES, scopeColumn, type ConsentScope } from "../consent/scopes.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { codingsChanged, indexCode, indexMemo, indexTranscript } from "../../search/hooks.server.ts";
import { writeVersion } from "../transcripts/versions.server.ts";
import { REFI_LIMITS, type RefiLimits } from "./limits.ts";
import { parseCodebook, parseProject, type RefiCode, type RefiProject, type ReportItem } from "./project-parse.server.ts";
import { RefiRefusal } from "./refusal.ts";
import { layoutText, type TextLayout } from "./text-layout.ts";
import { parseXml } from "./xml-read.server.ts";
import { openSafeZip } from "./zip-read.server.ts";

/** Stored on the consent record of every imported interview. */
const CONSENT_NOTE = "declared at REFI-QDA import";

type Tx = Prisma.TransactionClient;

export const DEFAULT_CODE_COLOUR = "#9e9e9e";
const TX_OPTIONS = { maxWait: 15_000, timeout: 120_000 };

export type ImportReport = {
  kind: "codebook" | "project";
  codesCreated: string[];
  /** codes of the file that matched an existing code (same name under the same parent) or a code earlier in the file */
  codesMerged: string[];
  interviews: { id: string; code: string; name: string; paragraphs: number; codings: number }[];
  codings: number;
  memos: number;
  skipped: ReportItem[];
};

const nameKey = (parentId: string | null, name: string) => `${parentId ?? ""}|${name.trim().toLocaleLowerCase("de")}`;

/** Merges codes by name under the same parent; returns file GUID -> code id. */
async function mergeCodes(tx: Tx, codes: readonly RefiCode[], userId: string, report: ImportReport): Promise<Map<string, string>> {
  const existing = await tx.code.findMany({ select: { id: true, parentId: true, name: true, position: true } });
  const byName = new Map(existing.map((c) => [nameKey(c.parentId, c.name), c.id]));
  const nextPosition = new Map<string, number>();
  for (const c of existing) nextPosition.set(c.parentId ?? "", Math.max(nextPosition.get(c.parentId ?? "") ?? 0, c.position + 1));
  const ids = new Map<string, string>();
  const visit = async (code: RefiCode, parentId: string | null, path: string) => {
    const label = path ? `${path} › ${code.name}` : code.name;
    const found = byName.get(nameKey(parentId, code.name));
    let id: string;
    if (found) {
      id = found;
      report.codesMerged.push(label);
    } else {
      const position = nextPosition.get(parentId ?? "") ?? 0;
      nextPosition.set(parentId ?? "", position + 1);
      id = (
        await tx.code.create({
          data: { name: code.name, colour: code.colour ?? DEFAULT_CODE_COLOUR, description: code.description, parentId, position, createdById: userId },
          select: { id: true },
        })
      ).id;
      byName.set(nameKey(parentId, code.name), id);
      report.codesCreated.push(label);
      await indexCode(tx, id);
    }
    ids.set(code.guid, id);
    for (const child of code.children) await visit(child, id, label);
  };
  for (const code of codes) await visit(code, null, "");
  return ids;
}

const emptyReport = (kind: ImportReport["kind"]): ImportReport => ({ kind, codesCreated: [], codesMerged: [], interviews: [], codings: 0, memos: 0, skipped: [] });

export async function importCodebook(request: Request | null, grant: Grant, bytes: Buffer, fileName: string, client: Db = defaultDb): Promise<ImportReport> {
  const { codes, report: notes } = parseCodebook(await parseXml(bytes, fileName || ".qdc"));
  const report = emptyReport("codebook");
  report.skipped.push(...notes);
  await client.$transaction(async (tx) => {
    await mergeCodes(tx, codes, grant.user.id, report);
    await audit(request, grant.user, { action: "refi.import", entity: "refi", detail: { format: "qdc", created: report.codesCreated.length, merged: report.codesMerged.length } }, tx);
  }, TX_OPTIONS);
  return report;
}

/** What the importing researcher declares about the consent documented for the imported interviews. */
export type ConsentDeclaration = {
  givenBy: string;
  givenAt: Date;
  form: string;
  language: string;
  infoSheetVersion: string;
  scopes: ConsentScope[];
};

/** importAgain: the researcher saw which sources the case already holds and wants them as new interviews anyway. */
export type ProjectImportInput = { caseId: string; placeType: string; consent: ConsentDeclaration; importAgain?: boolean };

/** Sources whose text an interview of the case already has: the same file imported twice, most likely by mistake. */
export class RefiDuplicates extends Error {
  constructor(readonly duplicates: { source: string; interviewCode: string }[]) {
    super(`REFI import: ${duplicates.length} source(s) already imported`);
    this.name = "RefiDuplicates";
  }
}

const paragraphsKey = (texts: readonly string[]) => texts.join("\n");

/** Which sources equal (paragraph for paragraph) a transcript of the case's interviews; withdrawn ones have none. */
async function alreadyImported(client: Db, caseId: string, sources: readonly PreparedSource[]) {
  const rows = await client.transcriptParagraph.findMany({
    where: { transcript: { interview: { caseId } } },
    select: { transcriptId: true, text: true, transcript: { select: { interview: { select: { code: true } } } } },
    orderBy: [{ transcriptId: "asc" }, { position: "asc" }],
  });
  const byTranscript = new Map<string, { code: string; texts: string[] }>();
  for (const r of rows) {
    const entry = byTranscript.get(r.transcriptId) ?? { code: r.transcript.interview.code, texts: [] };
    entry.texts.push(r.text);
    byTranscript.set(r.transcriptId, entry);
  }
  const existing = new Map([...byTranscript.values()].map((e) => [paragraphsKey(e.texts), e.code]));
  return sources.flatMap((s) => {
    const code = existing.get(paragraphsKey(s.layout.paragraphs.map((p) => p.text)));
    return code ? [{ source: s.name, interviewCode: code }] : [];
  });
}

type PreparedSource = { name: string; date: Date; layout: TextLayout; codings: { start: number; end: number; codeGuid: string; selectionGuid: string }[]; noteGuids: string[]; selectionNotes: Map<string, string[]> };

/** Reads and checks the whole package; throws RefiRefusal on anything that must not be imported. */
export async function readProject(bytes: Buffer, limits: RefiLimits = REFI_LIMITS): Promise<{ project: RefiProject; sources: PreparedSource[] }> {
  const zip = await openSafeZip(bytes, limits);
  try {
    if (!zip.entries.has("project.qde")) throw new RefiRefusal("noProject");
    const root = await parseXml(await zip.read("project.qde"), "project.qde", limits.xmlElements);
    const project = await parseProject(root, (entry) => zip.read(entry), new Set(zip.entries.keys()));
    const sources = project.sources.map((s): PreparedSource => {
      const layout = layoutText(s.text);
      const codings: PreparedSource["codings"] = [];
      const selectionNotes = new Map<string, string[]>();
      for (const sel of s.selections) {
        const range = layout.mapRange(sel.start, sel.end);
        if (!range) {
          project.report.push({ reason: "selectionWithoutText", name: `${s.name} ${sel.start}–${sel.end}` });
          continue;
        }
        if (sel.noteGuids.length) selectionNotes.set(sel.guid, sel.noteGuids);
        if (!sel.codeGuids.length && !sel.noteGuids.length) project.report.push({ reason: "selectionWithoutCode", name: `${s.name} ${sel.start}–${sel.end}` });
        for (const codeGuid of sel.codeGuids) codings.push({ ...range, codeGuid, selectionGuid: sel.guid });
      }
      return { name: s.name, date: s.created ?? new Date(), layout, codings, noteGuids: s.noteGuids, selectionNotes };
    });
    return { project, sources };
  } finally {
    zip.close();
  }
}

function consentValues(c: ConsentDeclaration): ConsentValues {
  const scopes = Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), c.scopes.includes(s)])) as Pick<ConsentValues, `scope${Capitalize<ConsentScope>}`>;
  return {
    givenBy: c.givenBy,
    givenAt: c.givenAt,
    takenById: null,
    form: c.form,
    language: c.language,
    infoSheetVersion: c.infoSheetVersion,
    copyHandedOver: false,
    interpreterPresent: false,
    interpreterConfidentiality: false,
    ...scopes,
  };
}

function memoContent(text: string) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return {
    contentJson: JSON.stringify({ type: "doc", content: lines.map((l) => (l ? { type: "paragraph", content: [{ type: "text", text: l }] } : { type: "paragraph" })) }),
    contentHtml: lines.map((l) => `<p>${escape(l)}</p>`).join(""),
    contentText: text.trim(),
  };
}

export async function importProject(request: Request | null, grant: Grant, bytes: Buffer, fileName: string, input: ProjectImportInput, client: Db = defaultDb, limits: RefiLimits = REFI_LIMITS): Promise<ImportReport> {
  const { project, sources } = await readProject(bytes, limits);
  const kase = await client.case.findUnique({ where: { id: input.caseId }, select: { id: true } });
  if (!kase) throw new Response("case not found", { status: 404 });
  if (!input.importAgain) {
    const duplicates = await alreadyImported(client, input.caseId, sources);
    if (duplicates.length) throw new RefiDuplicates(duplicates);
  }
  const values = consentValues(input.consent);
  const specialAllowed = input.consent.scopes.includes("specialCategories");

  return withRaceRetry(() =>
    client.$transaction(async (tx) => {
      const report = emptyReport("project");
      report.skipped.push(...project.report);
      const codeIds = await mergeCodes(tx, project.codes, grant.user.id, report);
      const special = new Set((await tx.code.findMany({ where: { id: { in: [...codeIds.values()] }, specialCategory: true }, select: { id: true } })).map((c) => c.id));
      const noteTargets = new Map<string, { interviewId?: string; codingId?: string; codeId?: string }>();
      const attach = (noteGuid: string, target: { interviewId?: string; codingId?: string; codeId?: string }) => {
        if (noteTargets.has(noteGuid)) report.skipped.push({ reason: "noteAttachedOnce", name: project.notes.find((n) => n.guid === noteGuid)?.name ?? noteGuid });
        else noteTargets.set(noteGuid, target);
      };

      for (const source of sources) {
        const code = await nextInterviewCode(tx, source.date.getUTCFullYear());
        const interview = await tx.interview.create({
          data: {
            code,
            caseId: input.caseId,
            date: source.date,
            placeType: input.placeType,
            languages: JSON.stringify([input.consent.language]),
            status: "transcribed",
            durationMinutes: null,
            createdById: grant.user.id,
          },
          select: { id: true },
        });
        await audit(request, grant.user, { action: "interview.create", entity: "interview", entityId: interview.id, detail: { code, caseId: input.caseId, source: "refi-import" } }, tx);
        await addConsentVersion(request, grant.user, tx, interview.id, values);
        // The consent was declared by the importing researcher, not taken in this app: the record says so.
        await tx.consentRecord.updateMany({ where: { interviewId: interview.id, current: true }, data: { note: CONSENT_NOTE } });
        const { paragraphs, text } = source.layout;
        const transcript = await tx.transcript.create({ data: { interviewId: interview.id, source: "import", language: input.consent.language, version: 1 }, select: { id: true } });
        await tx.transcriptParagraph.createMany({
          data: paragraphs.map((p, position) => ({ transcriptId: transcript.id, position, speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text, words: null })),
        });
        await writeVersion(tx, transcript.id, 1, paragraphs, grant.user.id, "import");
        const cps = Array.from(text);
        let codings = 0;
        const firstCodingOfSelection = new Map<string, string>();
        for (const c of source.codings) {
          const codeId = codeIds.get(c.codeGuid)!;
          if (special.has(codeId) && !specialAllowed) {
            report.skipped.push({ reason: "specialCategoryCoding", name: `${source.name} ${c.start}–${c.end}` });
            continue;
          }
          const row = await tx.coding.create({
            data: { transcriptId: transcript.id, interviewId: interview.id, codeId, start: c.start, end: c.end, quote: cps.slice(c.start, c.end).join(""), createdById: grant.user.id },
            select: { id: true },
          });
          if (!firstCodingOfSelection.has(c.selectionGuid)) firstCodingOfSelection.set(c.selectionGuid, row.id);
          codings++;
        }
        for (const [selectionGuid, notes] of source.selectionNotes) {
          const codingId = firstCodingOfSelection.get(selectionGuid);
          for (const note of notes) attach(note, codingId ? { interviewId: interview.id, codingId } : { interviewId: interview.id });
        }
        for (const note of source.noteGuids) attach(note, { interviewId: interview.id });
        await indexTranscript(tx, interview.id);
        await codingsChanged(tx, interview.id);
        report.interviews.push({ id: interview.id, code, name: source.name, paragraphs: paragraphs.length, codings });
        report.codings += codings;
      }
      for (const [codeGuid, notes] of project.codeNotes) for (const note of notes) if (codeIds.has(codeGuid)) attach(note, { codeId: codeIds.get(codeGuid)! });

      for (const note of project.notes) {
        const target = noteTargets.get(note.guid) ?? {};
        const text = note.text.trim();
        const title = (note.name || text.split("\n")[0]!.slice(0, 80) || "Notiz").slice(0, 200);
        const memo = await tx.memo.create({
          data: { type: target.codeId ? "code" : "other", title, ...memoContent(text), interviewId: target.interviewId ?? null, codingId: target.codingId ?? null, codeId: target.codeId ?? null, authorId: grant.user.id, ...(note.created ? { createdAt: note.created } : {}) },
          select: { id: true },
        });
        await indexMemo(tx, memo.id);
        report.memos++;
      }
      await audit(
        request,
        grant.user,
        {
          action: "refi.import",
          entity: "refi",
          detail: {
            format: "qdpx",
            caseId: input.caseId,
            interviews: report.interviews.map((i) => i.code),
            codings: report.codings,
            memos: report.memos,
            codesCreated: report.codesCreated.length,
            codesMerged: report.codesMerged.length,
            skipped: report.skipped.length,
            consentNote: CONSENT_NOTE,
            file: fileName.slice(0, 120),
          },
        },
        tx,
      );
      return report;
    }, TX_OPTIONS),
  );
}

/** Audits a refused file (what was refused and why, no content); nothing else is written. */
export async function auditRefusal(request: Request | null, grant: Grant, format: "qdc" | "qdpx", refusal: RefiRefusal, client: Db = defaultDb) {
  await audit(request, grant.user, { action: "refi.import.refused", entity: "refi", detail: { format, code: refusal.code, detail: refusal.detail.slice(0, 200) } }, client);
}
