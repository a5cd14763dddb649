// The narrative workflow over HTTP against the real server: a researcher composes a narrative of a fixture case
// (quotes of codings and transcript selections, a free text), a quote from an interview without the quotation
// scope is neither offered nor accepted, redaction proposals are decided, the author cannot release their own
// narrative, a second researcher does; only then does the commissioner see it (anonymized text, PDF and DOCX
// without the person's name), and a retraction takes it away again.
import { docxLanguages } from "../support/docx-language.ts";
import { startAppServer, createTestUser } from "../support/app-server.ts";
import { seedDemoNarratives } from "../../prisma/seed/demo-narratives.ts";
import { docxText, makeInterview, pdfText, postForm, turnOffsets } from "./support.ts";
import { open, type Sealed } from "../../app/identity/crypto.server.ts";
import type { IdentityData } from "../../app/identity/identity.ts";

const server = await startAppServer();
afterAll(() => server.stop());
const { db } = server;

await seedDemoNarratives(db);
await createTestUser(db, "forschung2", "Forschung-Zwei-2025!", ["researcher"]);
const author = await server.loginAs("forschung");
const reviewer = await server.loginAs("forschung2", { password: "Forschung-Zwei-2025!" });
const commissioner = await server.loginAs("beauftragte");

const kase = await db.case.findUniqueOrThrow({ where: { pseudonym: "LOE-2016-0001" }, select: { id: true } });
const int01 = await db.interview.findUniqueOrThrow({ where: { code: "INT-2025-0001" }, select: { id: true } });
const SECRET_TURNS = [
  { speaker: "I", text: "Erzählen Sie bitte." },
  { speaker: "B", text: "Das darf niemand zitieren: Mein Mann Quirinus hat in Tunau gearbeitet." },
];
const unquotable = await makeInterview(db, kase.id, "INT-2025-0901", SECRET_TURNS, { quotation: false });

async function statusOf(id: string) {
  return (await db.narrative.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
}

let narrativeId = "";

describe("composing", () => {
  it("creates a narrative for a case with interviews", async () => {
    const res = await postForm(author, "/narratives?index", { caseId: kase.id, title: "Rashas Weg nach Weil am Rhein" });
    expect(res.status).toBe(302);
    narrativeId = res.headers.get("location")!.split("/")[2]!;
    expect(await statusOf(narrativeId)).toBe("draft");
  });

  it("adds a coded passage, a transcript selection and free text", async () => {
    const coding = await db.coding.findFirst({ where: { interviewId: int01.id, quote: { contains: "Fröhnd" } }, select: { id: true } });
    const compose = `/narratives/${narrativeId}/compose`;
    if (coding) expect((await postForm(author, compose, { intent: "addQuote", interviewId: int01.id, codingId: coding.id, at: "2015" })).status).toBe(200);
    // Turn 1 of int-01: "Mein Name ist Rasha Al-Khatib, ich bin am 14. März 1986 in Homs geboren. ..."
    const page = (await (await author.get(`${compose}?interview=${int01.id}&_data=routes/narratives.$narrativeId.compose`)).json()) as { paragraphs: { index: number; text: string; textStart: number }[] };
    const turn = page.paragraphs[1]!;
    const end = turn.textStart + Array.from(turn.text.slice(0, turn.text.indexOf(" in Homs"))).length;
    expect((await postForm(author, compose, { intent: "addQuote", interviewId: int01.id, start: String(turn.textStart), end: String(end), at: "1986" })).status).toBe(200);
    expect((await postForm(author, compose, { intent: "addText", text: "Rasha ruft unter 0157 3921 4408 an; ihre AZR-Nummer ist 6283417-475.", at: "" })).status).toBe(200);
    const row = await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { blocks: true, sources: { select: { interviewId: true } } } });
    const blocks = JSON.parse(row.blocks) as { kind: string; text: string; at: string | null }[];
    expect(blocks.map((b) => b.kind).sort()).toEqual(coding ? ["quote", "quote", "text"] : ["quote", "text"]);
    expect(blocks.find((b) => b.at === "1986")!.text).toBe("Ja, gerne. Mein Name ist Rasha Al-Khatib, ich bin am 14. März 1986");
    expect(row.sources).toEqual([{ interviewId: int01.id }]);
  });

  it("says on the review page, in both languages, that dialect and dishes are not detected", async () => {
    const html = await (await author.get(`/narratives/${narrativeId}/redaction`)).text();
    expect(html).toContain("Dialekt und Gerichte (wie jemand spricht, was jemand kocht) werden nicht erkannt und daher nie vorgeschlagen");
    await db.user.update({ where: { username: "forschung2" }, data: { locale: "en" } });
    try {
      const english = await server.loginAs("forschung2", { password: "Forschung-Zwei-2025!" });
      const page = await english.get(`/narratives/${narrativeId}/redaction`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Dialect and dishes (how someone speaks, what someone cooks) are not detected and so never proposed");
    } finally {
      await db.user.update({ where: { username: "forschung2" }, data: { locale: "de" } });
    }
  });

  it("refuses a text block over 20,000 characters with its length instead of cutting it", async () => {
    const compose = `/narratives/${narrativeId}/compose`;
    const before = (await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { blocks: true } })).blocks;
    // `_data`: the action's answer as the page's script receives it.
    const res = await postForm(author, `${compose}?_data=routes/narratives.$narrativeId.compose`, { intent: "addText", text: "Satz. ".repeat(3500), at: "" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "compose.textTooLong", length: 20_999 });
    const textBlock = (JSON.parse(before) as { id: string; kind: string }[]).find((b) => b.kind === "text")!;
    const update = await postForm(author, compose, { intent: "updateBlock", blockId: textBlock.id, text: "x".repeat(20_001), at: "" });
    expect(update.status).toBe(400);
    const emptied = await postForm(author, `${compose}?_data=routes/narratives.$narrativeId.compose`, { intent: "updateBlock", blockId: textBlock.id, text: "  \n ", at: "" });
    expect(emptied.status).toBe(400);
    expect(await emptied.json()).toMatchObject({ error: "compose.textEmpty" });
    expect((await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { blocks: true } })).blocks).toBe(before);
  });

  it("refuses to save over a text block a colleague changed or removed meanwhile, and returns the text", async () => {
    const compose = `/narratives/${narrativeId}/compose?_data=routes/narratives.$narrativeId.compose`;
    const block = () => db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { blocks: true } }).then((r) => (JSON.parse(r.blocks) as { id: string; kind: string; text: string }[]).find((b) => b.kind === "text")!);
    const shown = await block();
    expect((await postForm(author, compose, { intent: "updateBlock", blockId: shown.id, previous: shown.text, text: `${shown.text} (Kollegin)`, at: "" })).status).toBe(200);
    const late = await postForm(author, compose, { intent: "updateBlock", blockId: shown.id, previous: shown.text, text: `${shown.text} (ich)`, at: "" });
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual({ intent: "updateBlock", error: "compose.blockChanged", unsavedText: `${shown.text} (ich)` });
    expect((await block()).text).toBe(`${shown.text} (Kollegin)`);
    const gone = await postForm(author, compose, { intent: "updateBlock", blockId: "removed-meanwhile", previous: "x", text: "noch getippt", at: "" });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ intent: "updateBlock", error: "compose.blockGone", unsavedText: "noch getippt" });
  });

  it("neither offers nor accepts a quote from an interview without the quotation scope", async () => {
    const page = (await (await author.get(`/narratives/${narrativeId}/compose?interview=${unquotable}&_data=routes/narratives.$narrativeId.compose`)).json()) as { interviews: { id: string }[]; shown: unknown };
    expect(page.interviews.map((i) => i.id)).not.toContain(unquotable);
    expect(page.shown).toBeNull();
    const before = (await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { blocks: true } })).blocks;
    const { start, end } = turnOffsets(SECRET_TURNS, 1);
    const res = await postForm(author, `/narratives/${narrativeId}/compose`, { intent: "addQuote", interviewId: unquotable, start: String(start), end: String(end), at: "" });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("consent-missing");
    expect((await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { blocks: true } })).blocks).toBe(before);
  });

  it("neither offers nor accepts a passage coded as special category, and one coded so after it was quoted blocks submission", async () => {
    const turns = [
      { speaker: "I", text: "Wie geht es Ihnen?" },
      { speaker: "B", text: "Nachts kann ich nicht schlafen, ich habe viel Kopfschmerzen seit der Flucht." },
      { speaker: "B", text: "Im Sprachcafé habe ich Freundinnen gefunden." },
    ];
    const interviewId = await makeInterview(db, kase.id, "INT-2025-0902", turns, { quotation: true });
    const transcriptId = (await db.transcript.findUniqueOrThrow({ where: { interviewId }, select: { id: true } })).id;
    const health = await db.code.findUniqueOrThrow({ where: { key: "X.GES" }, select: { id: true, specialCategory: true } });
    expect(health.specialCategory).toBe(true);
    const code = (index: number) => ({ transcriptId, interviewId, codeId: health.id, ...turnOffsets(turns, index), quote: turns[index]!.text });
    const coded = await db.coding.create({ data: code(1), select: { id: true } });
    const created = await postForm(author, "/narratives?index", { caseId: kase.id, title: "Gesundheit darf nicht hinein" });
    const id = created.headers.get("location")!.split("/")[2]!;
    const compose = `/narratives/${id}/compose`;
    const page = (await (await author.get(`${compose}?interview=${interviewId}&_data=routes/narratives.$narrativeId.compose`)).json()) as { codings: { id: string }[] };
    expect(page.codings.map((c) => c.id)).not.toContain(coded.id);
    // Neither the coding itself nor a selection overlapping it.
    const { start, end } = turnOffsets(turns, 1);
    for (const fields of [{ codingId: coded.id }, { start: String(start + 5), end: String(end + 10) }] as Record<string, string>[]) {
      const res = await postForm(author, `${compose}?_data=routes/narratives.$narrativeId.compose`, { intent: "addQuote", interviewId, at: "", ...fields });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("compose.specialCategory");
    }
    expect((await db.narrative.findUniqueOrThrow({ where: { id }, select: { blocks: true } })).blocks).toBe("[]");
    // A harmless passage is quoted; coded as special category afterwards, it blocks the submission.
    const other = turnOffsets(turns, 2);
    expect((await postForm(author, compose, { intent: "addQuote", interviewId, start: String(other.start), end: String(other.end), at: "" })).status).toBe(200);
    await db.coding.create({ data: code(2) });
    expect((await postForm(author, `/narratives/${id}/redaction`, { intent: "acceptAll" })).status).toBe(200);
    const refused = await postForm(author, `/narratives/${id}?index`, { intent: "submit" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("special-category");
    expect(await statusOf(id)).toBe("draft");
  });
});

describe("redaction answers no guesses about the register", () => {
  it("proposes a registered name or date of birth as identity only where the case's transcripts say it", async () => {
    // LOE-2019-0001: in the register "Mariam Rahimi"; in her interview she is called otherwise.
    const other = await db.case.findUniqueOrThrow({ where: { pseudonym: "LOE-2019-0001" }, select: { id: true, identity: true } });
    const identity = open<IdentityData>(other.identity as Sealed, other.id);
    const [y, m, d] = identity.dateOfBirth!.split("-");
    const created = await postForm(author, "/narratives?index", { caseId: other.id, title: "Vermutungen" });
    const id = created.headers.get("location")!.split("/")[2]!;
    const guess = `${identity.firstName} ${identity.lastName} wurde am ${d}.${m}.${y} geboren und wohnt ${identity.address}.`;
    expect((await postForm(author, `/narratives/${id}/compose`, { intent: "addText", text: guess, at: "" })).status).toBe(200);
    const data = (await (await author.get(`/narratives/${id}/redaction?_data=routes/narratives.$narrativeId.redaction`)).json()) as { proposals: { text: string; source: string; category: string }[] };
    // Exact dates and name patterns are still proposed, but nothing tells the researcher these are the register's
    // values: an identity proposal only for what her transcripts say too (her first name is spoken there).
    const spoken = (await db.transcriptParagraph.findMany({ where: { transcript: { interview: { caseId: other.id } } }, select: { text: true } })).map((p) => p.text).join("\n").toLowerCase();
    const fromRegister = data.proposals.filter((p) => p.source === "identity");
    expect(fromRegister.filter((p) => !spoken.includes(p.text.toLowerCase()))).toEqual([]);
    expect(fromRegister.map((p) => p.text)).not.toContain(`${identity.firstName} ${identity.lastName}`);
    // The date is still proposed (an exact date, "geboren" after it), by the pattern, not by the register.
    expect(data.proposals.filter((p) => p.text.includes(`${d}.${m}.${y}`)).map((p) => p.source)).toEqual(["pattern"]);
  });
});

describe("four-eyes release", () => {
  it("refuses to submit while proposals are undecided, then submits once all are accepted", async () => {
    const overview = `/narratives/${narrativeId}?index`;
    const refused = await postForm(author, overview, { intent: "submit" });
    expect(refused.status).toBe(409);
    expect(await statusOf(narrativeId)).toBe("draft");
    const data = (await (await author.get(`/narratives/${narrativeId}/redaction?_data=routes/narratives.$narrativeId.redaction`)).json()) as { proposals: { text: string; source: string; category: string }[] };
    expect(data.proposals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: "Rasha Al-Khatib", source: "identity" }),
        expect.objectContaining({ text: "14. März 1986", category: "date_of_birth" }),
        expect.objectContaining({ text: "0157 3921 4408", source: "identity" }),
        expect.objectContaining({ text: "6283417-475", source: "identity" }),
        expect.objectContaining({ text: "Rashas", source: "identity" }),
      ]),
    );
    // Refusals name their reason (each was "enter a title" before).
    const redaction = `/narratives/${narrativeId}/redaction?_data=routes/narratives.$narrativeId.redaction`;
    for (const [fields, error] of [
      [{ intent: "edit", text: "Rasha", replacement: "   " }, "redaction.errors.noReplacement"],
      [{ intent: "manual", text: "x".repeat(201), replacement: "[…]" }, "redaction.errors.manualTooLong"],
    ] as const) {
      const res = await postForm(author, redaction, fields);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error });
    }
    expect((await postForm(author, `/narratives/${narrativeId}/redaction`, { intent: "acceptAll" })).status).toBe(200);
    expect((await postForm(author, overview, { intent: "submit" })).status).toBe(200);
    expect(await statusOf(narrativeId)).toBe("in_review");
  });

  it("a text saved after the narrative was submitted comes back to be copied, with its reason", async () => {
    const res = await postForm(author, `/narratives/${narrativeId}/compose?_data=routes/narratives.$narrativeId.compose`, { intent: "addText", text: "Noch ein Gedanke, der nicht verloren gehen soll.", at: "" });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ intent: "addText", error: "compose.noLongerDraft", unsavedText: "Noch ein Gedanke, der nicht verloren gehen soll." });
    expect(await statusOf(narrativeId)).toBe("in_review");
    // A redaction page left open meanwhile: the decision is refused with the reason, not with an error page.
    const late = await postForm(author, `/narratives/${narrativeId}/redaction?_data=routes/narratives.$narrativeId.redaction`, { intent: "accept", text: "Rasha" });
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual({ error: "compose.noLongerDraft" });
  });

  it("does not let the author release their own narrative", async () => {
    const res = await postForm(author, `/narratives/${narrativeId}?index`, { intent: "release" });
    expect(res.status).toBe(403);
    expect(await statusOf(narrativeId)).toBe("in_review");
  });

  it("keeps the narrative from the commissioner until it is released", async () => {
    const list = await (await commissioner.get("/narratives?_data=routes/narratives._index")).text();
    expect(list).not.toContain(narrativeId);
    expect((await commissioner.get(`/narratives/${narrativeId}`)).status).toBe(404);
    expect((await commissioner.get(`/narratives/${narrativeId}/export?format=pdf`)).status).toBe(404);
  });

  it("lets a second researcher release it; the commissioner reads and downloads the anonymized text only", async () => {
    expect((await postForm(reviewer, `/narratives/${narrativeId}?index`, { intent: "release" })).status).toBe(200);
    const row = await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { status: true, reviewerId: true, releasedText: true, title: true } });
    expect(row.status).toBe("released");
    // The working title stays on the research side; the commissioner gets the anonymized one from the frozen text.
    expect(row.title).toBe("Rashas Weg nach Weil am Rhein");
    expect(row.releasedText?.split("\n")[0]).toBe("[Name] Weg nach [Stadt im Landkreis]");

    const page = await (await commissioner.get(`/narratives/${narrativeId}`)).text();
    expect(page).toContain("[Name] Weg nach [Stadt im Landkreis]");
    expect(page).toContain("ich bin 1986");
    // The browser tab names the narrative, by its anonymized title, not only the list it belongs to.
    expect(page.match(/<title>([^<]*)<\/title>/)?.[1]).toBe("[Name] Weg nach [Stadt im Landkreis] – Anonymisierte Narrative – Lebenswege");
    const pdf = Buffer.from(await (await commissioner.get(`/narratives/${narrativeId}/export?format=pdf`)).arrayBuffer());
    const docx = Buffer.from(await (await commissioner.get(`/narratives/${narrativeId}/export?format=docx`)).arrayBuffer());
    const texts = { page, pdf: pdfText(pdf), docx: await docxText(docx), list: await (await commissioner.get("/narratives")).text() };
    expect(texts.pdf).toContain("[Telefonnummer]");
    expect(texts.docx).toContain("[Telefonnummer]");
    expect((await docxLanguages(docx)).default).toBe("de-DE");
    for (const [where, text] of Object.entries(texts)) {
      for (const needle of ["Rasha", "Al-Khatib", "Khatib", "14. März 1986", "0157 3921 4408", "6283417-475", "LOE-2016-0001", "INT-2025-0001", "Fröhnd"]) {
        expect(text.includes(needle), `${needle} in ${where}`).toBe(false);
      }
    }
    expect(await db.auditLog.count({ where: { action: "narrative.release", entityId: narrativeId } })).toBe(1);
  });

  it("downloads a tagged PDF whose subtitle and file name follow the reader's language", async () => {
    const download = async (format: string) => {
      const res = await commissioner.get(`/narratives/${narrativeId}/export?format=${format}`);
      return { name: res.headers.get("content-disposition") ?? "", body: Buffer.from(await res.arrayBuffer()) };
    };
    const de = await download("pdf");
    expect(de.name).toContain('filename="narrativ-');
    expect(pdfText(de.body)).toContain("Anonymisiertes Narrativ · freigegeben am");
    // Tagged: marked content and a structure tree in reading order (heading, paragraphs, quotes), German by default.
    const raw = de.body.toString("latin1");
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toContain("/Marked true");
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    for (const tag of ["/S /Document", "/S /H1", "/S /P", "/S /BlockQuote"]) expect(raw, tag).toContain(tag);
    expect(raw).toContain("/Lang (de-DE)");
    commissioner.cookies.set("lw_lang", "en");
    try {
      const en = await download("pdf");
      expect(en.name).toContain('filename="narrative-');
      expect(pdfText(en.body)).toMatch(/Anonymized narrative · released on \d{1,2} \w+ \d{4}/);
      expect(pdfText(en.body)).not.toContain("freigegeben am");
      expect(en.body.toString("latin1")).toContain("/Lang (en-GB)");
      const docx = await docxText((await download("docx")).body);
      expect(docx).toContain("Anonymized narrative · released on");
    } finally {
      commissioner.cookies.set("lw_lang", "de");
    }
  });

  it("takes it away from the commissioner again on retraction", async () => {
    expect((await postForm(reviewer, `/narratives/${narrativeId}?index`, { intent: "retract" })).status).toBe(200);
    expect((await commissioner.get(`/narratives/${narrativeId}`)).status).toBe(404);
    const row = await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { status: true, releasedText: true } });
    expect(row).toEqual({ status: "retracted", releasedText: null });
    // Reopened, the draft goes on under its working title, not the anonymized one.
    expect((await postForm(author, `/narratives/${narrativeId}?index`, { intent: "reopen" })).status).toBe(200);
    expect((await db.narrative.findUniqueOrThrow({ where: { id: narrativeId }, select: { title: true, status: true } }))).toEqual({ title: "Rashas Weg nach Weil am Rhein", status: "draft" });
  });
});

describe("commissioner", () => {
  it("is told what was done to the stories, not that they hold nothing identifying", async () => {
    const page = await (await commissioner.get("/narratives")).text();
    expect(page).toContain("wurden ersetzt oder verallgemeinert, und jede Geschichte wurde vor der Freigabe von einer zweiten Person geprüft");
    expect(page).not.toContain("Sie enthalten keine Namen");
  });

  it("cannot open composing, redaction or the case tab, nor post", async () => {
    const demo = await db.narrative.findFirstOrThrow({ where: { status: "released" }, select: { id: true } });
    for (const url of [`/narratives/${demo.id}/compose`, `/narratives/${demo.id}/redaction`, `/cases/${kase.id}/narratives?_data=routes/cases.$caseId.narratives`]) {
      expect((await commissioner.get(url)).status, url).toBe(403);
    }
    expect((await postForm(commissioner, `/narratives/${demo.id}?index`, { intent: "retract" })).status).toBe(403);
  });
});

