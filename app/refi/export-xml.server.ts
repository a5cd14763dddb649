// REFI-QDA 1.5 documents: project.qde (urn:QDA-XML:project:1.0) and the bare codebook .qdc
// (urn:QDA-XML:codebook:1.0). Element order follows the schemas' sequences; every GUID comes from refiGuid().
import { refiGuid } from "./guid.ts";
import { XmlWriter } from "./xml-write.ts";
import { paragraphStarts, type ExportCode, type ExportData, type ExportMemo } from "./export-data.server.ts";
import { CODEBOOK_NS, PROJECT_NS } from "./namespaces.ts";

export const ORIGIN = "Lebenswege";

const HEX_COLOUR = /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/;
const iso = (d: Date) => d.toISOString();

/** The file name (under sources/) and media path of a recording, by its sniffed content type. */
export function mediaExtension(contentType: string): string {
  const known: Record<string, string> = { "audio/mpeg": "mp3", "audio/wav": "wav", "audio/x-wav": "wav", "audio/mp4": "m4a", "audio/ogg": "ogg", "audio/flac": "flac", "video/mp4": "mp4", "video/webm": "webm", "audio/webm": "webm" };
  return known[contentType] ?? "bin";
}

export const textEntryName = (interviewId: string) => `${refiGuid("source", interviewId)}.txt`;
export const mediaEntryName = (recordingId: string, contentType: string) => `${refiGuid("audio", recordingId)}.${mediaExtension(contentType)}`;

function childrenOf(codes: readonly ExportCode[]) {
  const byParent = new Map<string | null, ExportCode[]>();
  const ids = new Set(codes.map((c) => c.id));
  for (const c of codes) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  return byParent;
}

function writeCodes(w: XmlWriter, codes: readonly ExportCode[], noteRefs: Map<string, string[]> | null) {
  const byParent = childrenOf(codes);
  const visit = (code: ExportCode) => {
    const kids = byParent.get(code.id) ?? [];
    const notes = noteRefs?.get(code.id) ?? [];
    const attrs = { guid: refiGuid("code", code.id), name: code.name, isCodable: true, color: HEX_COLOUR.test(code.colour) ? code.colour : null };
    if (!code.description && !kids.length && !notes.length) return w.leaf("Code", attrs);
    w.open("Code", attrs);
    if (code.description) w.text("Description", code.description);
    for (const note of notes) w.leaf("NoteRef", { targetGUID: note });
    kids.forEach(visit);
    w.close("Code");
  };
  w.open("Codes");
  (byParent.get(null) ?? []).forEach(visit);
  w.close("Codes");
}

export function codebookXml(codes: readonly ExportCode[]): string {
  const w = new XmlWriter();
  w.open("CodeBook", { xmlns: CODEBOOK_NS, origin: ORIGIN });
  // The schema wants at least one code, so callers offer the codebook export only when codes exist.
  writeCodes(w, codes, null);
  w.close("CodeBook");
  return w.toString();
}

function groupNotes(memos: readonly ExportMemo[]) {
  const by = (kind: string, key: (m: ExportMemo) => string) => {
    const map = new Map<string, string[]>();
    for (const m of memos) {
      if (m.attach.kind !== kind) continue;
      const k = key(m);
      map.set(k, [...(map.get(k) ?? []), refiGuid("note", m.id)]);
    }
    return map;
  };
  return {
    selection: by("selection", (m) => (m.attach as { codingId: string }).codingId),
    source: by("source", (m) => (m.attach as { interviewId: string }).interviewId),
    code: by("code", (m) => (m.attach as { codeId: string }).codeId),
    project: memos.filter((m) => m.attach.kind === "project").map((m) => refiGuid("note", m.id)),
  };
}

export function projectXml(data: ExportData, meta: { name: string; userId: string; now: Date }): string {
  const w = new XmlWriter();
  const userGuid = (id: string | null) => (id && data.users.some((u) => u.id === id) ? refiGuid("user", id) : null);
  const notes = groupNotes(data.memos);
  const creator = data.users.some((u) => u.id === meta.userId) ? refiGuid("user", meta.userId) : null;
  w.open("Project", { xmlns: PROJECT_NS, name: meta.name, origin: ORIGIN, creatingUserGUID: creator, creationDateTime: iso(meta.now) });

  if (data.users.length) {
    w.open("Users");
    for (const u of data.users) w.leaf("User", { guid: refiGuid("user", u.id), name: u.name });
    w.close("Users");
  }
  if (data.codes.length) {
    w.open("CodeBook");
    writeCodes(w, data.codes, notes.code);
    w.close("CodeBook");
  }
  const usedVariables = data.variables.filter((v) => data.cases.some((c) => c.values.some((x) => x.variable === v.key)));
  if (usedVariables.length) {
    w.open("Variables");
    for (const v of usedVariables) {
      w.open("Variable", { guid: refiGuid("variable", v.key), name: v.name, typeOfVariable: v.type });
      w.text("Description", v.description);
      w.close("Variable");
    }
    w.close("Variables");
  }
  if (data.cases.length) {
    const types = new Map(data.variables.map((v) => [v.key, v.type]));
    w.open("Cases");
    for (const c of data.cases) {
      w.open("Case", { guid: refiGuid("case", c.id), name: c.pseudonym });
      for (const value of c.values) {
        w.open("VariableValue");
        w.leaf("VariableRef", { targetGUID: refiGuid("variable", value.variable) });
        w.text(`${types.get(value.variable) ?? "Text"}Value`, value.value);
        w.close("VariableValue");
      }
      for (const s of data.sources.filter((s) => s.caseId === c.id)) {
        w.leaf("SourceRef", { targetGUID: refiGuid("source", s.interviewId) });
        if (s.recording) w.leaf("SourceRef", { targetGUID: refiGuid("audio", s.recording.id) });
      }
      w.close("Case");
    }
    w.close("Cases");
  }
  if (data.sources.length) {
    w.open("Sources");
    for (const s of data.sources) {
      const guid = refiGuid("source", s.interviewId);
      w.open("TextSource", { guid, name: s.code, plainTextPath: `internal://${textEntryName(s.interviewId)}`, creationDateTime: iso(s.createdAt), modifiedDateTime: iso(s.updatedAt) });
      for (const c of s.codings) {
        const attrs = { guid: refiGuid("selection", c.id), name: c.quote.slice(0, 200), startPosition: c.start, endPosition: c.end, creatingUser: userGuid(c.createdById), creationDateTime: iso(c.createdAt) };
        w.open("PlainTextSelection", attrs);
        w.open("Coding", { guid: refiGuid("coding", c.id), creatingUser: userGuid(c.createdById), creationDateTime: iso(c.createdAt) });
        w.leaf("CodeRef", { targetGUID: refiGuid("code", c.codeId) });
        w.close("Coding");
        for (const note of notes.selection.get(c.id) ?? []) w.leaf("NoteRef", { targetGUID: note });
        w.close("PlainTextSelection");
      }
      for (const note of notes.source.get(s.interviewId) ?? []) w.leaf("NoteRef", { targetGUID: note });
      w.close("TextSource");
      if (s.recording) {
        const element = s.recording.mediaType === "video" ? "VideoSource" : "AudioSource";
        w.open(element, { guid: refiGuid("audio", s.recording.id), name: `${s.code} (${element === "VideoSource" ? "Video" : "Audio"})`, path: `internal://${mediaEntryName(s.recording.id, s.recording.contentType)}` });
        // The transcript is the same plain text as the text source; sync points tie each turn's start to its time.
        w.open("Transcript", { guid: refiGuid("transcript", s.interviewId), name: s.code, plainTextPath: `internal://${textEntryName(s.interviewId)}` });
        const starts = paragraphStarts(s.paragraphs);
        s.paragraphs.forEach((p, i) => w.leaf("SyncPoint", { guid: refiGuid("sync", `${s.interviewId}:${i}`), timeStamp: p.startMs, position: starts[i] }));
        w.close("Transcript");
        w.close(element);
      }
    }
    w.close("Sources");
  }
  if (data.memos.length) {
    w.open("Notes");
    for (const m of data.memos) {
      w.open("Note", { guid: refiGuid("note", m.id), name: m.title, creatingUser: userGuid(m.authorId), creationDateTime: iso(m.createdAt), modifiedDateTime: iso(m.updatedAt) });
      w.text("PlainTextContent", m.text);
      w.close("Note");
    }
    w.close("Notes");
  }
  for (const note of notes.project) w.leaf("NoteRef", { targetGUID: note });
  w.close("Project");
  return w.toString();
}
