// Demo interviews: the three invented fixture interviews (../shared/fixtures/interviews) on the cases of their
// persons, each with a consent record, the spoken recording in storage and the transcript from its WebVTT.
// Without the fixtures folder (a production-like clone) the interviews and consents are still created.
// The fixtures' reference codings are put on the transcripts by the researcher where the consent allows it.
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import type { Db } from "../../app/db/client.server.ts";
import { newStorageKey, storage } from "../../app/storage/storage.server.ts";
import { parseTranscriptFile } from "../../app/transcripts/formats/index.server.ts";
import { FIXTURE_PERSONS } from "./demo.ts";
import YAML from "yaml";
import { writeText } from "../../app/transcripts/formats/text.ts";
import { OffsetMap } from "../../app/coding/anchoring.ts";
import { codingsChanged } from "../../search/hooks.server.ts";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..", "..");

export function fixturesDir(): string | null {
  const dir = process.env.LEBENSWEGE_FIXTURES_DIR ?? path.resolve(root, "..", "shared", "fixtures", "interviews");
  return fs.existsSync(path.join(dir, "int-01.vtt")) ? dir : null;
}

export const DEMO_INTERVIEWS = [
  { fixture: "int-01", code: "INT-2025-0001", person: 0, date: "2025-03-11", languages: ["de"], interpreter: false },
  { fixture: "int-02", code: "INT-2025-0002", person: 1, date: "2025-04-02", languages: ["de"], interpreter: false },
  { fixture: "int-03", code: "INT-2025-0003", person: 2, date: "2025-04-15", languages: ["de", "fa"], interpreter: true },
] as const;

export async function seedDemoInterviews(db: Db): Promise<{ interviews: number; recordings: number }> {
  const dir = fixturesDir();
  const researcher = await db.user.findUnique({ where: { username: "forschung" }, select: { id: true } });
  let interviews = 0;
  let recordings = 0;
  for (const demo of DEMO_INTERVIEWS) {
    if (await db.interview.findUnique({ where: { code: demo.code }, select: { id: true } })) continue;
    const person = FIXTURE_PERSONS[demo.person]!;
    const caseRow = await db.case.findUnique({ where: { pseudonym: person.pseudonym }, select: { id: true } });
    if (!caseRow) continue;
    // Its person withdrew (the whole interview is gone, its withdrawal record stays): a restart must not bring it back.
    if (await db.withdrawal.count({ where: { caseId: caseRow.id, scope: "whole" } })) continue;
    // Midnight UTC, as the interview form stores a date.
    const date = new Date(`${demo.date}T00:00:00Z`);
    const interview = await db.interview.create({
      data: {
        code: demo.code,
        caseId: caseRow.id,
        date,
        placeType: "office",
        languages: JSON.stringify(demo.languages),
        interviewerId: researcher?.id ?? null,
        status: "planned",
        createdById: researcher?.id ?? null,
        consents: {
          create: {
            version: 1,
            givenBy: "person",
            givenAt: date,
            takenById: researcher?.id ?? null,
            form: "written",
            language: demo.languages.at(-1)!,
            infoSheetVersion: "2025-01",
            copyHandedOver: true,
            interpreterPresent: demo.interpreter,
            interpreterConfidentiality: demo.interpreter,
            scopeRecording: true,
            scopeTranscription: true,
            // int-03 keeps the audio in the house: the demo shows both states of the external download.
            scopeExternalTranscription: demo.fixture !== "int-03",
            scopeAnalysis: true,
            scopeLinking: true,
            scopeQuotation: true,
            scopeArchiving: demo.fixture !== "int-03",
            scopeSpecialCategories: demo.fixture === "int-02",
            // Only int-03's person agreed to be approached again: a follow-up interview is possible for her case alone.
            scopeRecontact: demo.fixture === "int-03",
            createdById: researcher?.id ?? null,
          },
        },
      },
      select: { id: true },
    });
    interviews++;
    if (!dir) continue;

    const audio = path.join(dir, `${demo.fixture}.mp3`);
    const key = newStorageKey();
    const stored = await storage().put(key, fs.createReadStream(audio), { contentType: "audio/mpeg", expectedBytes: fs.statSync(audio).size });
    const paragraphs = await parseTranscriptFile("vtt", fs.readFileSync(path.join(dir, `${demo.fixture}.vtt`)));
    await db.interview.update({
      where: { id: interview.id },
      data: {
        status: "transcribed",
        durationMinutes: Math.round((paragraphs.at(-1)?.endMs ?? 0) / 60_000),
        recordings: {
          create: {
            storageKey: key,
            displayName: `${demo.fixture}.mp3`,
            mediaType: "audio",
            contentType: "audio/mpeg",
            sizeBytes: BigInt(stored.size),
            sha256: stored.sha256,
            durationMs: paragraphs.at(-1)?.endMs ?? null,
            createdById: researcher?.id ?? null,
          },
        },
        transcript: {
          create: {
            source: "import",
            language: "de",
            paragraphs: {
              create: paragraphs.map((p, position) => ({ position, speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text, words: p.words ? JSON.stringify(p.words) : null })),
            },
          },
        },
      },
    });
    recordings++;
  }
  if (dir) await seedDemoCodings(db, dir, researcher?.id ?? null);
  return { interviews, recordings };
}

type FixtureCoding = { id: string; code: string; start: number; end: number; quote: string };

/**
 * The reference codings of each fixture (offsets into int-0N.txt, which is the plain text of the transcript) on
 * demo transcripts that have none yet. Only where the current consent includes analysis, and for special-category
 * codes (X.GES) the Art. 9 scope too: int-03's consent lacks it, so its X.GES passage stays uncoded.
 */
export async function seedDemoCodings(db: Db, dir: string, researcherId: string | null): Promise<number> {
  const codes = new Map((await db.code.findMany({ where: { key: { not: null } }, select: { id: true, key: true, specialCategory: true } })).map((c) => [c.key!, c]));
  let created = 0;
  for (const demo of DEMO_INTERVIEWS) {
    const interview = await db.interview.findUnique({
      where: { code: demo.code },
      select: {
        id: true,
        status: true,
        consents: { where: { current: true }, take: 1, select: { scopeAnalysis: true, scopeSpecialCategories: true } },
        transcript: { select: { id: true, _count: { select: { codings: true } }, paragraphs: { orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } } } },
      },
    });
    const consent = interview?.consents[0];
    const transcript = interview?.transcript;
    if (!interview || interview.status === "withdrawn" || !consent?.scopeAnalysis || !transcript || transcript._count.codings > 0) continue;
    const file = path.join(dir, `${demo.fixture}.codings.yaml`);
    if (!fs.existsSync(file)) continue;
    const fixture = YAML.parse(fs.readFileSync(file, "utf8")) as { codings: FixtureCoding[] };
    const text = new OffsetMap(writeText(transcript.paragraphs));
    const rows = fixture.codings.flatMap((c) => {
      const code = codes.get(c.code);
      if (!code || (code.specialCategory && !consent.scopeSpecialCategories)) return [];
      // the transcript is the fixture's text; a passage that does not match is left out rather than misplaced
      if (text.slice(c.start, c.end) !== c.quote) return [];
      return [{ transcriptId: transcript.id, interviewId: interview.id, codeId: code.id, start: c.start, end: c.end, quote: c.quote, createdById: researcherId }];
    });
    if (!rows.length) continue;
    await db.$transaction(async (tx) => {
      await tx.coding.createMany({ data: rows });
      await codingsChanged(tx, interview.id);
    });
    created += rows.length;
  }
  return created;
}
