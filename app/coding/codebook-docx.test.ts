// The codebook as a Word document: every code under its parent as headings, with key, both names, description,
// examples and the Art. 9 mark, in the page's language; refused without read access to the codebook.
import { docxLanguages } from "../../tests/support/docx-language.ts";
import { beforeAll, describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, getRequest, municipalityId, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import * as docxRoute from "../routes/codebook[.docx].tsx";

let researcher: TestUser;
let commissioner: TestUser;

beforeAll(async () => {
  await ensureReference();
  researcher = await signedInUser("forschung.codebook-docx", ["researcher"]);
  commissioner = await signedInUser("beauftragte.codebook-docx", ["commissioner"]);
  await municipalityId("08336050");
  const parent = await db.code.create({ data: { key: "ZZ.DOC", name: "Anerkennung im Beruf", nameEn: "Recognition at work", description: "Verfahren und Erfahrungen der Berufsanerkennung.\nAuch Teilanerkennungen.", examples: JSON.stringify(["Meine Approbation kam nach zwei Jahren."]), colour: "#1f77b4", position: 900 } });
  await db.code.create({ data: { key: "ZZ.DOC.1", parentId: parent.id, name: "Gesundheit im Verfahren", nameEn: "Health during the procedure", colour: "#d62728", specialCategory: true, position: 0 } });
});

const download = (who: TestUser, lang: "de" | "en") => {
  const request = getRequest("/codebook.docx", who);
  request.headers.set("cookie", `${request.headers.get("cookie")}; lw_lang=${lang}`);
  return docxRoute.loader({ request, params: {}, ...ctx });
};

describe("codebook as a Word document", () => {
  it("lists each code with key, names, description, examples and the Art. 9 mark, sub-codes after their parent", async () => {
    const res = await download(researcher, "de");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/filename="Codebuch-\d{4}-\d{2}-\d{2}\.docx"/);
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(await res.arrayBuffer()) })).value;
    const parentAt = text.indexOf("ZZ.DOC Anerkennung im Beruf");
    const childAt = text.indexOf("ZZ.DOC.1 Gesundheit im Verfahren");
    expect(parentAt).toBeGreaterThan(0);
    expect(childAt).toBeGreaterThan(parentAt);
    expect(text).toContain("Recognition at work · 0 Codierungen (0 mit Unter-Codes)");
    expect(text).toContain("Auch Teilanerkennungen.");
    expect(text).toContain("„Meine Approbation kam nach zwei Jahren.“");
    expect(text).toContain("Health during the procedure · 0 Codierungen · Art. 9 DSGVO");
    const html = (await mammoth.convertToHtml({ buffer: Buffer.from(await (await download(researcher, "de")).arrayBuffer()) })).value;
    expect(html).toMatch(/<h\d>■ ZZ\.DOC Anerkennung im Beruf<\/h\d>/);
  });

  it("is in English for an English page, with the German name beside", async () => {
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(await (await download(researcher, "en")).arrayBuffer()) })).value;
    expect(text).toContain("ZZ.DOC Recognition at work");
    expect(text).toContain("Anerkennung im Beruf · 0 codings (0 with sub-codes)");
  });

  it("names its language, the reader's, so Word spell-checks the codes' texts in it", async () => {
    expect((await docxLanguages(Buffer.from(await (await download(researcher, "de")).arrayBuffer()))).default).toBe("de-DE");
    expect((await docxLanguages(Buffer.from(await (await download(researcher, "en")).arrayBuffer()))).default).toBe("en-GB");
  });

  it("is refused to the commissioner, who does not read the codebook", async () => {
    expect(await statusOf(() => download(commissioner, "de"))).toBe(403);
  });
});
