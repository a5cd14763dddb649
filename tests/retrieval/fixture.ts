// A small research project for retrieval tests, built from the shared interview fixtures into the test's own
// database: the codebook of ../shared/domain/codebook.yaml (plus one sub-code made in the app), three cases in
// different municipalities with dated snapshots, the three interviews with their transcripts (from the WebVTT,
// whose plain text equals the fixture .txt, the unit of the coding offsets) and their reference codings, and
// a fourth interview whose consent does not include analysis.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { Db } from "../../app/db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { parseTranscriptFile } from "../../app/transcripts/formats/index.server.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";
import { givenConsent } from "../support/consent.ts";
import { DEMO_INTERVIEWS } from "../../prisma/seed/demo-interviews.ts";
import type { Paragraph } from "../../app/transcripts/formats/types.ts";
import { newRecordKey } from "../../app/statistics/record-key.server.ts";

export const SHARED = path.resolve(import.meta.dirname, "..", "..", "..", "shared");
export const FIXTURES = path.join(SHARED, "fixtures", "interviews");

export type RefCoding = { id: string; code: string; start: number; end: number; turn: number; speaker: string; quote: string };

export function referenceCodings(fixture: string): RefCoding[] {
  return (YAML.parse(fs.readFileSync(path.join(FIXTURES, `${fixture}.codings.yaml`), "utf8")) as { codings: RefCoding[] }).codings;
}

export async function fixtureParagraphs(fixture: string): Promise<Paragraph[]> {
  return parseTranscriptFile("vtt", fs.readFileSync(path.join(FIXTURES, `${fixture}.vtt`)));
}

type CodebookYaml = {
  dimensions: { code: string; label: { de: string; en: string }; codes: { code: string; de: string; en: string; sensitive?: boolean }[] }[];
  cross_cutting: { code: string; de: string; en: string; sensitive?: boolean }[];
};

/**
 * The codebook tree by key (the reference seed may already have created it; missing codes are created here, so
 * the test does not depend on it), plus "KUL.SPR/pruefung", a sub-code made in the app.
 */
export async function seedCodebook(db: Db): Promise<Map<string, string>> {
  const book = YAML.parse(fs.readFileSync(path.join(SHARED, "domain", "codebook.yaml"), "utf8")) as CodebookYaml;
  const ids = new Map<string, string>();
  const roots = [
    ...book.dimensions.map((d) => ({ key: d.code, name: d.label.de, nameEn: d.label.en, codes: d.codes })),
    { key: "X", name: "Querschnittscodes", nameEn: "Cross-cutting codes", codes: book.cross_cutting },
  ];
  let position = 100;
  const ensure = async (key: string, data: { name: string; nameEn: string; parentId: string | null; specialCategory: boolean }) => {
    const row =
      (await db.code.findUnique({ where: { key }, select: { id: true } })) ??
      (await db.code.create({ data: { key, ...data, colour: "#336699", position: position++ }, select: { id: true } }));
    ids.set(key, row.id);
    return row.id;
  };
  for (const root of roots) {
    const rootId = await ensure(root.key, { name: root.name, nameEn: root.nameEn, parentId: null, specialCategory: false });
    for (const code of root.codes) await ensure(code.code, { name: code.de, nameEn: code.en, parentId: rootId, specialCategory: code.sensitive === true });
  }
  const sub = await db.code.create({ data: { name: "Prüfungsangst", colour: "#aa5500", parentId: ids.get("KUL.SPR")!, position: position++ }, select: { id: true } });
  ids.set("KUL.SPR/pruefung", sub.id);
  return ids;
}

export type Project = {
  codes: Map<string, string>;
  authors: { anna: string; ben: string };
  municipalities: { loerrach: string; weil: string; schopfheim: string };
  indicators: Map<string, string>;
  cases: string[];
  /** by fixture name; "int-01-noconsent" is int-01's transcript again, without analysis consent */
  interviews: Record<string, { id: string; code: string; transcriptId: string; caseIndex: number; date: string; recordingId: string }>;
  /** codings as loaded: fixture, code key, span, speaker, author */
  codings: { fixture: string; code: string; start: number; end: number; speaker: string; author: string; interviewId: string }[];
};

const INTERVIEWS = [
  { fixture: "int-01", code: "INT-T-0001", caseIndex: 0, date: "2025-03-11", analysis: true, special: false },
  { fixture: "int-02", code: "INT-T-0002", caseIndex: 1, date: "2025-04-02", analysis: true, special: true },
  { fixture: "int-03", code: "INT-T-0003", caseIndex: 2, date: "2025-04-15", analysis: true, special: false },
  { fixture: "int-01", code: "INT-T-0004", caseIndex: 2, date: "2025-05-20", analysis: false, special: false, name: "int-01-noconsent" },
] as const;

export async function seedProject(db: Db): Promise<Project> {
  await seedReference(db);
  const codes = await seedCodebook(db);
  const user = (username: string) => db.user.create({ data: { username, displayName: username === "anna" ? "Anna Forscherin" : "Ben Forscher", passwordHash: "x" }, select: { id: true } });
  const authors = { anna: (await user("anna")).id, ben: (await user("ben")).id };
  const muni = async (ags: string) => (await db.municipality.findUniqueOrThrow({ where: { ags }, select: { id: true } })).id;
  const municipalities = { loerrach: await muni("08336050"), weil: await muni("08336091"), schopfheim: await muni("08336081") };
  const indicators = new Map((await db.indicatorDefinition.findMany({ select: { id: true, code: true } })).map((i) => [i.code, i.id]));

  // Case 0 (Lörrach, refugee, born 1986): German level B1 until mid-2025, then C1 (after the interview).
  // Case 1 (Weil am Rhein, refugee, born 2003): B1 from June 2024. Case 2 (Schopfheim, other_migrant, born 1990): A2.
  const caseSpecs = [
    { municipalityId: municipalities.loerrach, group: "refugee", born: 1986, german: [["2023-05-01", "B1"], ["2025-06-01", "C1"]], sex: "w", aufst: "niederlassung" },
    { municipalityId: municipalities.weil, group: "refugee", born: 2003, german: [["2023-01-10", "A2"], ["2024-06-20", "B1"]], sex: "m", aufst: "ae_25_2_subsidiaer" },
    { municipalityId: municipalities.schopfheim, group: "other_migrant", born: 1990, german: [["2024-09-01", "A2"]], sex: "w", aufst: "ae_sonstige" },
  ] as const;
  const cases: string[] = [];
  for (const [n, spec] of caseSpecs.entries()) {
    const c = await db.case.create({ data: { recordKey: newRecordKey(), pseudonym: `LOE-2025-90${n}0`, municipalityId: spec.municipalityId, group: spec.group, imStart: new Date("2022-01-01T00:00:00Z") }, select: { id: true } });
    cases.push(c.id);
    const snap = (code: string, value: unknown, at: string) => ({ caseId: c.id, indicatorId: indicators.get(code)!, state: "known", value: JSON.stringify(value), observedAt: new Date(`${at}T00:00:00Z`), source: "im_akte" });
    await db.snapshot.createMany({
      data: [
        snap("P.GEBJ", spec.born, "2022-01-01"),
        snap("P.GESCHL", spec.sex, "2022-01-01"),
        snap("S.AUFST", spec.aufst, "2022-01-01"),
        ...spec.german.map(([at, level]) => snap("S.DTNIV", level, at)),
      ],
    });
  }

  const interviews: Project["interviews"] = {};
  const codings: Project["codings"] = [];
  for (const spec of INTERVIEWS) {
    const date = new Date(`${spec.date}T10:00:00Z`);
    const paragraphs = await fixtureParagraphs(spec.fixture);
    const text = fs.readFileSync(path.join(FIXTURES, `${spec.fixture}.txt`), "utf8");
    if (writeText(paragraphs) !== text) throw new Error(`${spec.fixture}: writeText of the WebVTT differs from the .txt the offsets index into`);
    const interview = await db.interview.create({
      data: {
        code: spec.code,
        caseId: cases[spec.caseIndex]!,
        date,
        placeType: "office",
        languages: '["de"]',
        status: "transcribed",
        consents: givenConsent(date, { analysis: spec.analysis, specialCategories: spec.special }),
        recordings: { create: { storageKey: `test-${spec.code}`, displayName: `${spec.fixture}.mp3`, mediaType: "audio", contentType: "audio/mpeg", sizeBytes: BigInt(1), sha256: "0" } },
        transcript: {
          create: { source: "import", language: "de", paragraphs: { create: paragraphs.map((p, position) => ({ position, speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text })) } },
        },
      },
      select: { id: true, transcript: { select: { id: true } }, recordings: { select: { id: true } } },
    });
    const name = "name" in spec ? spec.name : spec.fixture;
    interviews[name] = { id: interview.id, code: spec.code, transcriptId: interview.transcript!.id, caseIndex: spec.caseIndex, date: spec.date, recordingId: interview.recordings[0]!.id };
    // int-01 coded by Anna, int-02 by Ben, int-03 alternately.
    const refs = referenceCodings(spec.fixture);
    const rows = refs.map((r, n) => {
      const author = spec.fixture === "int-01" ? "anna" : spec.fixture === "int-02" ? "ben" : n % 2 === 0 ? "anna" : "ben";
      return { fixture: name, code: r.code, start: r.start, end: r.end, speaker: r.speaker, author, quote: r.quote };
    });
    if (spec.fixture === "int-01" && spec.analysis) {
      // The first passage coded twice (same words, second code by Ben): one segment with two codes.
      const first = rows[0]!;
      rows.push({ ...first, code: "X.BEH", author: "ben" });
      // A passage in the sub-code made in the app (below KUL.SPR).
      const spr = rows.find((r) => r.code === "KUL.SPR")!;
      rows.push({ ...spr, code: "KUL.SPR/pruefung", author: "anna", start: spr.start, end: spr.start + 10, quote: Array.from(text).slice(spr.start, spr.start + 10).join("") });
    }
    for (const r of rows) {
      await db.coding.create({
        data: { transcriptId: interview.transcript!.id, interviewId: interview.id, codeId: codes.get(r.code)!, start: r.start, end: r.end, quote: r.quote, createdById: authors[r.author as "anna" | "ben"] },
      });
      codings.push({ fixture: name, code: r.code, start: r.start, end: r.end, speaker: r.speaker, author: r.author, interviewId: interview.id });
    }
  }
  // An orphaned coding (its words were deleted): never a hit.
  await db.coding.create({
    data: { transcriptId: interviews["int-02"]!.transcriptId, interviewId: interviews["int-02"]!.id, codeId: codes.get("KUL.SPR")!, start: 5, end: 5, quote: "", orphaned: true, createdById: authors.anna },
  });
  return { codes, authors, municipalities, indicators, cases, interviews, codings };
}

export type LoadedCoding = { code: string; quote: string; interview: string; speaker: string; analysable: boolean };

/**
 * Gives the demo interviews (INT-2025-0001..3, transcripts from the fixtures) exactly the fixture's reference
 * codings, replacing whatever the seed put there, and says which of them may be analysed under their consent.
 */
export async function codeDemoInterviews(db: Db): Promise<{ codes: Map<string, string>; loaded: LoadedCoding[] }> {
  const codes = await seedCodebook(db);
  const loaded: LoadedCoding[] = [];
  for (const demo of DEMO_INTERVIEWS) {
    const interview = await db.interview.findUniqueOrThrow({ where: { code: demo.code }, select: { id: true, transcript: { select: { id: true } } } });
    if (!interview.transcript) throw new Error(`${demo.code} has no transcript: ../shared/fixtures must be beside the clone`);
    await db.coding.deleteMany({ where: { interviewId: interview.id } });
    const consent = await db.consentRecord.findFirstOrThrow({ where: { interviewId: interview.id, current: true }, select: { scopeAnalysis: true, scopeSpecialCategories: true } });
    for (const c of referenceCodings(demo.fixture)) {
      await db.coding.create({ data: { transcriptId: interview.transcript.id, interviewId: interview.id, codeId: codes.get(c.code)!, start: c.start, end: c.end, quote: c.quote } });
      loaded.push({ code: c.code, quote: c.quote, interview: demo.code, speaker: c.speaker, analysable: consent.scopeAnalysis && (c.code !== "X.GES" || consent.scopeSpecialCategories) });
    }
  }
  return { codes, loaded };
}
