// The memo list's Word export: every memo of the filters (not only the page), each with its facts and its text
// formatted as written (headings, bold, numbered and bulleted lists, links, quotes), audited, and refused to roles
// that do not read memos. Identifying details are replaced by default (ADR 0019), each memo with its case's context.
import fs from "node:fs";
import path from "node:path";
import { docxLanguages } from "../../tests/support/docx-language.ts";
import { givenConsent } from "../../tests/support/consent.ts";
import { planted } from "../../tests/support/redaction.ts";
import { beforeAll, describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, insertCase, municipalityId, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import { writeIdentity } from "../identity/identity.server.ts";
import { parseText } from "../transcripts/formats/text.ts";
import * as exportRoute from "../routes/memos[.docx].tsx";

let researcher: TestUser;
let im: TestUser;

const RICH = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 3 }, content: [{ type: "text", text: "Anerkennung als Wendepunkt" }] },
    { type: "paragraph", content: [{ type: "text", text: "Die " }, { type: "text", text: "Teilanerkennung", marks: [{ type: "bold" }] }, { type: "text", text: " prägt das Selbstbild." }] },
    { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "Sprachkurs B1" }] }] }, { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "Kenntnisprüfung" }] }] }] },
    { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "Quelle", marks: [{ type: "link", attrs: { href: "https://example.org/anerkennung" } }] }] }] }] },
    { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "Ich wollte wieder als Ärztin arbeiten." }] }] },
  ],
};

async function memo(title: string, type: string, content: object, text: string) {
  return db.memo.create({ data: { title, type, contentJson: JSON.stringify(content), contentHtml: "<p></p>", contentText: text, authorId: researcher.user.id }, select: { id: true } });
}

const plain = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

beforeAll(async () => {
  await ensureReference();
  researcher = await signedInUser("forschung.memo-export", ["researcher"]);
  im = await signedInUser("im.memo-export", ["integration_manager"], [await municipalityId("08336050")]);
  await memo("Export-Theorie Wendepunkt", "theory", RICH, "Anerkennung als Wendepunkt Die Teilanerkennung prägt das Selbstbild. exportkennung");
  await memo("Export-Methode Dolmetschen", "method", plain("Dolmetschen verändert die Erzählung. exportkennung"), "Dolmetschen verändert die Erzählung. exportkennung");
});

const download = (who: TestUser, query: string) => exportRoute.loader({ request: getRequest(`/memos.docx${query}`, who), params: {}, ...ctx });

describe("memo export (Word)", () => {
  it("holds every memo of the filters with its facts and formatting, and is audited", async () => {
    const res = await download(researcher, "?q=exportkennung&redact=0");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="Memos-\d{4}-\d{2}-\d{2}\.docx"/);
    const buffer = Buffer.from(await res.arrayBuffer());
    const text = (await mammoth.extractRawText({ buffer })).value;
    expect(text).toContain("Export-Theorie Wendepunkt");
    expect(text).toContain("Export-Methode Dolmetschen");
    expect(text).toContain("2 Memos.");
    expect(text).toContain("Auswahl: Text enthält: „exportkennung“");
    expect(text).toMatch(/Theorie · Projekt-Memo · forschung\.memo-export · angelegt am \S+ · geändert am \S+/);
    expect(text).toMatch(/3\.\s+Sprachkurs B1/);
    expect(text).toMatch(/4\.\s+Kenntnisprüfung/);
    expect(text).toContain("Ich wollte wieder als Ärztin arbeiten.");
    const html = (await mammoth.convertToHtml({ buffer })).value;
    expect(html).toContain("<strong>Teilanerkennung</strong>");
    expect(html).toContain('<a href="https://example.org/anerkennung">Quelle</a>');
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "memo.export", userId: researcher.user.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ format: "docx", rows: 2, identifying: "kept", replaced: 0 });
  });

  it("takes the list's filters: one kind of memo only", async () => {
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(await (await download(researcher, "?q=exportkennung&type=method")).arrayBuffer()) })).value;
    expect(text).toContain("Export-Methode Dolmetschen");
    expect(text).not.toContain("Export-Theorie Wendepunkt");
    expect(text).toContain("Art des Memos: Methode");
  });

  it("names a memo's code in the reader's language", async () => {
    const code = await db.code.findFirstOrThrow({ where: { key: "KUL.SPR" }, select: { id: true, name: true, nameEn: true } });
    expect(code.nameEn).toBeTruthy();
    await db.memo.create({ data: { title: "Export-Code-Memo", type: "code", contentJson: JSON.stringify(plain("codekennung")), contentHtml: "<p></p>", contentText: "codekennung", authorId: researcher.user.id, codeId: code.id } });
    const inLanguage = async (language: string) => {
      const request = new Request(getRequest("/memos.docx?q=codekennung", researcher).url, { headers: { cookie: researcher.cookie, "accept-language": language } });
      const res = await exportRoute.loader({ request, params: {}, ...ctx });
      return (await mammoth.extractRawText({ buffer: Buffer.from(await res.arrayBuffer()) })).value;
    };
    expect(await inLanguage("de")).toContain(`KUL.SPR ${code.name}`);
    const english = await inLanguage("en");
    expect(english).toContain(`KUL.SPR ${code.nameEn}`);
    expect(english).not.toContain(code.name);
  });

  it("is German for Word's spell check, the English reader's title and lead lines English", async () => {
    const languages = async (language: string) => {
      const request = new Request(getRequest("/memos.docx?q=exportkennung", researcher).url, { headers: { cookie: researcher.cookie, "accept-language": language } });
      return docxLanguages(Buffer.from(await ((await exportRoute.loader({ request, params: {}, ...ctx })) as Response).arrayBuffer()));
    };
    expect(await languages("de")).toEqual({ default: "de-DE", runs: [] });
    expect(await languages("en")).toEqual({ default: "de-DE", runs: ["en-GB"] });
  });

  it("is refused to integration managers, who do not read memos", async () => {
    expect(await statusOf(() => download(im, ""))).toBe(403);
  });
});

describe("memo export: replacing identifying details (the default)", () => {
  const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
  // int-01's interviewee and the places and dates her interview names (planted in the fixture, see its identity.yaml)
  const secrets = planted("int-01").map((p) => p.text);
  const [rasha, samer, flight, froehnd] = ["Rasha Al-Khatib", "Samer", "22. Oktober 2015", "Fröhnd"].map((s) => {
    expect(secrets).toContain(s);
    return s;
  });
  let caseId: string;
  let pseudonym: string;

  beforeAll(async () => {
    const kase = await insertCase("LOE-2016-0907", await municipalityId("08336025")); // Fröhnd
    ({ id: caseId, pseudonym } = kase);
    await writeIdentity(null, null, caseId, { firstName: "Rasha", lastName: "Al-Khatib", dateOfBirth: "1986-03-14" } as never);
    const date = new Date("2025-03-11T00:00:00Z");
    const paragraphs = parseText(fs.readFileSync(path.join(FIXTURES, "int-01.txt"), "utf8"));
    const interview = await db.interview.create({
      data: {
        code: "INT-2025-0907",
        caseId,
        date,
        placeType: "office",
        languages: '["de"]',
        status: "transcribed",
        consents: givenConsent(date, { analysis: true }),
        transcript: { create: { source: "import", paragraphs: { create: paragraphs.map((p, position) => ({ position, speaker: p.speaker, startMs: p.startMs, endMs: p.endMs, text: p.text })) } } },
      },
      select: { id: true, transcript: { select: { id: true } } },
    });
    const code = await db.code.findFirstOrThrow({ where: { key: "KUL.SPR" }, select: { id: true } });
    const coding = await db.coding.create({ data: { transcriptId: interview.transcript!.id, interviewId: interview.id, codeId: code.id, start: 0, end: 40, quote: `Ich heiße ${rasha}, ich bin am 14. März 1986 geboren.` } });
    const rich = (...content: object[]) => ({ type: "doc", content });
    const create = (title: string, type: string, content: object, target: object) =>
      db.memo.create({ data: { title, type, contentJson: JSON.stringify(content), contentHtml: "<p></p>", contentText: `${JSON.stringify(content)} redaktionskennung`, authorId: researcher.user.id, ...target } });
    // The surname in bold, so the name is cut in two text nodes: the replacement must still find it (once); the
    // brother's name wholly bold, so his placeholder is.
    await create(`Gespräch mit ${rasha}`, "reflection", rich({ type: "paragraph", content: [{ type: "text", text: "Rasha " }, { type: "text", text: "Al-Khatib", marks: [{ type: "bold" }] }, { type: "text", text: ` lebt in ${froehnd} und kam am ${flight} an.` }] }, { type: "paragraph", content: [{ type: "text", text: "Ihr Bruder " }, { type: "text", text: samer, marks: [{ type: "bold" }] }, { type: "text", text: " ist noch in der Türkei." }] }, { type: "paragraph", content: [{ type: "text", text: "Profil: " }, { type: "text", text: rasha, marks: [{ type: "link", attrs: { href: "https://example.org/profil/rasha-al-khatib" } }] }, { type: "text", text: ", Quelle: " }, { type: "text", text: "Anerkennung", marks: [{ type: "link", attrs: { href: "https://example.org/anerkennung" } }] }] }), { interviewId: interview.id });
    await create("Zur Stelle", "reflection", rich({ type: "paragraph", content: [{ type: "text", text: "Selbstvorstellung mit vollem Namen." }] }), { interviewId: interview.id, codingId: coding.id });
    await create("Fallnotiz", "case", rich({ type: "paragraph", content: [{ type: "text", text: `Al-Khatib erzählt offen; Kontrast zu ${pseudonym}.` }] }), { caseId });
    // A project memo belongs to no case: it is searched with the exported cases' terms together.
    await create("Vergleich", "theory", rich({ type: "paragraph", content: [{ type: "text", text: "Bei Al-Khatib wird die Anerkennung zum Wendepunkt." }] }), {});
  });

  const wordText = async (res: Response) => {
    const buffer = Buffer.from(await res.arrayBuffer());
    return { text: (await mammoth.extractRawText({ buffer })).value, html: (await mammoth.convertToHtml({ buffer })).value };
  };

  it("replaces names, places and dates in titles, texts and quotes with the case's context; redact=0 keeps them", async () => {
    const res = await download(researcher, "?q=redaktionskennung");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Memos-pseudonymisiert-\d{4}-\d{2}-\d{2}\.docx"$/);
    const { text, html } = await wordText(res);
    expect(text).toContain("4 Memos.");
    expect(text).toMatch(/^Memos\s+Pseudonymisiert: Identitätsangaben/);
    for (const s of [rasha, "Rasha", "Al-Khatib", "Khatib", samer, flight, froehnd, "14. März 1986"]) expect(text, s).not.toContain(s);
    expect(text).toContain("Gespräch mit [Name]");
    expect(text).toContain("[Gemeinde im Landkreis]");
    expect(text).toContain("Herbst 2015");
    expect(text).toContain(`Kontrast zu ${pseudonym}.`); // a case's pseudonym stays
    expect(text).toContain("Bei [Name] wird die Anerkennung zum Wendepunkt.");
    // a name cut by a mark is one placeholder, a bold name a bold one
    expect(html).toContain("<p>[Name] lebt in [Gemeinde im Landkreis] und kam im Herbst 2015 an.</p>");
    expect(html).toContain("<p>Ihr Bruder <strong>[Name]</strong> ist noch in der Türkei.</p>");
    expect(html).toContain("<em>„Ich heiße [Name], ich bin 1986 geboren.“</em>");
    // a link on a replaced name loses its address (it names her too); another link stays
    expect(html).not.toContain("rasha-al-khatib");
    expect(html).toContain('<p>Profil: [Name], Quelle: <a href="https://example.org/anerkennung">Anerkennung</a></p>');
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "memo.export", userId: researcher.user.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(entry.detail!)).toMatchObject({ format: "docx", rows: 4, identifying: "replaced" });
    expect(JSON.parse(entry.detail!).replaced).toBeGreaterThanOrEqual(8);
    // reading the case's identity terms is audited, as for the other exports
    const read = await db.auditLog.findFirstOrThrow({ where: { action: "identity.view", entityId: caseId, userId: researcher.user.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(read.detail!)).toMatchObject({ purpose: "export-redaction", format: "docx" });

    const kept = await download(researcher, "?q=redaktionskennung&redact=0");
    expect(kept.headers.get("content-disposition")).toMatch(/^attachment; filename="Memos-\d{4}-\d{2}-\d{2}\.docx"$/);
    const keptText = (await wordText(kept)).text;
    for (const s of [`Gespräch mit ${rasha}`, "Rasha Al-Khatib lebt", samer, flight, froehnd, `„Ich heiße ${rasha}, ich bin am 14. März 1986 geboren.“`, "Bei Al-Khatib wird"]) expect(keptText, s).toContain(s);
    expect(keptText).not.toContain("Pseudonymisiert");
    expect((await wordText(await download(researcher, "?q=redaktionskennung&redact=0"))).html).toContain('<a href="https://example.org/profil/rasha-al-khatib">Rasha Al-Khatib</a>');
    expect(keptText).not.toContain("[Name]");
  });

  it("says no more on top than the memos do: a name searched for is replaced in the summary", async () => {
    const { text } = await wordText(await download(researcher, "?q=Al-Khatib"));
    expect(text).not.toContain("Khatib");
    expect(text).toContain("Auswahl: Text enthält: „[Name]“");
    expect((await wordText(await download(researcher, "?q=Al-Khatib&redact=0"))).text).toContain("Auswahl: Text enthält: „Al-Khatib“");
  });

  it("refuses a redact value other than 0 or 1 with a clear message", async () => {
    let refusal: unknown;
    await download(researcher, "?redact=nein").catch((e: unknown) => (refusal = e));
    expect(refusal).toBeInstanceOf(Response);
    expect((refusal as Response).status).toBe(400);
    expect(await (refusal as Response).text()).toBe("Die Angaben in der Adresse sind ungültig.");
  });
});
