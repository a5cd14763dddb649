// REFI-QDA import against a real database: a project from "another tool" (labels of its own, CRLF, BOM, emoji,
// notes, a PDF source, variables), codebook merging, and every hostile or broken file refused with nothing written.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { importCodebook, importProject, readProject, RefiDuplicates, type ProjectImportInput } from "../../app/refi/import.server.ts";
import { REFI_LIMITS, type RefiLimits } from "../../app/refi/limits.ts";
import { RefiRefusal } from "../../app/refi/refusal.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";
import type { Grant } from "../../app/permissions/permissions.server.ts";
import { grantFor, seedCodebook } from "./support.ts";
import { G, miniProject, rawZip, zipOf } from "./zips.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { seedDemo } from "../../prisma/seed/demo.ts";

let grant: Grant;
let caseId: string;
// Names of seeded codes as the seed spells them (the reference seed may write umlauts).
const seededName: Record<string, string> = {};

const input = (): ProjectImportInput => ({
  caseId,
  placeType: "office",
  consent: { givenBy: "person", givenAt: new Date("2024-05-01T00:00:00Z"), form: "written", language: "de", infoSheetVersion: "Infoblatt 2024", scopes: ["recording", "transcription", "analysis", "archiving"] },
});

beforeAll(async () => {
  await seedReference(db);
  await seedDemo(db, { cases: 3 });
  await seedCodebook(db);
  grant = await grantFor(db, "forschung");
  caseId = (await db.case.findUniqueOrThrow({ where: { pseudonym: "LOE-2022-0001" } })).id;
  for (const key of ["STR", "KUL", "KUL.SPR", "X", "X.GES"]) seededName[key] = (await db.code.findUniqueOrThrow({ where: { key } })).name;
});

const TABLES = ["code", "interview", "consentRecord", "transcript", "transcriptParagraph", "coding", "memo"] as const;
async function counts() {
  return Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await (db[t] as unknown as { count(): Promise<number> }).count()])));
}

/** Imports and expects a refusal with the given code, and that no research data changed. */
async function expectRefused(bytes: Buffer, code: string, limits: RefiLimits = REFI_LIMITS) {
  const before = await counts();
  const error = await importProject(null, grant, bytes, "test.qdpx", input(), db, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected refusal ${code}`).toBeInstanceOf(RefiRefusal);
  expect((error as RefiRefusal).code).toBe(code);
  expect(await counts()).toEqual(before);
}

// A project as QualCoder or MAXQDA might write it: own speaker names, CRLF, a BOM, doubled spaces, an emoji.
const FOREIGN_TEXT = "\uFEFFInterviewerin: Wie kam es dazu?\r\n\r\nAnna:  Ich habe   eine Ausbildung\r\nangefangen. 😀 Das war gut.\r\n";
const cp = (s: string) => Array.from(s).length;
const body = FOREIGN_TEXT.slice(1); // positions count without the BOM
const startOf = (needle: string) => cp(body.slice(0, body.indexOf(needle)));
const SEL_START = startOf("eine Ausbildung");
const SEL_END = startOf("angefangen.") + cp("angefangen");
const EMOJI_WORD = startOf("Das war");

function foreignProject() {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fremdprojekt" origin="QualCoder 3.5">
  <Users><User guid="{${G(90).toUpperCase()}}" name="anna.k"/></Users>
  <CodeBook>
    <Codes>
      <Code guid="${G(1)}" name="Arbeitswelt" isCodable="true" color="#F00">
        <Description>Alles zu Arbeit</Description>
        <NoteRef targetGUID="${G(52)}"/>
        <Code guid="${G(2)}" name="Ausbildung" isCodable="true"/>
      </Code>
      <Code guid="${G(3)}" name="${seededName.STR!.toUpperCase()}" isCodable="false"/>
      <Code guid="${G(5)}" name="${seededName.X}" isCodable="false"><Code guid="${G(4)}" name="${seededName["X.GES"]}" isCodable="true"/></Code>
    </Codes>
  </CodeBook>
  <Variables><Variable guid="${G(60)}" name="Alter" typeOfVariable="Integer"/></Variables>
  <Cases>
    <Case guid="${G(70)}" name="Person A">
      <VariableValue><VariableRef targetGUID="${G(60)}"/><IntegerValue>34</IntegerValue></VariableValue>
      <SourceRef targetGUID="${G(10)}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="${G(10)}" name="Interview Anna" plainTextPath="internal://anna.txt" creationDateTime="2024-05-06T10:00:00Z" creatingUser="${G(90)}">
      <PlainTextSelection guid="${G(11)}" startPosition="${SEL_START}" endPosition="${SEL_END}" creatingUser="${G(90)}">
        <Coding guid="${G(12)}" creatingUser="${G(90)}"><CodeRef targetGUID="${G(2)}"/></Coding>
        <Coding guid="${G(13)}"><CodeRef targetGUID="${G(3)}"/></Coding>
        <NoteRef targetGUID="${G(50)}"/>
      </PlainTextSelection>
      <PlainTextSelection guid="${G(14)}" startPosition="${EMOJI_WORD}" endPosition="${EMOJI_WORD + 3}">
        <Coding guid="${G(15)}"><CodeRef targetGUID="${G(4)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="${G(16)}" startPosition="0" endPosition="18">
        <Coding guid="${G(17)}"><CodeRef targetGUID="${G(1)}"/></Coding>
      </PlainTextSelection>
      <Coding guid="${G(18)}"><CodeRef targetGUID="${G(1)}"/></Coding>
    </TextSource>
    <PDFSource guid="${G(20)}" name="Scan.pdf" path="internal://scan.pdf">
      <PDFSelection guid="${G(21)}" page="1" firstX="0" firstY="0" secondX="10" secondY="10"><Coding guid="${G(22)}"><CodeRef targetGUID="${G(1)}"/></Coding></PDFSelection>
    </PDFSource>
    <TextSource guid="${G(30)}" name="Feldnotiz">
      <PlainTextContent>Erste Zeile 😀
Zweite Zeile</PlainTextContent>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="${G(50)}" name="Memo zur Stelle"><PlainTextContent>Wichtiger Wendepunkt.</PlainTextContent></Note>
    <Note guid="${G(51)}" name="Projektmemo"><PlainTextContent>Frei &amp; offen &lt;b&gt;</PlainTextContent></Note>
    <Note guid="${G(52)}" name="Code-Memo" plainTextPath="internal://note52.txt"/>
  </Notes>
  <NoteRef targetGUID="${G(51)}"/>
</Project>`;
  return { "project.qde": xml, "sources/anna.txt": FOREIGN_TEXT, "sources/scan.pdf": Buffer.from("%PDF-1.4 fake"), "sources/note52.txt": "Definition: Erwerbsarbeit." };
}

describe("project import from another tool", () => {
  it("creates interviews with declared consent, transcripts in the app's layout, codings on the same words, memos and a report", async () => {
    const report = await importProject(null, grant, await zipOf(foreignProject()), "fremd.qdpx", input());
    expect(report.interviews.map((i) => i.name)).toEqual(["Interview Anna", "Feldnotiz"]);
    const anna = await db.interview.findUniqueOrThrow({
      where: { id: report.interviews[0]!.id },
      select: { caseId: true, date: true, status: true, consents: true, transcript: { select: { id: true, paragraphs: { orderBy: { position: "asc" } } } } },
    });
    expect(anna.caseId).toBe(caseId);
    expect(anna.status).toBe("transcribed");
    expect(anna.date.toISOString()).toBe("2024-05-06T10:00:00.000Z");
    expect(anna.consents).toHaveLength(1);
    expect(anna.consents[0]).toMatchObject({ current: true, scopeAnalysis: true, scopeArchiving: true, scopeSpecialCategories: false, infoSheetVersion: "Infoblatt 2024", note: "declared at REFI-QDA import" });
    const paragraphs = anna.transcript!.paragraphs;
    expect(paragraphs.map((p) => [p.speaker, p.text])).toEqual([
      ["Interviewerin", "Wie kam es dazu?"],
      ["Anna", "Ich habe eine Ausbildung angefangen. 😀 Das war gut."],
    ]);
    const text = Array.from(writeText(paragraphs.map((p) => ({ speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text }))));
    const codings = await db.coding.findMany({ where: { transcriptId: anna.transcript!.id }, include: { code: true }, orderBy: { start: "asc" } });
    const quotes = codings.map((c) => [c.code.name, c.quote, text.slice(c.start, c.end).join("")]);
    expect(quotes).toContainEqual(["Ausbildung", "eine Ausbildung angefangen", "eine Ausbildung angefangen"]);
    // merged onto the seeded dimension code of the same name
    expect(quotes).toContainEqual([seededName.STR, "eine Ausbildung angefangen", "eine Ausbildung angefangen"]);
    // The label "Interviewerin: " is not text: the selection 0-18 keeps only the word it covered.
    expect(quotes).toContainEqual(["Arbeitswelt", "Wie", "Wie"]);
    // A special-category code without that consent scope: refused and reported.
    expect(codings.some((c) => c.code.name === seededName["X.GES"])).toBe(false);
    expect(report.skipped.map((s) => s.reason)).toEqual(expect.arrayContaining(["pdfSource", "variable", "cases", "wholeSourceCoding", "specialCategoryCoding"]) as unknown as string[]);
    expect(report.skipped.find((s) => s.reason === "variable")!.name).toBe("Alter");
    expect(report.codesMerged).toEqual(expect.arrayContaining([seededName.STR!.toUpperCase(), `${seededName.X} › ${seededName["X.GES"]}`]) as unknown as string[]);
    const created = await db.code.findFirstOrThrow({ where: { name: "Arbeitswelt" }, include: { children: true } });
    expect(created).toMatchObject({ colour: "#ff0000", description: "Alles zu Arbeit", parentId: null });
    expect(created.children.map((c) => c.name)).toEqual(["Ausbildung"]);

    const memos = await db.memo.findMany({ where: { title: { in: ["Memo zur Stelle", "Projektmemo", "Code-Memo"] } } });
    const byTitle = new Map(memos.map((m) => [m.title, m]));
    expect(byTitle.get("Memo zur Stelle")!.codingId).toBe(codings.find((c) => c.code.name === "Ausbildung")!.id);
    expect(byTitle.get("Projektmemo")).toMatchObject({ interviewId: null, codingId: null, codeId: null, contentText: "Frei & offen <b>", contentHtml: "<p>Frei &amp; offen &lt;b&gt;</p>" });
    expect(byTitle.get("Code-Memo")).toMatchObject({ codeId: created.id, contentText: "Definition: Erwerbsarbeit." });
    expect(await db.auditLog.count({ where: { action: "refi.import" } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "interview.create", entityId: { in: report.interviews.map((i) => i.id) } } })).toBe(2);
  });

  it("refuses the same file a second time, naming the interviews that have its texts, and writes nothing", async () => {
    const before = await counts();
    const error = await importProject(null, grant, await zipOf(foreignProject()), "fremd.qdpx", input()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RefiDuplicates);
    const first = await db.interview.findMany({ where: { caseId, transcript: { is: { source: "import" } } }, select: { code: true }, orderBy: { code: "asc" } });
    expect((error as RefiDuplicates).duplicates.map((d) => d.interviewCode).sort()).toEqual(first.map((i) => i.code));
    expect((error as RefiDuplicates).duplicates.every((d) => d.source.length > 0)).toBe(true);
    expect(await counts()).toEqual(before);
    // Another case does not hold these texts: no question there.
    const other = (await db.case.findFirstOrThrow({ where: { id: { not: caseId } }, select: { id: true } })).id;
    const elsewhere = await importProject(null, grant, await zipOf(foreignProject()), "fremd.qdpx", { ...input(), caseId: other });
    expect(elsewhere.interviews).toHaveLength(2);
  });

  it("imports a second time as new interviews when asked to, merging every code", async () => {
    const before = await db.code.count();
    const report = await importProject(null, grant, await zipOf(foreignProject()), "fremd.qdpx", { ...input(), importAgain: true });
    expect(report.codesCreated).toEqual([]);
    expect(await db.code.count()).toBe(before);
    expect(new Set(report.interviews.map((i) => i.code)).size).toBe(2);
  });
});

describe("codebook import (.qdc)", () => {
  const qdc = (codes: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti"><Codes>${codes}</Codes><Sets><Set guid="${G(99)}" name="Auswahl"><MemberCode guid="${G(1)}"/></Set></Sets></CodeBook>`);

  it("merges by name under the same parent, creates the rest with hierarchy and colours, and reports duplicates", async () => {
    const report = await importCodebook(
      null,
      grant,
      qdc(`<Code guid="${G(1)}" name="${seededName.KUL!.toLowerCase()}" isCodable="true"><Code guid="${G(2)}" name="${seededName["KUL.SPR"]}" isCodable="true"/><Code guid="${G(3)}" name="Neuer Untercode" isCodable="true" color="#0a0"/></Code><Code guid="${G(4)}" name="Neu oben" isCodable="true"/><Code guid="${G(5)}" name="Neu oben" isCodable="true"/>`),
      "buch.qdc",
    );
    const kulName = seededName.KUL!.toLowerCase();
    expect(report.codesMerged).toEqual([kulName, `${kulName} › ${seededName["KUL.SPR"]}`, "Neu oben"]);
    expect(report.codesCreated).toEqual([`${kulName} › Neuer Untercode`, "Neu oben"]);
    expect(report.skipped.map((s) => s.reason)).toEqual(["sets"]);
    const kul = await db.code.findUniqueOrThrow({ where: { key: "KUL" } });
    expect(await db.code.findFirst({ where: { name: "Neuer Untercode", parentId: kul.id, colour: "#00aa00" } })).not.toBeNull();
    expect(await db.code.count({ where: { name: "Neu oben", parentId: null } })).toBe(1);
  });

  it("refuses a DOCTYPE, a wrong namespace, broken XML and an empty codebook, writing nothing", async () => {
    const before = await counts();
    const refused = async (bytes: Buffer) => (await importCodebook(null, grant, bytes, "x.qdc").then(() => null, (e: unknown) => e)) as RefiRefusal;
    expect((await refused(Buffer.from(`<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="${G(1)}" name="&x;" isCodable="true"/></Codes></CodeBook>`))).code).toBe("doctype");
    const wrongNs = await refused(Buffer.from(`<CodeBook xmlns="urn:QDA-XML:project:1.0"><Codes><Code guid="${G(1)}" name="a" isCodable="true"/></Codes></CodeBook>`));
    expect([wrongNs.code, wrongNs.detail]).toEqual(["wrongNamespace", '.qdc: <CodeBook xmlns="urn:QDA-XML:project:1.0">']);
    // Without any namespace, the place shows the root as written (it said ".qdc: –").
    expect((await refused(Buffer.from(`<CodeBook><Codes/></CodeBook>`))).detail).toBe(".qdc: <CodeBook>");
    expect((await refused(Buffer.from(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>`))).code).toBe("xmlSyntax");
    expect((await refused(Buffer.from(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>`))).code).toBe("noCodes");
    expect((await refused(Buffer.from([0x3c, 0x43, 0xff, 0xfe, 0x3e]))).code).toBe("invalidUtf8");
    expect(await counts()).toEqual(before);
  });
});

describe("hostile or broken projects are refused and change nothing", () => {
  it("accepts the untouched mini project (so the variants below fail for their one change)", async () => {
    const { project, sources } = await readProject(await zipOf(miniProject().files));
    expect(project.sources).toHaveLength(1);
    expect(sources[0]!.codings).toEqual([{ start: 17, end: 27, codeGuid: G(1), selectionGuid: G(3) }]);
  });

  it("not a zip", async () => {
    await expectRefused(Buffer.from("Dies ist keine Zip-Datei, nur Text.".repeat(10)), "notZip");
    await expectRefused(Buffer.alloc(0), "notZip");
  });

  it("zip bombs: an entry too large, a ratio no text has, a header that lies about the size, too many entries, too much in total", async () => {
    const mini = miniProject();
    await expectRefused(rawZip([{ name: "project.qde", data: Buffer.alloc(25 * 1024 * 1024, 0x20), deflate: true }]), "entryTooLarge");
    await expectRefused(rawZip([{ name: "project.qde", data: Buffer.alloc(5 * 1024 * 1024, 0x20), deflate: true }]), "ratio");
    // The header claims 1 KB; the inflater produces 30 MB: stopped while inflating.
    await expectRefused(rawZip([{ name: "project.qde", data: Buffer.alloc(30 * 1024 * 1024, 0x20), deflate: true, declaredSize: 1024 }]), "ratio");
    await expectRefused(rawZip([{ name: "project.qde", data: Buffer.alloc(30 * 1024 * 1024, 0x20), deflate: true, declaredSize: 1024 }]), "entryTooLarge", { ...REFI_LIMITS, ratio: 1_000_000 });
    await expectRefused(rawZip(Array.from({ length: REFI_LIMITS.entries + 1 }, (_, i) => ({ name: `sources/${i}.txt`, data: Buffer.from("x") }))), "tooManyEntries");
    await expectRefused(await zipOf({ ...mini.files, [`sources/${G(2)}.txt`]: mini.text + "x".repeat(2000) }), "totalTooLarge", { ...REFI_LIMITS, totalBytes: 2500 });
  });

  it("entry names with ../, absolute paths, drive letters or backslashes", async () => {
    const { xml } = miniProject();
    for (const name of ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/Windows/evil.txt", "sources\\evil.txt", "..\\evil.txt"]) {
      await expectRefused(rawZip([{ name: "project.qde", data: Buffer.from(xml) }, { name, data: Buffer.from("x") }]), "unsafePath");
    }
    await expectRefused(rawZip([{ name: "project.qde", data: Buffer.from(xml) }, { name: Buffer.from([0x73, 0xff, 0x2e, 0x74]), data: Buffer.from("x") }]), "badEntryName");
    await expectRefused(await zipOf(miniProject({ sourcePath: "internal://../../etc/passwd" }).files), "badSourcePath");
  });

  it("XML with a DOCTYPE, external entities or entity expansion, before any parsing", async () => {
    const xxe = miniProject({ prolog: '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' });
    await expectRefused(await zipOf({ ...xxe.files, "project.qde": xxe.xml.replace('name="Mini"', 'name="&xxe;"') }), "doctype");
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`;
    const bomb = miniProject({ prolog: `<?xml version="1.0"?>${laughs}` });
    await expectRefused(await zipOf(bomb.files), "doctype");
    await expectRefused(await zipOf(miniProject({ prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>' }).files), "encoding");
    const broken = miniProject();
    await expectRefused(await zipOf({ ...broken.files, "project.qde": broken.xml.replace("</Project>", "") }), "xmlSyntax");
  });

  it("a wrong or missing namespace, or no project.qde", async () => {
    await expectRefused(await zipOf(miniProject({ ns: "urn:QDA-XML:codebook:1.0" }).files), "wrongNamespace");
    await expectRefused(await zipOf(miniProject({ ns: "" }).files), "wrongNamespace");
    const { files } = miniProject();
    await expectRefused(await zipOf({ "Project.qde": files["project.qde"]!, [`sources/${G(2)}.txt`]: files[`sources/${G(2)}.txt`]! }), "noProject");
  });

  it("dangling, duplicate or malformed GUIDs", async () => {
    await expectRefused(await zipOf(miniProject({ codeRef: G(77) }).files), "danglingGuid");
    await expectRefused(await zipOf(miniProject({ codeRef: G(2) }).files), "danglingGuid"); // a source is not a code
    await expectRefused(await zipOf(miniProject({ extraXml: `<NoteRef targetGUID="${G(78)}"/>` }).files), "danglingGuid");
    await expectRefused(await zipOf(miniProject({ extraXml: `<Notes><Note guid="${G(1)}" name="doppelt"/></Notes>` }).files), "duplicateGuid");
    await expectRefused(await zipOf(miniProject({ codeRef: "not-a-guid" }).files), "badGuid");
  });

  it("selections out of range or not integers", async () => {
    await expectRefused(await zipOf(miniProject({ end: 9999 }).files), "positionOutOfRange");
    await expectRefused(await zipOf(miniProject({ start: -1 }).files), "positionOutOfRange");
    await expectRefused(await zipOf(miniProject({ start: 20, end: 10 }).files), "positionOutOfRange");
    await expectRefused(await zipOf(miniProject({ end: "12.5" }).files), "badPosition");
    // One past the end in code points: an emoji counts once, not twice as in UTF-16.
    const emoji = miniProject({ text: "B: 😀😀 #00:00:01-0#\n", start: 3, end: cp("B: 😀😀 #00:00:01-0#\n") + 1 });
    await expectRefused(await zipOf(emoji.files), "positionOutOfRange");
  });

  it("invalid UTF-8 in a source or in project.qde, and missing sources", async () => {
    const { files, xml } = miniProject();
    await expectRefused(await zipOf({ ...files, [`sources/${G(2)}.txt`]: Buffer.from([0x42, 0x3a, 0x20, 0xc3, 0x28, 0x0a]) }), "invalidUtf8");
    await expectRefused(await zipOf({ ...files, "project.qde": Buffer.concat([Buffer.from(xml.replace("</Project>", "<Description>")), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from("</Description></Project>")]) }), "invalidUtf8");
    await expectRefused(await zipOf({ "project.qde": xml }), "missingSource");
  });
});
