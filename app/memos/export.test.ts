// The memo list's Word export: every memo of the filters (not only the page), each with its facts and its text
// formatted as written (headings, bold, numbered and bulleted lists, links, quotes), audited, and refused to roles
// that do not read memos.
import { docxLanguages } from "../../tests/support/docx-language.ts";
import { beforeAll, describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, municipalityId, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
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
    const res = await download(researcher, "?q=exportkennung");
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
    expect(JSON.parse(entry.detail!)).toMatchObject({ format: "docx", rows: 2 });
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
