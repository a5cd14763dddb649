// A small search world written through the real indexing path (search/hooks.server.ts inside transactions):
// two municipalities, three interviews (one without the analysis scope), paragraphs in German, Persian and
// Arabic, codings, memos, biography notes and narratives. Tests name the passages by key (P1, N2, ...).
import type { Db } from "../../app/db/client.server.ts";
import { indexCode, indexMemo, indexNarrative, indexNote, indexTranscript, codingsChanged } from "../../search/hooks.server.ts";
import { writeText } from "../../app/transcripts/formats/text.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import type { Visibility } from "../../search/query/types.ts";
import { newRecordKey } from "../../app/statistics/record-key.server.ts";

export const PARAGRAPHS = {
  P1: { interview: "A", speaker: "B", startMs: 0, text: "Die Anerkennung meines Diploms als Apothekerin hat lange gedauert, erst nach der Kenntnisprüfung durfte ich arbeiten." },
  P2: { interview: "A", speaker: "I", startMs: 12_000, text: "Wie ging es dann mit der Ausbildung weiter?" },
  P3: { interview: "A", speaker: "B", startMs: 15_500, text: "Ich habe zwei Ausbildungen angefangen, die Prüfungen waren SCHWER." },
  P4: { interview: "B", speaker: "B", startMs: 0, text: "من در هرات معلم بودم و کتاب می‌خواندم، آموزش در مَدْرَسَةٌ قريبة." },
  P6: { interview: "B", speaker: "B", startMs: 9_000, text: "Er sagte: Ich arbeite in Lörrach bei einer Firma für Elektrotechnik." },
  P5: { interview: "C", speaker: "B", startMs: 0, text: "Die Pruefung im Integrationskurs war einfach, Ausbildung kommt später." },
} as const;
export type ParagraphKey = keyof typeof PARAGRAPHS;

export type Fixture = {
  municipalities: { m1: string; m2: string };
  interviews: { A: string; B: string; C: string };
  transcripts: { A: string; B: string; C: string };
  cases: { c1: string; c2: string; c3: string };
  codes: { anerkennung: string; arbeit: string };
  users: { researcher: string; im: string };
  memos: { M1: string; M2: string; M3: string };
  notes: { N1: string; N2: string };
  narratives: { R1: string; R2: string };
  /** sourceId of each paragraph key */
  paragraphs: Record<ParagraphKey, string>;
};

export const VIS = {
  researcher: { research: true, codebook: true, narratives: true, counselling: null },
  admin: { research: true, codebook: true, narratives: true, counselling: "all" },
  commissioner: { research: false, codebook: false, narratives: true, counselling: null },
  imM1: (f: Fixture): Visibility => ({ research: false, codebook: false, narratives: false, counselling: [f.municipalities.m1] }),
  imM2: (f: Fixture): Visibility => ({ research: false, codebook: false, narratives: false, counselling: [f.municipalities.m2] }),
} satisfies Record<string, Visibility | ((f: Fixture) => Visibility)>;

const tx = { maxWait: 15_000, timeout: 60_000 };

export async function buildFixture(db: Db): Promise<Fixture> {
  await seedReference(db);
  const [m1, m2] = await db.municipality.findMany({ orderBy: { ags: "asc" }, take: 2, select: { id: true } });
  const researcher = await db.user.create({ data: { username: `forschung-${Date.now()}`, displayName: "Rosa", passwordHash: "x" }, select: { id: true } });
  const im = await db.user.create({ data: { username: `im-${Date.now()}`, displayName: "Ilse", passwordHash: "x" }, select: { id: true } });
  const mkCase = (pseudonym: string, municipalityId: string, group: string) =>
    db.case.create({ data: { recordKey: newRecordKey(), pseudonym, municipalityId, group, imStart: new Date("2020-01-01") }, select: { id: true } });
  const c1 = await mkCase("SRCH-0001", m1!.id, "refugee");
  const c2 = await mkCase("SRCH-0002", m2!.id, "eu_migrant");
  const c3 = await mkCase("SRCH-0003", m1!.id, "refugee");
  const consent = (analysis: boolean) => ({
    create: { version: 1, givenBy: "person", givenAt: new Date("2025-01-01"), form: "written", language: "de", infoSheetVersion: "2025-01", scopeRecording: true, scopeTranscription: true, scopeAnalysis: analysis },
  });
  const mkInterview = (code: string, caseId: string, date: string, languages: string[], analysis: boolean) =>
    db.interview.create({ data: { code, caseId, date: new Date(date), placeType: "office", languages: JSON.stringify(languages), status: "transcribed", interviewerId: researcher.id, consents: consent(analysis) }, select: { id: true } });
  const A = await mkInterview("SRCH-INT-A", c1.id, "2025-03-11T10:00:00Z", ["de"], true);
  const B = await mkInterview("SRCH-INT-B", c2.id, "2025-06-02T10:00:00Z", ["de", "fa"], true);
  const C = await mkInterview("SRCH-INT-C", c3.id, "2025-04-15T10:00:00Z", ["de"], false);

  const transcripts = {} as Fixture["transcripts"];
  const paragraphs = {} as Record<ParagraphKey, string>;
  for (const [letter, interviewId] of [["A", A.id], ["B", B.id], ["C", C.id]] as const) {
    const keys = (Object.keys(PARAGRAPHS) as ParagraphKey[]).filter((k) => PARAGRAPHS[k].interview === letter);
    const t = await db.transcript.create({
      data: {
        interviewId,
        source: "manual",
        language: "de",
        paragraphs: { create: keys.map((k, position) => ({ position, speaker: PARAGRAPHS[k].speaker, startMs: PARAGRAPHS[k].startMs, endMs: PARAGRAPHS[k].startMs + 3000, text: PARAGRAPHS[k].text })) },
      },
      select: { id: true },
    });
    transcripts[letter] = t.id;
    keys.forEach((k, position) => (paragraphs[k] = `${t.id}:${position}`));
    await db.$transaction((t) => indexTranscript(t, interviewId), tx);
  }

  // Codes from the seeded codebook: STR.ANE (recognition) on P1, STR.ARB (work) on P6.
  const anerkennung = await db.code.findUniqueOrThrow({ where: { key: "STR.ANE" }, select: { id: true } }).catch(() => db.code.findFirstOrThrow({ where: { key: { startsWith: "STR." } }, select: { id: true } }));
  const arbeit = await db.code.findFirstOrThrow({ where: { key: { startsWith: "KUL." } }, select: { id: true } });
  await codeParagraph(db, A.id, transcripts.A, 0, anerkennung.id);
  await codeParagraph(db, B.id, transcripts.B, 1, arbeit.id);
  await db.$transaction((t) => indexCode(t, anerkennung.id), tx);

  const memo = (title: string, text: string, data: { interviewId?: string; caseId?: string }) =>
    db.memo.create({ data: { type: "reflection", title, contentJson: "{}", contentHtml: `<p>${text}</p>`, contentText: text, authorId: researcher.id, ...data }, select: { id: true } });
  const M1 = await memo("Anerkennung", "Teilanerkennung des Abschlusses, Kenntnisprüfung noch offen.", { interviewId: A.id });
  const M2 = await memo("Beobachtung", "Wohnungssuche und Nachbarschaft im Interview ohne Auswertungserlaubnis.", { interviewId: C.id });
  const M3 = await memo("Methode", "Zur Methode der biografischen Fallrekonstruktion.", {});
  for (const m of [M1, M2, M3]) await db.$transaction((t) => indexMemo(t, m.id), tx);

  const note = (caseId: string, title: string, text: string) =>
    db.biographyNote.create({ data: { caseId, type: "event", noteDate: new Date("2025-05-05"), title, contentJson: "{}", contentHtml: `<p>${text}</p>`, contentText: text, authorId: im.id }, select: { id: true } });
  const N1 = await note(c1.id, "Beratung", "Beratung zur Wohnungssuche und Ausbildung.");
  const N2 = await note(c2.id, "Termin", "Termin beim Jobcenter wegen der Ausbildung.");
  for (const n of [N1, N2]) await db.$transaction((t) => indexNote(t, n.id), tx);

  const R1 = await db.narrative.create({
    data: { caseId: c1.id, title: "Rashas langer Weg", status: "released", releasedText: "Ein langer Weg\n\nEine Frau aus Syrien erzählt von der Anerkennung ihres Berufs.\n", releasedHtml: "<p>…</p>", releasedAt: new Date("2025-07-01") },
    select: { id: true },
  });
  const R2 = await db.narrative.create({ data: { caseId: c1.id, title: "Entwurf", status: "draft", blocks: JSON.stringify([{ type: "text", text: "Entwurf zur Anerkennung" }]) }, select: { id: true } });
  for (const r of [R1, R2]) await db.$transaction((t) => indexNarrative(t, r.id), tx);

  return {
    municipalities: { m1: m1!.id, m2: m2!.id },
    interviews: { A: A.id, B: B.id, C: C.id },
    transcripts,
    cases: { c1: c1.id, c2: c2.id, c3: c3.id },
    codes: { anerkennung: anerkennung.id, arbeit: arbeit.id },
    users: { researcher: researcher.id, im: im.id },
    memos: { M1: M1.id, M2: M2.id, M3: M3.id },
    notes: { N1: N1.id, N2: N2.id },
    narratives: { R1: R1.id, R2: R2.id },
    paragraphs,
  };
}

/** Codes a whole paragraph (code point offsets into the transcript's plain text) and tells search. */
export async function codeParagraph(db: Db, interviewId: string, transcriptId: string, position: number, codeId: string) {
  const rows = await db.transcriptParagraph.findMany({ where: { transcriptId }, orderBy: { position: "asc" }, select: { speaker: true, startMs: true, endMs: true, text: true } });
  const before = rows.slice(0, position);
  const start = before.length ? [...writeText(before)].length + 1 : 0;
  const line = [...writeText([rows[position]!])].length - 1;
  await db.$transaction(async (t) => {
    await t.coding.create({ data: { transcriptId, interviewId, codeId, start, end: start + line, quote: rows[position]!.text } });
    await codingsChanged(t, interviewId);
  }, tx);
}
