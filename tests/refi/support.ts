// Test data for REFI-QDA exchange: the demo district's three fixture interviews (transcripts from the fixtures),
// the shared starting codebook with colours, the fixtures' reference codings and a few memos. Also readers for
// exported zips and the schema/consistency checks every export must pass.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import yauzl from "yauzl";
import YAML from "yaml";
import { XmlDocument, XsdValidator } from "libxml2-wasm";
import type { Db } from "../../app/db/client.server.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo } from "../../prisma/seed/demo.ts";
import { DEMO_INTERVIEWS, fixturesDir, seedDemoInterviews } from "../../prisma/seed/demo-interviews.ts";

export const SHARED = path.resolve(import.meta.dirname, "..", "..", "..", "shared");
export const FIXTURES = path.join(SHARED, "fixtures", "interviews");

type YamlCode = { code: string; de: string; sensitive?: boolean };
type YamlCodebook = { dimensions: { code: string; label: { de: string }; codes: YamlCode[] }[]; cross_cutting: YamlCode[] };

/** A stable, readable colour per position. */
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** The starting codebook (dimensions and cross-cutting codes under "Querschnitt"), upserted by key. */
export async function seedCodebook(db: Db): Promise<Map<string, string>> {
  const book = YAML.parse(fs.readFileSync(path.join(SHARED, "domain", "codebook.yaml"), "utf8")) as YamlCodebook;
  const ids = new Map<string, string>();
  let n = 0;
  const upsert = async (key: string, name: string, parentId: string | null, position: number, specialCategory = false) => {
    const colour = PALETTE[n++ % PALETTE.length]!;
    const row = await db.code.upsert({
      where: { key },
      create: { key, name, parentId, position, colour, specialCategory, description: `Testbeschreibung ${key}` },
      update: {},
      select: { id: true },
    });
    ids.set(key, row.id);
  };
  let position = 0;
  for (const dim of book.dimensions) {
    await upsert(dim.code, dim.label.de, null, position++);
    let child = 0;
    for (const c of dim.codes) await upsert(c.code, c.de, ids.get(dim.code)!, child++);
  }
  await upsert("X", "Querschnitt", null, position++);
  let child = 0;
  for (const c of book.cross_cutting) await upsert(c.code, c.de, ids.get("X")!, child++, Boolean(c.sensitive));
  return ids;
}

type FixtureCoding = { id: string; code: string; start: number; end: number; quote: string };

export function fixtureCodings(fixture: string): FixtureCoding[] {
  return (YAML.parse(fs.readFileSync(path.join(FIXTURES, `${fixture}.codings.yaml`), "utf8")) as { codings: FixtureCoding[] }).codings;
}

export type SeededProject = { interviews: Map<string, { id: string; code: string; caseId: string; transcriptId: string }>; codes: Map<string, string>; researcherId: string };

/** Reference data, the demo users and fixture cases, the three fixture interviews with codings and memos. */
export async function seedProject(db: Db): Promise<SeededProject> {
  if (!fixturesDir()) throw new Error(`the interview fixtures are missing (${FIXTURES})`);
  await seedReference(db);
  await seedDemo(db, { cases: 3 });
  await seedDemoInterviews(db);
  const codes = await seedCodebook(db);
  const researcher = await db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
  const interviews = new Map<string, { id: string; code: string; caseId: string; transcriptId: string }>();
  for (const demo of DEMO_INTERVIEWS) {
    const row = await db.interview.findUniqueOrThrow({ where: { code: demo.code }, select: { id: true, code: true, caseId: true, transcript: { select: { id: true } } } });
    const transcriptId = row.transcript!.id;
    interviews.set(demo.fixture, { id: row.id, code: row.code, caseId: row.caseId, transcriptId });
    if ((await db.coding.count({ where: { transcriptId } })) === 0) {
      await db.coding.createMany({
        data: fixtureCodings(demo.fixture).map((c) => ({ transcriptId, interviewId: row.id, codeId: codes.get(c.code)!, start: c.start, end: c.end, quote: c.quote, createdById: researcher.id })),
      });
    }
  }
  if ((await db.memo.count()) === 0) {
    const int1 = interviews.get("int-01")!;
    const firstCoding = await db.coding.findFirstOrThrow({ where: { interviewId: int1.id }, orderBy: { start: "asc" }, select: { id: true } });
    const memo = (title: string, text: string, target: { interviewId?: string; codingId?: string; codeId?: string; caseId?: string }, type = "reflection") =>
      db.memo.create({ data: { type, title, contentJson: "{}", contentHtml: `<p>${text}</p>`, contentText: text, authorId: researcher.id, ...target } });
    await memo("Interviewnotiz", "Ruhige Atmosphäre, lange Pausen vor der Fluchtgeschichte.", { interviewId: int1.id });
    await memo("Zur Stelle", "Hier zeigt sich die Teilanerkennung als Wendepunkt.", { interviewId: int1.id, codingId: firstCoding.id });
    await memo("Code-Memo", "Abgrenzung zu X.BEH: nur Anerkennungsverfahren.", { codeId: codes.get("STR.ANE")! }, "code");
    await memo("Theorie", "Esser/Heckmann: vier Dimensionen, nicht additiv.", {}, "theory");
    await memo("Fallnotiz", "Fall mit zwei Interviews geplant.", { caseId: int1.caseId }, "case");
    const int3 = interviews.get("int-03")!;
    await memo("Nicht archiviert", "Dieses Memo gehört zu einem Interview ohne Archivierungseinwilligung.", { interviewId: int3.id });
  }
  return { interviews, codes, researcherId: researcher.id };
}

/** Adds a consent version that also allows archiving (int-03 is seeded without it). */
export async function allowArchiving(db: Db, interviewId: string) {
  const current = await db.consentRecord.findFirstOrThrow({ where: { interviewId, current: true } });
  const { id: _id, createdAt: _c, ...rest } = current;
  await db.consentRecord.update({ where: { id: current.id }, data: { current: false } });
  await db.consentRecord.create({ data: { ...rest, version: current.version + 1, current: true, scopeArchiving: true } });
}

/** A grant as requirePermission would return it, for calling server modules directly. */
export async function grantFor(db: Db, username: string): Promise<Grant> {
  const user = await db.user.findUniqueOrThrow({ where: { username }, select: { id: true, username: true, displayName: true, roles: { select: { role: true } }, municipalities: { select: { municipalityId: true } } } });
  return {
    access: "any",
    user: { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles.map((r) => r.role), municipalityIds: user.municipalities.map((m) => m.municipalityId), csrfToken: "x", locale: "de" } as unknown as Grant["user"],
  };
}

export async function streamToBuffer(stream: Readable | ReadableStream<Uint8Array>): Promise<Buffer> {
  const readable = stream instanceof Readable ? stream : Readable.fromWeb(stream as never);
  const chunks: Buffer[] = [];
  for await (const chunk of readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Every entry of a zip (names in order, contents inflated). */
export function unzipAll(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/** Schema errors of a document against ../shared/refi/<schema> (empty when valid). */
export function schemaErrors(xml: string, schema: "Project.xsd" | "Codebook.xsd"): string[] {
  const xsdDoc = XmlDocument.fromString(fs.readFileSync(path.join(SHARED, "refi", schema), "utf8"));
  const validator = XsdValidator.fromDoc(xsdDoc);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
    return [];
  } catch (error) {
    const details = (error as { details?: { message: string; line?: number }[] }).details;
    return details?.length ? details.map((d) => `${d.line ?? "?"}: ${d.message.trim()}`) : [String(error)];
  } finally {
    doc.dispose();
    validator.dispose();
    xsdDoc.dispose();
  }
}

const GUID_ATTRS = ["targetGUID", "creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID", "fromSyncPoint", "toSyncPoint"];

/**
 * What the schemas cannot check: GUIDs unique and every reference resolving, selections inside their text (and
 * naming the text they cover), the zip layout (project.qde at the root, sources under sources/) and every
 * internal:// path resolving to an entry, with no entry left unreferenced.
 */
export function consistencyProblems(xml: string, entries: Map<string, Buffer>): string[] {
  const problems: string[] = [];
  const doc = XmlDocument.fromString(xml);
  try {
    const ns = { q: "urn:QDA-XML:project:1.0" };
    const all = doc.find("//q:*", ns) as unknown as { name: string; attr(n: string): { value: string } | null }[];
    const guids = new Map<string, string>();
    for (const el of all) {
      const g = el.attr("guid")?.value;
      if (!g) continue;
      if (guids.has(g.toLowerCase())) problems.push(`duplicate GUID ${g}`);
      guids.set(g.toLowerCase(), el.name);
    }
    for (const el of all) {
      for (const a of GUID_ATTRS) {
        const v = el.attr(a)?.value;
        if (v && !guids.has(v.toLowerCase())) problems.push(`${el.name}@${a} ${v} does not resolve`);
      }
    }
    const expectKind: Record<string, string[]> = { CodeRef: ["Code"], NoteRef: ["Note"], SourceRef: ["TextSource", "AudioSource", "VideoSource"], VariableRef: ["Variable"] };
    for (const el of all) {
      const kinds = expectKind[el.name];
      const v = el.attr("targetGUID")?.value;
      if (kinds && v && !kinds.includes(guids.get(v.toLowerCase()) ?? "")) problems.push(`${el.name} ${v} points to ${guids.get(v.toLowerCase())}`);
    }
    const referenced = new Set<string>();
    const resolve = (p: string) => {
      const m = /^internal:\/\/([^/]+)$/.exec(p);
      if (!m) {
        problems.push(`path ${p} is not internal://<name>`);
        return null;
      }
      const entry = `sources/${m[1]}`;
      referenced.add(entry);
      if (!entries.has(entry)) problems.push(`${p} has no zip entry`);
      return entries.get(entry) ?? null;
    };
    for (const source of doc.find("//q:TextSource", ns) as unknown as { attr(n: string): { value: string } | null; find(x: string, n: object): unknown[] }[]) {
      const pathAttr = source.attr("plainTextPath")?.value;
      if (!pathAttr) {
        problems.push("text source without plainTextPath");
        continue;
      }
      const bytes = resolve(pathAttr);
      if (!bytes) continue;
      const text = Array.from(bytes.toString("utf8"));
      for (const sel of source.find("q:PlainTextSelection", ns) as { attr(n: string): { value: string } | null }[]) {
        const start = Number(sel.attr("startPosition")!.value);
        const end = Number(sel.attr("endPosition")!.value);
        if (!(start >= 0 && start < end && end <= text.length)) problems.push(`selection ${start}-${end} outside text of ${text.length}`);
        const name = sel.attr("name")?.value;
        if (name && text.slice(start, end).join("").slice(0, name.length) !== name) problems.push(`selection ${start}-${end} does not cover "${name.slice(0, 40)}"`);
      }
    }
    for (const el of doc.find("//q:Transcript", ns) as unknown as { attr(n: string): { value: string } | null }[]) resolve(el.attr("plainTextPath")!.value);
    for (const el of doc.find("//q:AudioSource|//q:VideoSource", ns) as unknown as { attr(n: string): { value: string } | null }[]) resolve(el.attr("path")!.value);
    for (const name of entries.keys()) {
      if (name === "project.qde") continue;
      if (!name.startsWith("sources/") || name.slice("sources/".length).includes("/")) problems.push(`entry ${name} outside sources/`);
      else if (!referenced.has(name)) problems.push(`entry ${name} is not referenced`);
    }
    if (!entries.has("project.qde")) problems.push("no project.qde at the root");
  } finally {
    doc.dispose();
  }
  return problems;
}
