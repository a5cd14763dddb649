// REFI-QDA export against a real database with the three fixture interviews: every project.qde and .qdc validates
// against the REFI schemas (libxml2-wasm) and passes the checks the schemas cannot make; consent and identity rules.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { exportCodebook, exportProject } from "../../app/refi/export.server.ts";
import { refiGuid } from "../../app/refi/guid.ts";
import { writeInterpreterName } from "../../app/interviews/interview-identity.server.ts";
import { writeIdentity } from "../../app/identity/identity.server.ts";
import fs from "node:fs";
import path from "node:path";
import { coversSameWords, planted } from "../support/redaction.ts";
import { layoutText } from "../../app/refi/text-layout.ts";
import { addConsentVersion, consentSelect, withoutScopes } from "../../app/interviews/consent.server.ts";
import { allowArchiving, consistencyProblems, FIXTURES, grantFor, schemaErrors, seedProject, streamToBuffer, unzipAll, type SeededProject } from "./support.ts";

let seeded: SeededProject;

async function exportZip(includeAudio = false, replaceIdentifying = false) {
  const grant = await grantFor(db, "forschung");
  const file = await exportProject(null, grant, { includeAudio, replaceIdentifying });
  const buffer = await streamToBuffer(file.zip);
  const entries = await unzipAll(buffer);
  return { file, buffer, entries, xml: entries.get("project.qde")!.toString("utf8") };
}

beforeAll(async () => {
  seeded = await seedProject(db);
  // Identity data that must never leave: an interpreter's name and a case identity with unmistakable values.
  await writeInterpreterName(null, null, seeded.interviews.get("int-01")!.id, "Zorabel Quintavalle");
  await writeIdentity(null, null, seeded.interviews.get("int-01")!.caseId, { firstName: "Ysolde", lastName: "Pfannenkraut", dateOfBirth: "1911-11-11", phone: "0999 1234 5678", address: "Quittenweg 99" } as never);
});

describe("project export (.qdpx)", () => {
  it("validates against Project.xsd and passes the reference, position and layout checks", async () => {
    const { xml, entries } = await exportZip();
    expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
    expect(consistencyProblems(xml, entries)).toEqual([]);
    expect([...entries.keys()][0]).toBe("project.qde");
  });

  it("contains only interviews whose current consent allows archiving, and their memos only", async () => {
    const { xml, entries } = await exportZip();
    const int1 = seeded.interviews.get("int-01")!;
    const int3 = seeded.interviews.get("int-03")!;
    expect(xml).toContain(`name="${int1.code}"`);
    expect(xml).not.toContain(`name="${int3.code}"`);
    expect(entries.has(`sources/${refiGuid("source", int3.id)}.txt`)).toBe(false);
    expect(xml).not.toContain("Nicht archiviert");
    expect(xml).toContain("Ruhige Atmosphäre");
    expect(xml).toContain("Esser/Heckmann");
  });

  it("writes each transcript as writeText plain text and each coding as a selection of code points with its quote", async () => {
    const { xml, entries } = await exportZip();
    const int2 = seeded.interviews.get("int-02")!;
    const text = entries.get(`sources/${refiGuid("source", int2.id)}.txt`)!.toString("utf8");
    expect(text).toBe((await import("node:fs")).readFileSync(`${(await import("./support.ts")).FIXTURES}/int-02.txt`, "utf8"));
    const codings = await db.coding.findMany({ where: { interviewId: int2.id }, select: { id: true, start: true, end: true, quote: true } });
    expect(codings.length).toBeGreaterThan(20);
    for (const c of codings) {
      expect(xml).toContain(`guid="${refiGuid("selection", c.id)}"`);
      expect(Array.from(text).slice(c.start, c.end).join("")).toBe(c.quote);
    }
  });

  it("carries cases by pseudonym with variables, never identity data", async () => {
    const { xml, entries, buffer } = await exportZip(true);
    expect(xml).toMatch(/<Case guid="[^"]+" name="LOE-2016-0001">/);
    expect(xml).toContain('<Variable guid="' + refiGuid("variable", "group") + '" name="Gruppe" typeOfVariable="Text">');
    for (const secret of ["Zorabel", "Quintavalle", "Ysolde", "Pfannenkraut", "1911-11-11", "0999 1234 5678", "Quittenweg"]) {
      for (const [name, bytes] of entries) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${name}`).toBe(false);
      expect(buffer.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it("leaves out codings of special-category codes where the consent lacks that scope", async () => {
    const int1 = seeded.interviews.get("int-01")!;
    const coding = await db.coding.create({ data: { transcriptId: int1.transcriptId, interviewId: int1.id, codeId: seeded.codes.get("X.GES")!, start: 0, end: 2, quote: "I:" } });
    try {
      const { xml } = await exportZip();
      expect(xml).not.toContain(refiGuid("selection", coding.id));
      // int-02's consent includes special categories: its X.GES codings are exported.
      const int2Special = await db.coding.findFirst({ where: { interviewId: seeded.interviews.get("int-02")!.id, codeId: seeded.codes.get("X.GES")! } });
      if (int2Special) expect(xml).toContain(refiGuid("selection", int2Special.id));
    } finally {
      await db.coding.delete({ where: { id: coding.id } });
    }
  });

  it("leaves out the memos of an interview whose consent no longer covers analysis, as every memo path does (ADR 0018)", async () => {
    const int1 = seeded.interviews.get("int-01")!;
    const memo = await db.memo.create({ data: { type: "reflection", title: "Analysememo Wendepunkt", contentJson: "{}", contentHtml: "<p>Wendepunkt</p>", contentText: "Wendepunkt", interviewId: int1.id, authorId: seeded.researcherId } });
    const setAnalysis = (on: boolean) =>
      db.$transaction(async (tx) => {
        const current = await tx.consentRecord.findFirstOrThrow({ where: { interviewId: int1.id, current: true }, select: consentSelect });
        if (current.scopeAnalysis !== on) await addConsentVersion(null, null, tx, int1.id, { ...withoutScopes(current, []), scopeAnalysis: on });
      });
    try {
      expect((await exportZip()).xml).toContain("Analysememo Wendepunkt");
      await setAnalysis(false);
      const { xml, entries } = await exportZip();
      // The interview itself stays (its consent still allows archiving); its memo does not.
      expect(xml).toContain(`name="${int1.code}"`);
      expect(xml).not.toContain("Analysememo Wendepunkt");
      expect(consistencyProblems(xml, entries)).toEqual([]);
    } finally {
      await setAnalysis(true);
      await db.memo.delete({ where: { id: memo.id } });
    }
  });

  it("gives the same GUIDs on every export", async () => {
    const strip = (xml: string) => xml.replace(/ (creationDateTime|modifiedDateTime|name)="[^"]*"/g, "");
    const a = await exportZip();
    const b = await exportZip();
    expect(strip(a.xml)).toBe(strip(b.xml));
    expect([...a.entries.keys()]).toEqual([...b.entries.keys()]);
  });

  it("includes the recordings with their transcript and sync points on request", async () => {
    const { xml, entries } = await exportZip(true);
    expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
    expect(consistencyProblems(xml, entries)).toEqual([]);
    const recording = await db.recording.findFirstOrThrow({ where: { interviewId: seeded.interviews.get("int-01")!.id } });
    const audio = entries.get(`sources/${refiGuid("audio", recording.id)}.mp3`);
    expect(audio?.length).toBe(Number(recording.sizeBytes));
    const paragraphs = await db.transcriptParagraph.count({ where: { transcriptId: seeded.interviews.get("int-01")!.transcriptId } });
    const transcriptXml = xml.slice(xml.indexOf(`<Transcript guid="${refiGuid("transcript", seeded.interviews.get("int-01")!.id)}"`));
    expect(transcriptXml.slice(0, transcriptXml.indexOf("</Transcript>")).match(/<SyncPoint /g)?.length).toBe(paragraphs);
  });

  it("includes int-03 once its consent gains the archiving scope", async () => {
    const int3 = seeded.interviews.get("int-03")!;
    await allowArchiving(db, int3.id);
    const { xml, entries } = await exportZip();
    expect(xml).toContain(`name="${int3.code}"`);
    expect(entries.has(`sources/${refiGuid("source", int3.id)}.txt`)).toBe(true);
    expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
    expect(consistencyProblems(xml, entries)).toEqual([]);
    const audits = await db.auditLog.findMany({ where: { action: "refi.export" } });
    expect(audits.length).toBeGreaterThan(5);
  });
});

describe("replacing identifying details (default of the route)", () => {
  const exported = ["int-01", "int-02"] as const; // int-03 is seeded without the archiving scope

  it("leaves none of the planted identity strings in texts, selections and memos, and stays valid", async () => {
    const { xml, entries } = await exportZip(false, true);
    expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
    expect(consistencyProblems(xml, entries)).toEqual([]);
    for (const fixture of exported) {
      const text = entries.get(`sources/${refiGuid("source", seeded.interviews.get(fixture)!.id)}.txt`)!.toString("utf8");
      expect(text).toContain("[Name]");
      for (const p of planted(fixture)) {
        expect(text, `${fixture} text: ${p.category}`).not.toContain(p.text);
        expect(xml, `${fixture} project.qde: ${p.category}`).not.toContain(p.text);
      }
    }
  });

  it("keeps every coding on the words it selected, a placeholder where those words were replaced", async () => {
    const { xml, entries } = await exportZip(false, true);
    let changed = 0;
    for (const fixture of exported) {
      const interview = seeded.interviews.get(fixture)!;
      const text = Array.from(entries.get(`sources/${refiGuid("source", interview.id)}.txt`)!.toString("utf8"));
      const codings = await db.coding.findMany({ where: { interviewId: interview.id }, select: { id: true, quote: true } });
      for (const c of codings) {
        const sel = new RegExp(`<PlainTextSelection guid="${refiGuid("selection", c.id)}" name="[^"]*" startPosition="(\\d+)" endPosition="(\\d+)"`).exec(xml);
        if (!sel) continue; // a special-category coding without that scope
        const selection = text.slice(Number(sel[1]), Number(sel[2])).join("");
        expect(coversSameWords(c.quote, selection), `${fixture}: "${c.quote}" -> "${selection}"`).toBe(true);
        if (selection !== c.quote) changed++;
      }
    }
    expect(changed).toBeGreaterThan(5);
  });

  it("names no speaker by a label: named labels become P1, P2 ... and the text still reads back with its turns", async () => {
    const int2 = seeded.interviews.get("int-02")!;
    // A label renamed to a name planted in the fixture, as a noScribe or MAXQDA user would label the turns.
    const renamed = await db.transcriptParagraph.updateMany({ where: { transcriptId: int2.transcriptId, speaker: "B" }, data: { speaker: "Filmon" } });
    try {
      const entry = `sources/${refiGuid("source", int2.id)}.txt`;
      const kept = (await exportZip(false, false)).entries.get(entry)!.toString("utf8");
      const { xml, entries } = await exportZip(false, true);
      const text = entries.get(entry)!.toString("utf8");
      expect(renamed.count).toBeGreaterThan(5);
      expect(kept.match(/^Filmon:/gm)?.length).toBe(renamed.count);
      expect(text).not.toContain("Filmon");
      expect(xml).not.toContain("Filmon");
      expect(text.match(/^P1:/gm)?.length).toBe(renamed.count);
      // as the project import reads the text: the same turns, P1 where Filmon spoke
      expect(layoutText(text).paragraphs.map((p) => p.speaker)).toEqual(layoutText(kept).paragraphs.map((p) => (p.speaker === "Filmon" ? "P1" : p.speaker)));
      expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
      expect(consistencyProblems(xml, entries)).toEqual([]);
    } finally {
      await db.transcriptParagraph.updateMany({ where: { transcriptId: int2.transcriptId, speaker: "Filmon" }, data: { speaker: "B" } });
    }
  });

  it("keeps month and year of dates in case variables and source times, and the cases' pseudonyms in memos", async () => {
    const int1 = seeded.interviews.get("int-01")!;
    const { pseudonym } = await db.case.findUniqueOrThrow({ where: { id: int1.caseId }, select: { pseudonym: true } });
    const memo = await db.memo.create({ data: { type: "reflection", title: "Vergleich", contentJson: "{}", contentHtml: `<p>Kontrastfall zu ${pseudonym}</p>`, contentText: `Kontrastfall zu ${pseudonym}`, authorId: seeded.researcherId } });
    try {
      const kept = await exportZip(false, false);
      const { xml, entries } = await exportZip(false, true);
      expect(kept.xml).toMatch(/<DateValue>\d{4}-\d{2}-\d{2}<\/DateValue>/);
      expect(xml).not.toContain("<DateValue>");
      expect(xml).toMatch(/<TextValue>\d{4}-\d{2}<\/TextValue>/);
      const times = [...xml.matchAll(/<TextSource [^>]*creationDateTime="([^"]+)" modifiedDateTime="([^"]+)"/g)].flatMap((m) => [m[1]!, m[2]!]);
      expect(times.length).toBeGreaterThan(3);
      for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000Z$/);
      expect(xml).toContain(`Kontrastfall zu ${pseudonym}`);
      expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
      expect(consistencyProblems(xml, entries)).toEqual([]);
    } finally {
      await db.memo.delete({ where: { id: memo.id } });
    }
  });

  it("replaces the case attribute Gemeinde by the municipality's type for every municipality, and keeps it exact when the option is off", async () => {
    const int1 = seeded.interviews.get("int-01")!;
    const int2 = seeded.interviews.get("int-02")!;
    const before = await db.case.findMany({ where: { id: { in: [int1.caseId, int2.caseId] } }, select: { id: true, municipalityId: true } });
    // A town and a Gemeinde above the small-municipality limit (2,000): until now only small ones were replaced.
    const town = await db.municipality.findFirstOrThrow({ where: { name: "Lörrach" }, select: { id: true, type: true } });
    const gemeinde = await db.municipality.findFirstOrThrow({ where: { name: "Grenzach-Wyhlen" }, select: { id: true, type: true, population: true } });
    expect(town.type).toMatch(/stadt/i);
    expect(gemeinde.type).not.toMatch(/stadt/i);
    expect(gemeinde.population).toBeGreaterThan(2000);
    await db.case.update({ where: { id: int1.caseId }, data: { municipalityId: town.id } });
    await db.case.update({ where: { id: int2.caseId }, data: { municipalityId: gemeinde.id } });
    try {
      const municipalityOf = async (caseId: string, on: boolean) => {
        const { xml } = await exportZip(false, on);
        const kase = new RegExp(`<Case guid="${refiGuid("case", caseId)}"[\\s\\S]*?</Case>`).exec(xml)![0];
        return new RegExp(`<VariableRef targetGUID="${refiGuid("variable", "municipality")}"/>\\s*<TextValue>([^<]*)</TextValue>`).exec(kase)![1];
      };
      expect(await municipalityOf(int1.caseId, false)).toBe("Lörrach");
      expect(await municipalityOf(int2.caseId, false)).toBe("Grenzach-Wyhlen");
      expect(await municipalityOf(int1.caseId, true)).toBe("[Stadt im Landkreis]");
      expect(await municipalityOf(int2.caseId, true)).toBe("[Gemeinde im Landkreis]");
      const { xml } = await exportZip(false, true);
      expect(xml).not.toMatch(/<TextValue>(?:Lörrach|Grenzach-Wyhlen)<\/TextValue>/);
      expect(schemaErrors(xml, "Project.xsd")).toEqual([]);
    } finally {
      for (const c of before) await db.case.update({ where: { id: c.id }, data: { municipalityId: c.municipalityId } });
    }
  });

  it("exports the text as it is when the option is off, and the audit entry names the mode", async () => {
    const off = await exportZip(false, false);
    const on = await exportZip(false, true);
    const int1 = seeded.interviews.get("int-01")!;
    const entry = `sources/${refiGuid("source", int1.id)}.txt`;
    const original = fs.readFileSync(path.join(FIXTURES, "int-01.txt"), "utf8");
    expect(off.entries.get(entry)!.toString("utf8")).toBe(original);
    expect(on.entries.get(entry)!.toString("utf8")).not.toBe(original);
    for (const p of planted("int-01")) expect(off.entries.get(entry)!.toString("utf8")).toContain(p.text);
    const audits = await db.auditLog.findMany({ where: { action: "refi.export" }, orderBy: { id: "desc" }, take: 2 });
    expect(audits.map((a) => JSON.parse(a.detail!).identifying)).toEqual(["replaced", "kept"]);
    expect(JSON.parse(audits[0]!.detail!).replaced).toBeGreaterThan(20);
  });
});

describe("codebook export (.qdc)", () => {
  it("validates against Codebook.xsd with hierarchy and colours", async () => {
    const file = await exportCodebook(null, await grantFor(db, "forschung"));
    expect(file).not.toBeNull();
    expect(schemaErrors(file!.xml, "Codebook.xsd")).toEqual([]);
    const str = await db.code.findUniqueOrThrow({ where: { key: "STR" } });
    const bil = await db.code.findUniqueOrThrow({ where: { key: "STR.BIL" } });
    const parentAt = file!.xml.indexOf(`guid="${refiGuid("code", str.id)}"`);
    const childAt = file!.xml.indexOf(`guid="${refiGuid("code", bil.id)}"`);
    expect(parentAt).toBeGreaterThan(0);
    expect(childAt).toBeGreaterThan(parentAt);
    expect(file!.xml).toContain(`color="${bil.colour}"`);
  });
});

describe("the checks themselves", () => {
  it("catch a schema violation, a dangling reference, a selection outside its text and a missing entry", async () => {
    const { xml, entries } = await exportZip();
    expect(schemaErrors(xml.replace(/<Project xmlns="urn:QDA-XML:project:1.0" name="[^"]*"/, '<Project xmlns="urn:QDA-XML:project:1.0"'), "Project.xsd").length).toBeGreaterThan(0);
    expect(schemaErrors(xml.replace('isCodable="true"', 'isCodable="maybe"'), "Project.xsd").length).toBeGreaterThan(0);
    const firstCodeRef = /<CodeRef targetGUID="([^"]+)"/.exec(xml)![1]!;
    expect(consistencyProblems(xml.replace(`<CodeRef targetGUID="${firstCodeRef}"`, '<CodeRef targetGUID="00000000-0000-4000-8000-000000000000"'), entries).join()).toMatch(/does not resolve/);
    expect(consistencyProblems(xml.replace(/endPosition="\d+"/, 'endPosition="999999"'), entries).join()).toMatch(/outside text/);
    const fewer = new Map(entries);
    fewer.delete([...entries.keys()].find((k) => k.endsWith(".txt"))!);
    expect(consistencyProblems(xml, fewer).join()).toMatch(/has no zip entry/);
    const more = new Map(entries).set("sources/stray.txt", Buffer.from("x")).set("../evil.txt", Buffer.from("x"));
    expect(consistencyProblems(xml, more).join()).toMatch(/not referenced.*outside sources|outside sources.*not referenced/);
  });
});
