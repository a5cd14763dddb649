// From parsed REFI XML to a checked, plain model of what can be imported. Everything that would make the import
// wrong is refused here, before anything is written: wrong root or namespace, malformed, duplicate or dangling
// GUIDs, selections outside their text, text sources whose file is missing or not UTF-8. What is merely not
// supported (PDF and picture sources, variables, sets, whole-source codings ...) is listed for the report.
import { GUID_PATTERN, normalizeGuid } from "./guid.ts";
import { RefiRefusal } from "./refusal.ts";
import { childNamed, childrenNamed, decodeUtf8, type XNode } from "./xml-read.server.ts";

import { CODEBOOK_NS, PROJECT_NS } from "./namespaces.ts";

export type RefiCode = { guid: string; name: string; colour: string | null; description: string; children: RefiCode[] };
export type RefiSelection = { guid: string; start: number; end: number; codeGuids: string[]; noteGuids: string[] };
export type RefiTextSource = { guid: string; name: string; text: string; created: Date | null; selections: RefiSelection[]; noteGuids: string[] };
export type RefiNote = { guid: string; name: string; text: string; created: Date | null };
/** One line of the import report: what was not imported (or merged) and why; `reason` is an i18n key under refi:report. */
export type ReportItem = { reason: string; name: string; count?: number };
export type RefiProject = {
  codes: RefiCode[];
  sources: RefiTextSource[];
  notes: RefiNote[];
  /** note GUIDs attached to the project itself (free memos) */
  projectNotes: string[];
  /** code GUID -> note GUIDs */
  codeNotes: Map<string, string[]>;
  report: ReportItem[];
};

type GuidIndex = Map<string, XNode>;

function attr(node: XNode, name: string, required = true): string {
  const value = node.attrs.get(name);
  if (value === undefined) {
    if (required) throw new RefiRefusal("missingAttribute", `${node.name}@${name} (line ${node.line})`);
    return "";
  }
  return value;
}

/** Every element with a guid, checked for form and uniqueness (GUIDs are unique across the whole document). */
function indexGuids(root: XNode): GuidIndex {
  const index: GuidIndex = new Map();
  const visit = (node: XNode) => {
    // A codebook's MemberCode names its code in "guid": a reference, checked below, not a GUID of its own.
    const raw = node.name === "MemberCode" ? undefined : node.attrs.get("guid");
    if (raw !== undefined) {
      if (!GUID_PATTERN.test(raw.trim())) throw new RefiRefusal("badGuid", `${node.name} ${raw.slice(0, 60)} (line ${node.line})`);
      const guid = normalizeGuid(raw);
      if (index.has(guid)) throw new RefiRefusal("duplicateGuid", raw);
      index.set(guid, node);
    }
    node.children.forEach(visit);
  };
  visit(root);
  return index;
}

/** Reference attributes that must resolve, with the element kinds they may point to (null: any element). */
const REFERENCES: Record<string, Record<string, string[] | null>> = {
  CodeRef: { targetGUID: ["Code"] },
  MemberCode: { targetGUID: ["Code"], guid: ["Code"] },
  NoteRef: { targetGUID: ["Note"] },
  MemberNote: { targetGUID: ["Note"] },
  SourceRef: { targetGUID: ["TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource"] },
  MemberSource: { targetGUID: ["TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource"] },
  VariableRef: { targetGUID: ["Variable"] },
  SelectionRef: { targetGUID: null },
  TranscriptSelection: { fromSyncPoint: ["SyncPoint"], toSyncPoint: ["SyncPoint"] },
  Edge: { sourceVertex: ["Vertex"], targetVertex: ["Vertex"] },
  Link: { originGUID: null, targetGUID: null },
};

function checkReferences(root: XNode, index: GuidIndex, ns: string) {
  const visit = (node: XNode) => {
    const refs = node.ns === ns ? REFERENCES[node.name] : undefined;
    if (refs) {
      for (const [name, kinds] of Object.entries(refs)) {
        const raw = node.attrs.get(name);
        if (raw === undefined) continue;
        if (!GUID_PATTERN.test(raw.trim())) throw new RefiRefusal("badGuid", `${node.name}@${name} ${raw.slice(0, 60)} (line ${node.line})`);
        const target = index.get(normalizeGuid(raw));
        if (!target || (kinds && !kinds.includes(target.name))) throw new RefiRefusal("danglingGuid", `${node.name}@${name} ${raw} (line ${node.line})`);
      }
    }
    node.children.forEach(visit);
  };
  visit(root);
}

const HEX_COLOUR = /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/;

function colourOf(value: string | undefined): string | null {
  const v = value?.trim();
  if (!v || !HEX_COLOUR.test(v)) return null;
  const hex = v.slice(1);
  return `#${(hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex).toLowerCase()}`;
}

function readCodes(codes: XNode | null, ns: string): RefiCode[] {
  if (!codes) return [];
  const read = (node: XNode): RefiCode => ({
    guid: normalizeGuid(attr(node, "guid")),
    name: attr(node, "name").trim().slice(0, 200) || "?",
    colour: colourOf(node.attrs.get("color")),
    description: (childNamed(node, "Description")?.text ?? "").trim(),
    children: childrenNamed(node, "Code")
      .filter((c) => c.ns === ns)
      .map(read),
  });
  return childrenNamed(codes, "Code")
    .filter((c) => c.ns === ns)
    .map(read);
}

function dateOf(value: string | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function checkRoot(root: XNode, name: string, ns: string, what: string) {
  // The root as written, so the researcher sees what is missing or different (language-neutral).
  if (root.ns !== ns) throw new RefiRefusal("wrongNamespace", `${what}: <${root.name}${root.ns ? ` xmlns="${root.ns}"` : ""}>`);
  if (root.name !== name) throw new RefiRefusal("wrongRoot", `${what}: ${root.name}`);
}

/** A codebook document (.qdc). */
export function parseCodebook(root: XNode): { codes: RefiCode[]; report: ReportItem[] } {
  checkRoot(root, "CodeBook", CODEBOOK_NS, ".qdc");
  const index = indexGuids(root);
  checkReferences(root, index, CODEBOOK_NS);
  const codes = readCodes(childNamed(root, "Codes"), CODEBOOK_NS);
  if (!codes.length) throw new RefiRefusal("noCodes", ".qdc");
  const report: ReportItem[] = [];
  const sets = childrenNamed(childNamed(root, "Sets") ?? root, "Set");
  if (sets.length) report.push({ reason: "sets", name: sets.map((s) => s.attrs.get("name") ?? "").join(", "), count: sets.length });
  return { codes, report };
}

/** internal://name -> sources/name, or null for paths outside the package (relative://, absolute://, ...). */
export function internalEntry(path: string): string | null {
  const m = /^internal:\/\/(.+)$/.exec(path.trim());
  if (!m) return null;
  const name = m[1]!;
  if (name.includes("/") || name.includes("\\") || name === ".." || name === "." || /[\u0000-\u001f]/.test(name)) throw new RefiRefusal("badSourcePath", path);
  return `sources/${name}`;
}

type SourceReader = (entry: string) => Promise<Buffer>;

/** Text of a TextSource or Note: inline PlainTextContent or an internal:// file; null when it lives outside the package. */
async function textOf(node: XNode, read: SourceReader, entries: ReadonlySet<string>): Promise<string | null> {
  const inline = childNamed(node, "PlainTextContent");
  if (inline) return inline.text;
  const path = node.attrs.get("plainTextPath");
  if (!path) return "";
  const entry = internalEntry(path);
  if (!entry) return null;
  if (!entries.has(entry)) throw new RefiRefusal("missingSource", path);
  return decodeUtf8(await read(entry), path);
}

const INTEGER = /^\s*-?\d{1,10}\s*$/;

function readSelection(node: XNode, text: string, sourceName: string, ns: string, report: ReportItem[]): RefiSelection | null {
  const guid = normalizeGuid(attr(node, "guid"));
  const rawStart = attr(node, "startPosition");
  const rawEnd = attr(node, "endPosition");
  if (!INTEGER.test(rawStart) || !INTEGER.test(rawEnd)) throw new RefiRefusal("badPosition", `${sourceName}: ${rawStart}–${rawEnd}`);
  const start = Number(rawStart);
  const end = Number(rawEnd);
  const length = Array.from(text).length;
  if (start < 0 || end < start || end > length) throw new RefiRefusal("positionOutOfRange", `${sourceName}: ${start}–${end} / ${length}`);
  const codeGuids = childrenNamed(node, "Coding")
    .filter((c) => c.ns === ns)
    .map((c) => childNamed(c, "CodeRef"))
    .filter((r): r is XNode => r !== null)
    .map((r) => normalizeGuid(attr(r, "targetGUID")));
  const noteGuids = childrenNamed(node, "NoteRef").map((r) => normalizeGuid(attr(r, "targetGUID")));
  if (start === end) {
    report.push({ reason: "emptySelection", name: `${sourceName} ${start}` });
    return null;
  }
  return { guid, start, end, codeGuids, noteGuids };
}

const UNSUPPORTED_SOURCES: Record<string, string> = { PictureSource: "pictureSource", PDFSource: "pdfSource", AudioSource: "audioSource", VideoSource: "videoSource" };
const UNSUPPORTED_SELECTIONS = ["PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection", "TranscriptSelection"];

/** A project document (project.qde) with the zip it came in. */
export async function parseProject(root: XNode, read: SourceReader, entries: ReadonlySet<string>): Promise<RefiProject> {
  checkRoot(root, "Project", PROJECT_NS, "project.qde");
  const ns = PROJECT_NS;
  const index = indexGuids(root);
  checkReferences(root, index, ns);
  const report: ReportItem[] = [];
  const codes = readCodes(childNamed(childNamed(root, "CodeBook") ?? root, "Codes"), ns);
  const codeNotes = new Map<string, string[]>();
  const collectCodeNotes = (node: XNode) => {
    for (const code of childrenNamed(node, "Code")) {
      const notes = childrenNamed(code, "NoteRef").map((r) => normalizeGuid(attr(r, "targetGUID")));
      if (notes.length) codeNotes.set(normalizeGuid(attr(code, "guid")), notes);
      collectCodeNotes(code);
    }
  };
  const codesNode = childNamed(childNamed(root, "CodeBook") ?? root, "Codes");
  if (codesNode) collectCodeNotes(codesNode);

  const sources: RefiTextSource[] = [];
  for (const node of childNamed(root, "Sources")?.children ?? []) {
    if (node.ns !== ns) continue;
    const name = (node.attrs.get("name") ?? "").trim() || attr(node, "guid");
    if (node.name !== "TextSource") {
      const reason = UNSUPPORTED_SOURCES[node.name];
      if (reason) report.push({ reason, name });
      continue;
    }
    const text = await textOf(node, read, entries);
    if (text === null) {
      report.push({ reason: "externalSource", name });
      continue;
    }
    if (!text.trim()) {
      report.push({ reason: "emptySource", name });
      continue;
    }
    const selections: RefiSelection[] = [];
    for (const s of childrenNamed(node, "PlainTextSelection")) {
      const selection = readSelection(s, text, name, ns, report);
      if (selection) selections.push(selection);
    }
    const wholeCodings = childrenNamed(node, "Coding").length;
    if (wholeCodings) report.push({ reason: "wholeSourceCoding", name, count: wholeCodings });
    sources.push({
      guid: normalizeGuid(attr(node, "guid")),
      name: name.slice(0, 200),
      text,
      created: dateOf(node.attrs.get("creationDateTime")),
      selections,
      noteGuids: childrenNamed(node, "NoteRef").map((r) => normalizeGuid(attr(r, "targetGUID"))),
    });
  }

  const notes: RefiNote[] = [];
  for (const node of childrenNamed(childNamed(root, "Notes") ?? root, "Note")) {
    const name = (node.attrs.get("name") ?? "").trim();
    const text = await textOf(node, read, entries);
    if (text === null) {
      report.push({ reason: "externalNote", name: name || attr(node, "guid") });
      continue;
    }
    notes.push({ guid: normalizeGuid(attr(node, "guid")), name: name.slice(0, 200), text, created: dateOf(node.attrs.get("creationDateTime")) });
  }

  const variables = childrenNamed(childNamed(root, "Variables") ?? root, "Variable");
  for (const v of variables) report.push({ reason: "variable", name: v.attrs.get("name") ?? "" });
  const cases = childrenNamed(childNamed(root, "Cases") ?? root, "Case");
  if (cases.length) report.push({ reason: "cases", name: cases.map((c) => c.attrs.get("name") ?? "").join(", "), count: cases.length });
  for (const [container, item, reason] of [["Sets", "Set", "sets"], ["Links", "Link", "links"], ["Graphs", "Graph", "graphs"]] as const) {
    const found = childrenNamed(childNamed(root, container) ?? root, item);
    if (found.length) report.push({ reason, name: found.map((f) => f.attrs.get("name") ?? "").join(", "), count: found.length });
  }
  // Selections of other kinds nested anywhere (inside unsupported sources they are covered by the source line).
  const countSelections = (node: XNode, inUnsupported: boolean): number =>
    node.children.reduce((n, c) => n + (UNSUPPORTED_SELECTIONS.includes(c.name) && !inUnsupported ? 1 : 0) + countSelections(c, inUnsupported || c.name in UNSUPPORTED_SOURCES), 0);
  const otherSelections = countSelections(root, false);
  if (otherSelections) report.push({ reason: "unsupportedSelections", name: "", count: otherSelections });

  return { codes, sources, notes, projectNotes: childrenNamed(root, "NoteRef").map((r) => normalizeGuid(attr(r, "targetGUID"))), codeNotes, report };
}
