// The retrieval and statistics pages over HTTP against the real app and a seeded database: who reaches what,
// what the downloads contain, and that nothing the commissioner reaches carries a pseudonym or a small cell.
import { docxLanguages } from "../support/docx-language.ts";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type HttpClient } from "../support/app-server.ts";
import { FIXTURE_PERSONS } from "../../prisma/seed/demo.ts";
import { DEMO_INTERVIEWS } from "../../prisma/seed/demo-interviews.ts";
import { codeDemoInterviews, type LoadedCoding } from "./fixture.ts";
import { coversSameWords, planted } from "../support/redaction.ts";
import { parseCsv as readCsv } from "../../app/statistics/test-support.ts";
import { SMALL_MUNICIPALITY_MAX_POPULATION } from "../../app/narratives/view.ts";

let server: AppServer;
let researcher: HttpClient;
let commissioner: HttpClient;
let codes: Map<string, string>;
/** fixture codings as loaded into the demo interviews: code key, quote, interview code */
let loaded: LoadedCoding[];

beforeAll(async () => {
  server = await startAppServer({ seed: { cases: 60 } });
  ({ codes, loaded } = await codeDemoInterviews(server.db));
  researcher = await server.loginAs("forschung");
  commissioner = await server.loginAs("beauftragte");
}, 180_000);

afterAll(() => server?.stop());

/** The body as sent (Response.text() would drop the BOM we want to see). */
async function bodyText(res: Response): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
}

/** The rows of a CSV download, which starts with a BOM (";" separated for German readers, "," for others). */
function parseCsv(text: string, separator: ";" | "," = ";"): string[][] {
  expect(text.startsWith("\uFEFF")).toBe(true);
  return readCsv(text.slice(1), separator);
}

describe("who reaches retrieval and statistics", () => {
  it("the commissioner reaches /statistics and its CSV, and gets 403 on every retrieval page and download", async () => {
    expect((await commissioner.get("/statistics")).status).toBe(200);
    expect((await commissioner.get("/statistics.csv")).status).toBe(200);
    for (const path of ["/segments", "/segments/matrix", "/segments.csv", "/segments.docx"]) {
      const res = await commissioner.get(path);
      await res.body?.cancel();
      expect(res.status, path).toBe(403);
    }
  });

  it("integration managers get neither; researchers get both; admins get the statistics roles' figures only", async () => {
    const im = await server.loginAs("im.loerrach");
    const admin = await server.loginAs("admin");
    const status = async (client: HttpClient, path: string) => {
      const res = await client.get(path);
      await res.body?.cancel();
      return res.status;
    };
    expect(await status(im, "/segments")).toBe(403);
    expect(await status(im, "/statistics")).toBe(403);
    expect(await status(researcher, "/segments")).toBe(200);
    expect(await status(researcher, "/segments/matrix")).toBe(200);
    expect(await status(researcher, "/statistics")).toBe(200);
    expect(await status(admin, "/segments")).toBe(403);
    expect(await status(admin, "/statistics")).toBe(200);
  });
});

describe("segments page and downloads", () => {
  it("shows the hits of a code with context, speaker, time and a play button, and audits the retrieval", async () => {
    const res = await researcher.get(`/segments?code=${codes.get("X.FLU")}&sub=0`);
    const html = await res.text();
    expect(res.status).toBe(200);
    const expected = loaded.filter((c) => c.code === "X.FLU" && c.analysable);
    for (const c of expected) expect(html).toContain(c.quote.replace(/"/g, "&quot;"));
    // One code: as many codings as passages (the matrix counts codings, the CSV has a row for each).
    expect(html).toContain(`${expected.length} codierte Passagen gefunden, mit ${expected.length} Codierungen`);
    // The transcript's label with its role in the reader's language.
    expect(html.replace(/<!-- -->/g, "")).toMatch(/Sprecher\/in: <strong>B\d*<\/strong> \(befragte Person\)/);
    expect(html).toContain("abspielen");
    const entry = await server.db.auditLog.findFirst({ where: { action: "coding.retrieve", username: "forschung" }, orderBy: { id: "desc" } });
    expect(entry?.detail).toContain(codes.get("X.FLU")!);
  });

  it("filters by the speaker's role and offers the roles; an older address with a label finds the turns with that label and says so", async () => {
    const interpreter = new Set(loaded.filter((c) => c.speaker === "D" && c.analysable).map((c) => c.quote));
    expect(interpreter.size).toBeGreaterThan(1);
    const quotesOf = async (path: string) => {
      const rows = parseCsv(await bodyText(await researcher.get(path)));
      const passage = rows[0]!.indexOf("Passage");
      return new Set(rows.slice(1).map((r) => r[passage]));
    };
    const page = await (await researcher.get("/segments?speaker=interpreter")).text();
    expect(page).toMatch(/<select id="f-speaker" name="speaker"[^>]*>.*<option value="interpreter" selected="">Dolmetscher:in<\/option>/s);
    for (const role of ["Interviewer:in", "Befragte Person", "Sonstige oder nicht zugeordnet"]) expect(page).toContain(`>${role}</option>`);
    expect(page).not.toContain("Sprecherkürzel");
    expect(await quotesOf("/segments.csv?speaker=interpreter&redact=0")).toEqual(interpreter);

    // A bookmark from when the filter took labels: it finds the turns with that label, and the page says so.
    const count = (html: string) => html.match(/(\d+) Segmente? gefunden/)?.[1];
    const old = await (await researcher.get("/segments?speaker=D")).text();
    expect(old).toContain("Diese Adresse filtert nach dem Sprecherkürzel „D“, wie vor der Auswahl nach Rollen");
    // the speaker field keeps the label, so sending the form again keeps the filter
    expect(old).toMatch(/<select id="f-speaker" name="speaker"[^>]*>.*<option value="D" selected="">Kürzel „D“ \(aus der Adresse\)<\/option>/s);
    expect(count(old)).toBe(count(page));
    expect(await quotesOf("/segments.csv?speaker=D&redact=0")).toEqual(interpreter);
    // The downloads name the filter as they applied it.
    const docx = await researcher.get("/segments.docx?speaker=D&redact=0");
    expect((await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value).toContain("Sprecherkürzel: D");

    // In "Sprecher verwalten" the interpreter's label D of INT-2025-0003 got the role "other": the role filter
    // leaves its turns out, the old address still finds every turn labelled D.
    const transcript = await server.db.transcript.findFirstOrThrow({ where: { interview: { code: DEMO_INTERVIEWS[2]!.code } }, select: { id: true } });
    await server.db.transcript.update({ where: { id: transcript.id }, data: { speakerRoles: JSON.stringify({ D: "other" }) } });
    try {
      const fromInt03 = new Set(loaded.filter((c) => c.speaker === "D" && c.analysable && c.interview === DEMO_INTERVIEWS[2]!.code).map((c) => c.quote));
      expect(fromInt03.size).toBeGreaterThan(0);
      expect(await quotesOf("/segments.csv?speaker=interpreter&redact=0")).toEqual(new Set([...interpreter].filter((q) => !fromInt03.has(q))));
      expect(count(await (await researcher.get("/segments?speaker=D")).text())).toBe(count(page));
      expect(await quotesOf("/segments.csv?speaker=D&redact=0")).toEqual(interpreter);
    } finally {
      await server.db.transcript.update({ where: { id: transcript.id }, data: { speakerRoles: "{}" } });
    }
  });

  it("CSV has one row per expected segment, with ';', a BOM and the quotes", async () => {
    // redact=0: the quotes as coded (identifying details replaced: see below)
    const res = await researcher.get(`/segments.csv?code=${codes.get("KUL.SPR")}&code=${codes.get("X.DIS")}&sub=0&redact=0`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const rows = parseCsv(await bodyText(res));
    const expected = loaded.filter((c) => (c.code === "KUL.SPR" || c.code === "X.DIS") && c.analysable);
    expect(rows.length).toBe(expected.length + 1);
    const passage = rows[0]!.indexOf("Passage");
    expect(passage).toBeGreaterThan(0);
    expect(rows.slice(1).map((r) => r[passage]).sort()).toEqual(expected.map((c) => c.quote).sort());
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(expected.map((c) => c.interview)));
    // the pseudonym of the case, never a name
    const pseudonyms = new Set(FIXTURE_PERSONS.slice(0, 3).map((p) => p.pseudonym));
    for (const r of rows.slice(1)) expect(pseudonyms.has(r[2]!)).toBe(true);
  });

  it("CSV for an English reader: ',' between fields, passages with commas quoted, the same rows", async () => {
    const query = `code=${codes.get("KUL.SPR")}&code=${codes.get("X.DIS")}&sub=0&redact=0`;
    const german = parseCsv(await bodyText(await researcher.get(`/segments.csv?${query}`)));
    researcher.cookies.set("lw_lang", "en");
    try {
      const rows = parseCsv(await bodyText(await researcher.get(`/segments.csv?${query}`)), ",");
      expect(rows[0]).toHaveLength(german[0]!.length);
      const passage = rows[0]!.indexOf("Passage");
      expect(passage).toBe(german[0]!.indexOf("Passage"));
      expect(rows.slice(1).some((r) => r[passage]!.includes(","))).toBe(true);
      // the same fields, but for the codes' labels (in the reader's language)
      const codesColumn = german[0]!.indexOf("Code");
      const withoutCodes = (r: string[]) => r.filter((_, i) => i !== codesColumn);
      expect(rows.slice(1).map(withoutCodes)).toEqual(german.slice(1).map(withoutCodes));
    } finally {
      researcher.cookies.delete("lw_lang");
    }
  });

  it("DOCX holds every expected passage and the filter summary", async () => {
    const res = await researcher.get(`/segments.docx?code=${codes.get("X.FAM")}&sub=0&redact=0`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/\.docx"/);
    const buffer = Buffer.from(await res.arrayBuffer());
    const text = (await mammoth.extractRawText({ buffer })).value;
    // the quotes are German: Word spell-checks them so
    expect((await docxLanguages(buffer)).default).toBe("de-DE");
    const expected = loaded.filter((c) => c.code === "X.FAM" && c.analysable);
    expect(expected.length).toBeGreaterThan(2);
    for (const c of expected) expect(text).toContain(c.quote);
    expect(text).toContain("X.FAM");
    expect(text).toContain(`${expected.length} von ${expected.length} Segmenten`);
    // one numbered block per segment
    expect(text.match(/^\d+\. INT-2025-\d{4}/gm)?.length).toBe(expected.length);
  });

  it("CSV and DOCX replace identifying details by default: the passages keep their words, redact=0 keeps the text", async () => {
    const secrets = ["int-01", "int-02", "int-03"].flatMap((f) => planted(f).map((p) => p.text));
    const query = `code=${codes.get("X.FAM")}&code=${codes.get("X.FLU")}&code=${codes.get("STR.ARB")}&sub=0`;
    const kept = await bodyText(await researcher.get(`/segments.csv?${query}&redact=0`));
    const keptEntry = await server.db.auditLog.findFirst({ where: { action: "coding.export", username: "forschung" }, orderBy: { id: "desc" } });
    const csv = await researcher.get(`/segments.csv?${query}`);
    expect(csv.status).toBe(200);
    const replaced = await bodyText(csv);
    const replacedEntry = await server.db.auditLog.findFirst({ where: { action: "coding.export", username: "forschung" }, orderBy: { id: "desc" } });
    expect(secrets.filter((s) => kept.includes(s)).length).toBeGreaterThan(3);
    expect(secrets.filter((s) => replaced.includes(s))).toEqual([]);
    expect(replaced).toContain("[Name]");
    const [head, ...keptRows] = parseCsv(kept);
    const replacedRows = parseCsv(replaced).slice(1);
    expect(replacedRows.length).toBe(keptRows.length);
    const passage = head!.indexOf("Passage");
    let changed = 0;
    keptRows.forEach((row, i) => {
      expect(coversSameWords(row[passage]!, replacedRows[i]![passage]!), `"${row[passage]}" -> "${replacedRows[i]![passage]}"`).toBe(true);
      if (row[passage] !== replacedRows[i]![passage]) changed++;
    });
    expect(changed).toBeGreaterThan(2);
    expect(JSON.parse(keptEntry!.detail!)).toMatchObject({ format: "csv", identifying: "kept" });
    expect(JSON.parse(replacedEntry!.detail!)).toMatchObject({ format: "csv", identifying: "replaced" });

    const docx = async (q: string) => (await mammoth.extractRawText({ buffer: Buffer.from(await (await researcher.get(`/segments.docx?${q}`)).arrayBuffer()) })).value;
    const keptDocx = await docx(`${query}&redact=0`);
    const replacedDocx = await docx(query);
    expect(secrets.filter((s) => keptDocx.includes(s)).length).toBeGreaterThan(3);
    expect(secrets.filter((s) => replacedDocx.includes(s))).toEqual([]);
    expect(replacedDocx).toContain("[Name]");
  });

  it("CSV and DOCX name no speaker by a label, give month and year of the interview, and say they are pseudonymized", async () => {
    const transcript = await server.db.transcript.findFirstOrThrow({ where: { interview: { code: DEMO_INTERVIEWS[1]!.code } }, select: { id: true } });
    // int-02's interviewee labelled with a name planted in the fixture, as noScribe and MAXQDA users label turns
    const renamed = await server.db.transcriptParagraph.updateMany({ where: { transcriptId: transcript.id, speaker: "B" }, data: { speaker: "Filmon" } });
    try {
      expect(renamed.count).toBeGreaterThan(5);
      const kept = parseCsv(await bodyText(await researcher.get("/segments.csv?redact=0")));
      const replacedCsv = await researcher.get("/segments.csv");
      // The header is the first row, as scripts read it; the file name says the text is pseudonymized.
      expect(replacedCsv.headers.get("content-disposition")).toMatch(/^attachment; filename="codierte-segmente-pseudonymisiert-\d{4}-\d{2}-\d{2}\.csv"$/);
      const [head, ...rows] = parseCsv(await bodyText(replacedCsv));
      const col = (name: string) => head!.indexOf(name);
      expect(head).toEqual(kept[0]);
      expect(head![0]).toBe("Interview");
      expect(rows.flat().filter((f) => f.startsWith("Pseudonymisiert"))).toEqual([]);
      expect(rows.length).toBe(kept.length - 1);
      // with the option off, the name stands in the speaker column and before turns inside passages
      expect(kept.slice(1).filter((r) => r[col("Sprecher/in")]!.includes("Filmon")).length).toBeGreaterThan(3);
      expect(kept.slice(1).some((r) => r[col("Passage")]!.includes("\nFilmon:"))).toBe(true);
      expect(rows.flat().filter((f) => f.includes("Filmon"))).toEqual([]);
      expect(rows.filter((r) => r[col("Sprecher/in")]!.split(", ").includes("P1")).length).toBeGreaterThan(3);
      expect(rows.some((r) => r[col("Passage")]!.includes("\nP1:"))).toBe(true);
      // the interview date as month and year, offsets into the original text left empty
      expect(kept.slice(1).map((r) => r[col("Datum")])).toContain(DEMO_INTERVIEWS[1]!.date);
      for (const r of rows) {
        expect(r[col("Datum")]).toMatch(/^\d{4}-\d{2}$/);
        expect([r[col("Beginn (Zeichen)")], r[col("Ende (Zeichen)")]]).toEqual(["", ""]);
      }

      const docx = async (q: string) => (await mammoth.extractRawText({ buffer: Buffer.from(await (await researcher.get(`/segments.docx${q}`)).arrayBuffer()) })).value;
      const keptDocx = await docx("?redact=0");
      const replacedDocx = await docx("");
      expect(keptDocx).toContain("Filmon");
      expect(keptDocx).not.toContain("Pseudonymisiert");
      expect(replacedDocx).not.toContain("Filmon");
      expect(replacedDocx).toContain("P1");
      expect(replacedDocx).toMatch(/^Codierte Segmente\s+Pseudonymisiert: Identitätsangaben/);
    } finally {
      await server.db.transcriptParagraph.updateMany({ where: { transcriptId: transcript.id, speaker: "Filmon" }, data: { speaker: "B" } });
    }
  });

  it("the pseudonymized DOCX names the filters as its body would: a small municipality replaced, no free value from the address", async () => {
    const docx = async (query: URLSearchParams) => (await mammoth.extractRawText({ buffer: Buffer.from(await (await researcher.get(`/segments.docx?${query}`)).arrayBuffer()) })).value;
    const summary = (text: string) => text.split("\n").find((line) => line.startsWith("Alle Codes") || line.startsWith("Codes:"))!;
    // Rasha's case lives in Fröhnd (fewer than 2,000 inhabitants), which the body writes as "[Gemeinde im Landkreis]".
    const froehnd = await server.db.municipality.findUniqueOrThrow({ where: { ags: FIXTURE_PERSONS[0]!.ags }, select: { id: true, name: true, population: true } });
    const loerrach = await server.db.municipality.findUniqueOrThrow({ where: { ags: "08336050" }, select: { id: true, name: true } });
    expect(froehnd.population).toBeLessThan(SMALL_MUNICIPALITY_MAX_POPULATION);
    const places = new URLSearchParams([["municipality", froehnd.id], ["municipality", loerrach.id], ["interview", DEMO_INTERVIEWS[0]!.code], ["speaker", "B"]]);
    expect(summary(await docx(new URLSearchParams([...places, ["redact", "0"]])))).toContain(`Gemeinde: ${froehnd.name}, ${loerrach.name}`);
    const replaced = await docx(places);
    expect(replaced).not.toContain(froehnd.name);
    // what names no one stays: a large town, an interview code, a role label
    expect(summary(replaced)).toBe(`Alle Codes · Gemeinde: [Gemeinde im Landkreis], ${loerrach.name} · Interview: ${DEMO_INTERVIEWS[0]!.code} · Sprecherkürzel: B`);

    // Hand-made addresses with the fixture's planted identity strings in every filter that prints what it is given.
    for (const secret of planted("int-01").map((p) => p.text)) {
      const query = new URLSearchParams({ speaker: secret, interview: secret, "i.S.AUFST": secret, "i.P.GESCHL": secret });
      const shown = Array.from(secret).slice(0, 16).join(""); // as long as a speaker label can be
      expect(summary(await docx(new URLSearchParams([...query, ["redact", "0"]]))), secret).toContain(shown);
      const text = await docx(query);
      expect(text, secret).not.toContain(shown);
      expect(summary(text)).toBe("Alle Codes · Geschlecht: [ersetzt] · Aufenthaltsstatus: [ersetzt] · Interview: [ersetzt] · Sprecherkürzel: [ersetzt]");
    }
  });

  it("refuses a redact value other than 0 or 1 with a clear message", async () => {
    const res = await researcher.get(`/segments.csv?code=${codes.get("X.FAM")}&redact=nein`);
    expect(res.status).toBe(400);
    // In the reader's language (German here), through the resource routes' refusal wrapper.
    expect(await res.text()).toBe("Die Angaben in der Adresse sind ungültig.");
  });

  it("the matrix shows exact counts per case for researchers", async () => {
    const res = await researcher.get("/segments/matrix?rows=case&level=dimension");
    const html = await res.text();
    expect(res.status).toBe(200);
    for (const p of FIXTURE_PERSONS.slice(0, 3)) expect(html).toContain(p.pseudonym);
    expect(html).toContain('role="img"');
  });
});

describe("memos on coded segments", () => {
  it("a coding's memo stands with its segment on the page, on its coding's row of the CSV and under the segment in the DOCX, replaced like the passage; not without analysis consent", async () => {
    const interview = await server.db.interview.findUniqueOrThrow({ where: { code: DEMO_INTERVIEWS[0]!.code }, select: { id: true } });
    const coding = await server.db.coding.findFirstOrThrow({ where: { interviewId: interview.id, codeId: codes.get("X.FAM") }, orderBy: { start: "asc" }, select: { id: true, quote: true } });
    const author = await server.db.user.findUniqueOrThrow({ where: { username: "forschung" }, select: { id: true } });
    // Names planted in int-01 (the person and her husband), as a researcher writes them in a memo.
    const [person, relative] = [planted("int-01").find((p) => p.category === "name_person")!.text, planted("int-01").find((p) => p.category === "name_relative")!.text];
    const memo = await server.db.memo.create({
      data: { type: "case", title: `Familie von ${person}`, contentJson: "{}", contentHtml: "", contentText: `${person} spricht oft von ${relative}.\nZweite Zeile des Memos.`, codingId: coding.id, interviewId: interview.id, authorId: author.id },
      select: { id: true },
    });
    const consent = await server.db.consentRecord.findFirstOrThrow({ where: { interviewId: interview.id, current: true }, select: { id: true } });
    const query = `code=${codes.get("X.FAM")}&sub=0`;
    const csvRows = async (q: string) => parseCsv(await bodyText(await researcher.get(`/segments.csv?${q}`)));
    const docx = async (q: string) => (await mammoth.extractRawText({ buffer: Buffer.from(await (await researcher.get(`/segments.docx?${q}`)).arrayBuffer()) })).value;
    try {
      const html = (await (await researcher.get(`/segments?${query}`)).text()).replace(/<!-- -->/g, "");
      expect(html).toContain(`<span class="muted">Memo:</span> <a data-discover="true" href="/memos/${memo.id}">Familie von ${person}</a>`);
      expect(html).toContain(`${person} spricht oft von ${relative}.\nZweite Zeile des Memos.`);
      // shown memo text is a memo read (ADR 0016)
      expect(await server.db.auditLog.count({ where: { action: "memo.view", entityId: memo.id, username: "forschung" } })).toBe(1);

      const [head, ...rows] = await csvRows(`${query}&redact=0`);
      const memos = head!.indexOf("Memos");
      expect(memos).toBeGreaterThan(0);
      const passage = head!.indexOf("Passage");
      const withMemo = rows.filter((r) => r[memos] !== "");
      expect(withMemo.map((r) => [r[passage], r[memos]])).toEqual([[coding.quote, `Familie von ${person}\n${person} spricht oft von ${relative}.\nZweite Zeile des Memos.`]]);
      const exported = await server.db.auditLog.findFirstOrThrow({ where: { action: "coding.export", username: "forschung" }, orderBy: { id: "desc" } });
      expect(JSON.parse(exported.detail!)).toMatchObject({ format: "csv", memos: 1, identifying: "kept" });

      // "Identitätsangaben ersetzen" (the default): the memo's title and text go through the same replacement.
      const [, ...replacedRows] = await csvRows(query);
      const replacedMemo = replacedRows.map((r) => r[memos]!).filter(Boolean);
      expect(replacedMemo).toHaveLength(1);
      expect(replacedMemo[0]).not.toContain(person);
      expect(replacedMemo[0]).not.toContain(relative);
      expect(replacedMemo[0]).toMatch(/^Familie von \[Name\]\n\[Name\] spricht oft von \[Name\]\.\nZweite Zeile des Memos\.$/);

      const keptDocx = await docx(`${query}&redact=0`);
      // one paragraph under the segment (mammoth's raw text leaves out the line breaks inside it)
      expect(keptDocx).toContain(`Memo: Familie von ${person}${person} spricht oft von ${relative}.Zweite Zeile des Memos.\n`);
      const replacedDocx = await docx(query);
      expect(replacedDocx).toContain("Memo: Familie von [Name][Name] spricht oft von [Name].Zweite Zeile des Memos.\n");
      expect(replacedDocx).not.toContain(person);
      expect(replacedDocx).not.toContain(relative);

      // Without the analysis scope the interview's segments, and with them the memo, are not retrieved at all.
      await server.db.consentRecord.update({ where: { id: consent.id }, data: { scopeAnalysis: false } });
      expect(await (await researcher.get(`/segments?${query}`)).text()).not.toContain(`/memos/${memo.id}`);
      expect((await csvRows(`${query}&redact=0`)).flat().some((f) => f.includes("Zweite Zeile des Memos"))).toBe(false);
      expect(await docx(`${query}&redact=0`)).not.toContain("Zweite Zeile des Memos");
    } finally {
      await server.db.consentRecord.update({ where: { id: consent.id }, data: { scopeAnalysis: true } });
      await server.db.memo.delete({ where: { id: memo.id } });
    }
  });
});

describe("commissioner statistics", () => {
  it("publishes no count from 1 to 4, no pseudonym and no case id, in the page or the CSV", async () => {
    const html = await (await commissioner.get("/statistics")).text();
    const csv = await bodyText(await commissioner.get("/statistics.csv"));
    const caseIds = (await server.db.case.findMany({ select: { id: true } })).map((c) => c.id);
    for (const body of [html, csv]) {
      expect(body).not.toMatch(/LOE-\d{4}-\d{4}/);
      for (const id of caseIds) expect(body).not.toContain(id);
    }
    const rows = parseCsv(csv);
    const values = rows.flatMap((r) => r.slice(1)).filter((v) => /^\d+$/.test(v)).map(Number);
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter((v) => v > 0 && v < 5)).toEqual([]);
    expect(rows.flat()).toContain(".");
    // the district total of the active-case tables is the number of active cases, perturbed by at most 2 (ADR 0021)
    const active = await server.db.case.count({ where: { status: "active" } });
    const germanTitle = rows.findIndex((r) => r[0] === "Deutschniveau nach Jahr der Ankunft");
    const districtRow = rows.slice(germanTitle).find((r) => r[0] === "Landkreis")!;
    expect(Math.abs(Number(districtRow.at(-1)) - active)).toBeLessThanOrEqual(2);
    expect(rows.at(-1)![0]).toMatch(/^Werte leicht verändert \(Überlagerung nach der Cell-Key-Methode, max\. ±2\)/);
  });

  it("a single table's CSV, and 404 for an unknown one", async () => {
    const res = await commissioner.get("/statistics.csv?table=residence-by-group");
    const rows = parseCsv(await bodyText(res));
    expect(rows[0]).toEqual(["Aufenthaltsstatus nach Gruppe"]);
    expect(rows[1]).toEqual(["Aufenthaltsstatus", "Geflüchtete", "EU-Zugewanderte", "Sonstige Zugewanderte", "Summe"]);
    // title, header, 8 statuses, the district; a blank row and the note on perturbation
    expect(rows.length).toBe(2 + 8 + 1 + 2);
    const missing = await commissioner.get("/statistics.csv?table=nationality-by-municipality");
    await missing.body?.cancel();
    expect(missing.status).toBe(404);
  });
});
