// The administration pages through the real HTTP server: what a browser gets.
import { afterAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { createTestUser, startAppServer } from "../../tests/support/app-server.ts";
import { parseCsv } from "../statistics/test-support.ts";
import { journalWithdrawal } from "../withdrawal/journal.server.ts";

const server = await startAppServer({ seed: { cases: 10 } });
afterAll(() => server.stop());
const admin = await server.loginAs("admin");
// The log links what its reader may open; the admin role alone opens no cases, interviews or transcripts (ADR 0003).
// An admin who also does research and casework in every municipality sees those links.
const ALL_ROLES_PASSWORD = "Alle-Rollen-2025!";
const allMunicipalities = await server.db.municipality.findMany({ select: { id: true } });
await createTestUser(server.db, "admin.alle.rollen", ALL_ROLES_PASSWORD, ["admin", "researcher", "integration_manager"], allMunicipalities.map((m) => m.id));
const allRoles = async (lang?: "en") => {
  const client = await server.loginAs("admin.alle.rollen", { password: ALL_ROLES_PASSWORD });
  if (lang) client.cookies.set("lw_lang", lang);
  return client;
};

describe("admin pages over HTTP", () => {
  it("render for an admin", async () => {
    const user = await server.db.user.findUniqueOrThrow({ where: { username: "im.weil" } });
    const indicator = await server.db.indicatorDefinition.findUniqueOrThrow({ where: { code: "S.DTNIV" } });
    for (const [path, heading] of [
      ["/admin", "Verwaltung"],
      ["/admin/users?role=integration_manager&status=active", "Benutzer"],
      ["/admin/users/new", "Neuer Benutzer"],
      [`/admin/users/${user.id}`, "Malik Weil (IM)"],
      ["/admin/municipalities?rename=x", "Gemeinden"],
      ["/admin/indicators", "Indikatoren"],
      [`/admin/indicators/${indicator.id}`, "S.DTNIV"],
      ["/admin/audit?action=login&from=2020-01-01", "Protokoll"],
    ] as const) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain(`<h1>${heading}`);
    }
  });

  it("the overview says when the last backup was taken and what the withdrawal journal holds", async () => {
    const page = async () => (await (await admin.get("/admin")).text()).replace(/<!-- -->/g, "");
    const journal = process.env.WITHDRAWAL_JOURNAL!;
    fs.rmSync(journal, { force: true });
    // PostgreSQL is backed up with its own tools, which leave nothing here to show.
    const onPostgres = process.env.DATABASE_URL!.startsWith("postgres");
    const noBackup = onPostgres ? "PostgreSQL wird mit den eigenen Werkzeugen der Datenbank gesichert" : "Es ist noch keine Sicherung erfasst.";
    let html = await page();
    expect(html).toContain(noBackup);
    expect(html).toContain(`Das Widerrufsprotokoll ${journal} fehlt`);

    // What npm run backup and a withdrawal leave behind (both tested in tests/backup).
    await server.db.auditLog.create({ data: { action: "backup.create", entity: "backup", at: new Date("2026-11-30T05:00:00Z"), detail: JSON.stringify({ complete: true }) } });
    journalWithdrawal({ withdrawalId: "w1", interviewId: "i1", caseId: null, scope: "whole", parts: ["interview"], requestedAt: "2026-11-30T09:30:00.000Z", createdById: null }, journal);
    html = await page();
    expect(html).toContain(onPostgres ? noBackup : "Letzte Sicherung: 30.11.2026, 06:00, vollständig.");
    expect(html).toContain(`Widerrufsprotokoll ${journal}: 1 Widerruf, der letzte vom 30.11.2026, 10:30.`);
    expect(html).not.toContain("liegt im Ordner der Datenbank");
    if (onPostgres) return;

    // An incomplete backup after it is the last one.
    await server.db.auditLog.create({ data: { action: "backup.create", entity: "backup", at: new Date("2026-11-30T06:00:00Z"), detail: JSON.stringify({ complete: false }) } });
    expect(await page()).toContain("Letzte Sicherung: 30.11.2026, 07:00, unvollständig (fehlende oder abweichende Dateien).");
  });

  it("sends the audit CSV as a download, not a page", async () => {
    const res = await admin.get("/admin/audit.csv?action=login.");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split("\r\n");
    expect(lines[0]).toBe("Nr.;Zeitpunkt (UTC);Benutzer;Benutzer-ID;Aktion;Aktion (Beschreibung);Objektart;Objekt-ID;Details;Details (Beschreibung);IP-Adresse");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.split(";")[4]!.startsWith("login."))).toBe(true);
    expect(lines.slice(1).map((l) => l.split(";").slice(4, 6))).toContainEqual(["login.success", "Angemeldet"]);
  });

  it("names each audit action and object kind in the reader's language, beside the action's code", async () => {
    const german = await (await admin.get("/admin/audit?action=login.success")).text();
    expect(german).toMatch(/<td>Angemeldet<br\/><code class="muted">login\.success<\/code><\/td><td>Benutzer<\/td>/);
    expect(german).toContain('<option value="user.role.grant" label="Rolle vergeben">');
    const englishReader = await server.loginAs("admin");
    englishReader.cookies.set("lw_lang", "en");
    const english = await (await englishReader.get("/admin/audit?action=login.success")).text();
    expect(english).toMatch(/<td>Signed in<br\/><code class="muted">login\.success<\/code><\/td><td>User<\/td>/);
    expect(english).toContain('<option value="case">Case</option>');
  });

  it("shows each entry's details as labelled lines in the reader's language, naming cases, interviews and users; the CSV keeps the JSON", async () => {
    const kase = await server.db.case.findFirstOrThrow({ select: { id: true, pseudonym: true } });
    const interview = await server.db.interview.create({ data: { code: "INT-2024-0901", caseId: kase.id, date: new Date("2024-05-02T00:00:00Z"), placeType: "office", languages: '["de"]' } });
    const researcher = await server.db.user.findFirstOrThrow({ where: { roles: { some: { role: "researcher" } } }, select: { id: true, username: true } });
    const details = [
      { action: "interview.create", entity: "interview", entityId: interview.id, detail: { code: interview.code, caseId: kase.id } },
      { action: "consent.record", entity: "interview", entityId: interview.id, detail: { version: 2, scopes: ["recording", "transcription"], reason: null } },
      // An interview a withdrawal erased: the log keeps its id, the database no longer knows it.
      { action: "transcript.save", entity: "transcript", entityId: "erased-transcript", detail: { interviewId: "erased-interview", restored: false } },
      { action: "recording.play", entity: "recording", entityId: "a-recording", detail: { interviewId: interview.id } },
      { action: "audit.view", entity: "audit", entityId: null, detail: { filter: { user: researcher.username, from: "2024-01-01" }, page: 1, userId: researcher.id, mystery: 4200 } },
    ];
    for (const d of details) await server.db.auditLog.create({ data: { username: "detail.check", ...d, detail: JSON.stringify(d.detail) } });
    const cells = async (client: typeof admin) => {
      const html = (await (await client.get("/admin/audit?user=detail.check")).text()).replace(/<!-- -->| data-discover="true"/g, "");
      return [...html.matchAll(/<td class="detail">(.*?)<\/td>/g)].map((m) => m[1]!).reverse(); // newest first on the page
    };

    const german = await cells(await allRoles());
    expect(german).toHaveLength(5);
    expect(german.join("")).not.toMatch(/[{}]|&quot;/);
    expect(german[0]).toBe(`<ul class="audit-detail"><li><span class="label">Code:</span> INT-2024-0901</li><li><span class="label">Fall:</span> <a href="/cases/${kase.id}">${kase.pseudonym}</a></li></ul>`);
    expect(german[1]).toBe(
      '<ul class="audit-detail"><li><span class="label">Version:</span> 2</li><li><span class="label">Bereiche der Einwilligung:</span> <ul class="audit-detail-list"><li>Aufnahme (Audio/Video)</li><li>Transkription</li></ul></li><li><span class="label">Grund:</span> –</li></ul>',
    );
    expect(german[2]).toBe('<ul class="audit-detail"><li><span class="label">Interview:</span> <code>erased-interview</code> <span class="muted">(nicht mehr vorhanden)</span></li><li><span class="label">Wiederhergestellt:</span> Nein</li></ul>');
    expect(german[3]).toBe(`<ul class="audit-detail"><li><span class="label">Interview:</span> <a href="/interviews/${interview.id}">INT-2024-0901</a></li></ul>`);
    expect(german[4]).toContain(`<span class="label">Filter:</span> <ul class="audit-detail"><li><span class="label">Benutzer:</span> ${researcher.username}</li><li><span class="label">Von:</span> 2024-01-01</li></ul>`);
    expect(german[4]).toContain(`<li><span class="label">Benutzer:</span> <a href="/admin/users/${researcher.id}">${researcher.username}</a></li><li><code class="label">mystery:</code> 4.200</li>`);

    const english = await cells(await allRoles("en"));
    expect(english[0]).toContain(`<span class="label">Case:</span> <a href="/cases/${kase.id}">${kase.pseudonym}</a>`);
    expect(english[1]).toContain('<span class="label">Consent scopes:</span> <ul class="audit-detail-list"><li>Recording (audio/video)</li><li>Transcription</li>');
    expect(english[2]).toContain('<span class="muted">(no longer exists)</span></li><li><span class="label">Restored:</span> No</li>');
    expect(english[4]).toContain('<span class="label">From:</span> 2024-01-01');
    expect(english[4]).toContain('<code class="label">mystery:</code> 4,200');

    // The export stays machine-readable: the stored JSON in its own column, beside the description.
    const csv = await (await admin.get("/admin/audit.csv?user=detail.check")).text();
    expect(parseCsv(csv.trim()).slice(1).map((cells) => cells[8])).toEqual(details.map((d) => JSON.stringify(d.detail)).reverse());
  });

  it("names codes in the reader's language: the codebook's English name for English readers, the German one where it has none", async () => {
    const code = await server.db.code.findFirstOrThrow({ where: { key: "KUL.SPR" }, select: { id: true, name: true, nameEn: true } });
    expect(code.nameEn).toBeTruthy();
    const germanOnly = await server.db.code.create({ data: { name: "Nur deutsch benannt", colour: "#336699" } });
    const rows = [
      { action: "coding.apply", entity: "coding", detail: { interviewId: "i-1", codingIds: ["c-1"], codeIds: [code.id, germanOnly.id], start: 0, end: 4 } },
      { action: "coding.autocode", entity: "coding", detail: { codeId: code.id, unit: "sentence", passages: 1 } },
    ];
    for (const r of rows) await server.db.auditLog.create({ data: { username: "code.names", ...r, detail: JSON.stringify(r.detail) } });
    const details = async (client: typeof admin) => {
      const html = (await (await client.get("/admin/audit?user=code.names")).text()).replace(/<!-- -->| data-discover="true"/g, "");
      return [...html.matchAll(/<td class="detail">(.*?)<\/td>/g)].map((m) => m[1]!).reverse();
    };
    const link = (id: string, text: string) => `<a href="/codebook/${id}">${text}</a>`;
    const de = await details(admin);
    expect(de[0]).toContain(`<ul class="audit-detail-list"><li>${link(code.id, `KUL.SPR ${code.name}`)}</li><li>${link(germanOnly.id, "Nur deutsch benannt")}</li></ul>`);
    expect(de[1]).toContain(`<span class="label">Code:</span> ${link(code.id, `KUL.SPR ${code.name}`)}</li>`);
    const englishReader = await server.loginAs("admin");
    englishReader.cookies.set("lw_lang", "en");
    const en = await details(englishReader);
    expect(en[0]).toContain(`<ul class="audit-detail-list"><li>${link(code.id, `KUL.SPR ${code.nameEn}`)}</li><li>${link(germanOnly.id, "Nur deutsch benannt")}</li></ul>`);
    expect(en[1]).toContain(`<span class="label">Code:</span> ${link(code.id, `KUL.SPR ${code.nameEn}`)}</li>`);
  });

  it("names memo kinds and targets as the memo pages do, reads stored filters by their labels and names, and says the times' zone", async () => {
    const code = await server.db.code.findFirstOrThrow({ where: { key: "KUL.SPR" }, select: { id: true, name: true, nameEn: true } });
    const municipality = await server.db.municipality.findFirstOrThrow({ select: { id: true, name: true } });
    const researcher = await server.db.user.findFirstOrThrow({ where: { roles: { some: { role: "researcher" } } }, select: { id: true, username: true } });
    const kase = await server.db.case.findFirstOrThrow({ select: { id: true, pseudonym: true } });
    const segmentFilters = new URLSearchParams([["code", code.id], ["code", "gone-code"], ["sub", "0"], ["municipality", municipality.id], ["speaker", "interviewee"], ["i.S.DTNIV", "B1"]]).toString();
    const rows = [
      { action: "memo.create", entity: "memo", detail: { type: "method", target: "project" } },
      { action: "coding.retrieve", entity: "coding", detail: { filters: segmentFilters, page: 1, total: 3 } },
      { action: "memo.export", entity: "memo", detail: { format: "docx", filters: `type=theory&target=case&author=${researcher.id}`, rows: 2 } },
      { action: "memo.view", entity: "memo", detail: { target: `caseId=${kase.id}` } },
    ];
    for (const r of rows) await server.db.auditLog.create({ data: { username: "filter.check", ...r, at: new Date("2026-11-30T20:13:42Z"), detail: JSON.stringify(r.detail) } });
    const page = async (client: typeof admin) => (await (await client.get("/admin/audit?user=filter.check")).text()).replace(/<!-- -->| data-discover="true"/g, "");
    const details = (html: string) => [...html.matchAll(/<td class="detail">(.*?)<\/td>/g)].map((m) => m[1]!).reverse();
    const codeLink = (name: string) => `<a href="/codebook/${code.id}">KUL.SPR ${name}</a>`;
    const deHtml = await page(await allRoles());
    const de = details(deHtml);
    expect(de[0]).toBe('<ul class="audit-detail"><li><span class="label">Typ:</span> Methode</li><li><span class="label">Bezug:</span> Projekt-Memo</li></ul>');
    expect(de[1]).toContain(
      `<span class="label">Filter:</span> <ul class="audit-detail"><li><span class="label">Codes:</span> <ul class="audit-detail-list"><li>${codeLink(code.name)}</li><li><code>gone-code</code> <span class="muted">(nicht mehr vorhanden)</span></li></ul></li>` +
        `<li><span class="label">Untercodes einbeziehen:</span> Nein</li><li><span class="label">Gemeinde:</span> ${municipality.name}</li><li><span class="label">Sprecher/in:</span> Befragte Person</li><li><code class="label">i.S.DTNIV:</code> B1</li></ul>`,
    );
    expect(de[2]).toContain(`<li><span class="label">Art des Memos:</span> Theorie</li><li><span class="label">Bezug:</span> Fall</li><li><span class="label">Verfasser:in:</span> <a href="/admin/users/${researcher.id}">${researcher.username}</a></li>`);
    expect(de[3]).toBe(`<ul class="audit-detail"><li><span class="label">Bezug:</span> <ul class="audit-detail"><li><span class="label">Fall:</span> <a href="/cases/${kase.id}">${kase.pseudonym}</a></li></ul></li></ul>`);
    expect(de.join("")).not.toMatch(/\w=\w|&amp;|interviewee|>method<|>project</);
    // The page shows Berlin time, the CSV UTC: each says so.
    expect(deHtml).toContain('<th scope="col">Zeitpunkt (MEZ/MESZ)</th>');
    expect(deHtml).toContain('<time dateTime="2026-11-30T20:13:42.000Z">30.11.2026, 21:13</time>');

    const englishReader = await server.loginAs("admin");
    englishReader.cookies.set("lw_lang", "en");
    const enHtml = await page(englishReader);
    const en = details(enHtml);
    expect(en[0]).toBe('<ul class="audit-detail"><li><span class="label">Type:</span> Method</li><li><span class="label">Target:</span> Project memo</li></ul>');
    expect(en[1]).toContain(`<li><span class="label">Codes:</span> <ul class="audit-detail-list"><li>${codeLink(code.nameEn!)}</li>`);
    expect(en[1]).toContain('<li><span class="label">Include sub-codes:</span> No</li>');
    expect(en[1]).toContain('<li><span class="label">Speaker:</span> Interviewee</li>');
    expect(en[2]).toContain('<li><span class="label">Kind of memo:</span> Theory</li><li><span class="label">About:</span> Case</li>');
    expect(enHtml).toContain('<th scope="col">Time (Berlin, CET/CEST)</th>');
    const csv = await (await englishReader.get("/admin/audit.csv?user=filter.check")).text();
    expect(csv.split("\r\n")[0]).toBe("No.,Time (UTC),User,User ID,Action,Action (description),Entity,Entity ID,Details,Details (description),IP address");
    // The export keeps the stored query strings for machines.
    expect(csv).toContain(segmentFilters);
  });

  it("says when 'from' is later than 'to' instead of silently showing nothing; the table scrolls by keyboard", async () => {
    const html = (await (await admin.get("/admin/audit?from=2025-03-10&to=2025-03-01")).text()).replace(/<!-- -->/g, "");
    expect(html).toContain('<div class="form-error" role="alert">„Von“ (2025-03-10) liegt nach „Bis“ (2025-03-01): In diesem Zeitraum kann es keine Einträge geben.');
    // The dates stay in the form to be corrected.
    expect(html).toContain('name="from" type="date" value="2025-03-10"');
    expect(html).toContain('<div class="table-wrap" tabindex="0" role="region" aria-label="Tabelle: Protokolleinträge">');
    expect(await (await admin.get("/admin/audit?from=2025-03-01&to=2025-03-10")).text()).not.toContain("liegt nach");
  });

  it("names each entry's object like its details (pseudonym, code, username; links the reader may open) and labels codes and counts", async () => {
    const kase = await server.db.case.findFirstOrThrow({ select: { id: true, pseudonym: true } });
    const interview = await server.db.interview.create({ data: { code: "INT-2024-0902", caseId: kase.id, date: new Date("2024-05-02T00:00:00Z"), placeType: "office", languages: '["de"]' } });
    const transcript = await server.db.transcript.create({ data: { interviewId: interview.id, source: "manual" } });
    const [parent, child] = [await server.db.code.create({ data: { name: "Ankommen", colour: "#336699" } }), await server.db.code.create({ data: { name: "Wohnung", colour: "#336699" } })];
    const narrative = await server.db.narrative.create({ data: { caseId: kase.id, title: "Titel mit Personenbezug" } });
    const memo = await server.db.memo.create({ data: { type: "theory", title: "Memo-Titel", contentJson: "{}", contentHtml: "", contentText: "", interviewId: interview.id } });
    const researcher = await server.db.user.findFirstOrThrow({ where: { roles: { some: { role: "researcher" } } }, select: { id: true, username: true } });
    const rows = [
      { action: "case.view", entity: "case", entityId: kase.id, detail: { access: "own" } },
      { action: "user.role.grant", entity: "user", entityId: researcher.id, detail: { role: "researcher" } },
      { action: "interview.view", entity: "interview", entityId: interview.id },
      { action: "transcript.view", entity: "transcript", entityId: transcript.id, detail: { interviewId: interview.id } },
      { action: "code.move", entity: "code", entityId: child.id, detail: { key: null, from: null, to: parent.id, position: 0 } },
      { action: "narrative.view", entity: "narrative", entityId: narrative.id, detail: { released: true } },
      { action: "memo.view", entity: "memo", entityId: memo.id },
      { action: "withdrawal.start", entity: "interview", entityId: "erased-interview-2", detail: { withdrawalId: "w-1", scope: "partial", parts: ["recording", "consent_documents"], scopesWithdrawn: ["recording"] } },
      { action: "withdrawal.complete", entity: "interview", entityId: "erased-interview-2", detail: { withdrawalId: "w-1", scope: "whole", erased: { codings: { codings: 34 }, transcription: { stoppedJobs: 0 } } } },
      { action: "consent.record", entity: "interview", entityId: interview.id, detail: { version: 3, scopes: [], reason: "withdrawal" } },
      { action: "refi.export", entity: "refi", entityId: null, detail: { identifying: "replaced", audio: 1, skipped: [] } },
    ];
    for (const r of rows) await server.db.auditLog.create({ data: { username: "entity.check", ...r, detail: r.detail ? JSON.stringify(r.detail) : null } });
    const table = async (client: typeof admin) => {
      const html = (await (await client.get("/admin/audit?user=entity.check")).text()).replace(/<!-- -->| data-discover="true"/g, "");
      const cells = [...html.matchAll(/<tr><th scope="row">.*?<\/tr>/g)].map((m) => [...m[0].matchAll(/<td(?: class="detail")?>(.*?)<\/td>/g)].map((c) => c[1]!));
      return cells.reverse().map((c) => ({ object: c[3]!, detail: c[4]! }));
    };
    const de = await table(await allRoles());
    expect(de.map((r) => r.object)).toEqual([
      `<a href="/cases/${kase.id}">${kase.pseudonym}</a>`,
      `<a href="/admin/users/${researcher.id}">${researcher.username}</a>`,
      `<a href="/interviews/${interview.id}">INT-2024-0902</a>`,
      `<a href="/interviews/${interview.id}/transcript">Transkript von INT-2024-0902</a>`,
      `<a href="/codebook/${child.id}">Wohnung</a>`,
      `<a href="/narratives/${narrative.id}">Narrativ zu ${kase.pseudonym}</a>`,
      `<a href="/memos/${memo.id}">Memo zu INT-2024-0902</a>`,
      '<code>erased-interview-2</code> <span class="muted">(nicht mehr vorhanden)</span>',
      '<code>erased-interview-2</code> <span class="muted">(nicht mehr vorhanden)</span>',
      `<a href="/interviews/${interview.id}">INT-2024-0902</a>`,
      "–",
    ]);
    // A title is free text about a person: not shown.
    expect(de.map((r) => r.object + r.detail).join("")).not.toMatch(/Personenbezug|Memo-Titel/);
    expect(de[0]!.detail).toBe('<ul class="audit-detail"><li><span class="label">Zugriff:</span> eigene Gemeinden</li></ul>');
    expect(de[4]!.detail).toContain(`<li><span class="label">Bis:</span> <a href="/codebook/${parent.id}">Ankommen</a></li>`);
    expect(de[5]!.detail).toBe('<ul class="audit-detail"><li><span class="label">Freigegeben:</span> Ja</li></ul>');
    expect(de[7]!.detail).toBe(
      '<ul class="audit-detail"><li><span class="label">Widerruf (ID):</span> w-1</li><li><span class="label">Umfang:</span> teilweise</li>' +
        '<li><span class="label">Teile:</span> <ul class="audit-detail-list"><li>Aufnahmen (Audio/Video)</li><li>Eingescannte Einwilligungsformulare</li></ul></li>' +
        '<li><span class="label">Widerrufene Bereiche der Einwilligung:</span> <ul class="audit-detail-list"><li>Aufnahme (Audio/Video)</li></ul></li></ul>',
    );
    expect(de[8]!.detail).toContain(
      '<li><span class="label">Umfang:</span> ganzes Interview</li><li><span class="label">Gelöscht:</span> <ul class="audit-detail">' +
        '<li><span class="label">Bei den Codierungen:</span> <ul class="audit-detail"><li><span class="label">Codierungen:</span> 34</li></ul></li>' +
        '<li><span class="label">In der Transkription:</span> <ul class="audit-detail"><li><span class="label">gestoppte Aufträge:</span> 0</li></ul></li></ul>',
    );
    expect(de[9]!.detail).toContain('<span class="label">Grund:</span> Widerruf</li>');
    expect(de[10]!.detail).toBe('<ul class="audit-detail"><li><span class="label">Identifizierende Angaben:</span> ersetzt</li><li><span class="label">Aufnahmen (Audio):</span> 1</li><li><span class="label">Übersprungen:</span> –</li></ul>');
    expect(de.map((r) => r.detail).join("")).not.toMatch(/<code class="label">/);
    // The admin alone reads the same names without links to content it may not open; users and codes it administers.
    expect((await table(admin)).map((r) => r.object)).toEqual([
      kase.pseudonym,
      `<a href="/admin/users/${researcher.id}">${researcher.username}</a>`,
      "INT-2024-0902",
      "Transkript von INT-2024-0902",
      `<a href="/codebook/${child.id}">Wohnung</a>`,
      `Narrativ zu ${kase.pseudonym}`,
      "Memo zu INT-2024-0902",
      '<code>erased-interview-2</code> <span class="muted">(nicht mehr vorhanden)</span>',
      '<code>erased-interview-2</code> <span class="muted">(nicht mehr vorhanden)</span>',
      "INT-2024-0902",
      "–",
    ]);

    const en = await table(await allRoles("en"));
    expect(en[3]!.object).toBe(`<a href="/interviews/${interview.id}/transcript">Transcript of INT-2024-0902</a>`);
    expect(en[7]!.object).toContain('<span class="muted">(no longer exists)</span>');
    expect(en[8]!.detail).toContain('<li><span class="label">In codings:</span> <ul class="audit-detail"><li><span class="label">Codings:</span> 34</li></ul></li>');
    expect(en[0]!.detail).toContain("own municipalities");
  });

  it("names roles, statuses and export formats in the reader's language, keeps unknown codes as stored, and the CSV keeps the codes", async () => {
    const rows = [
      { action: "user.role.grant", entity: "user", detail: { role: "researcher" } },
      { action: "user.create", entity: "user", detail: { roles: ["integration_manager", "wizard"], municipalities: 1 } },
      { action: "interview.update", entity: "interview", detail: { changed: ["status"], status: "withdrawn" } },
      { action: "recording.delete", entity: "recording", detail: { interviewStatus: "transcribed" } },
      { action: "plan.area.update", entity: "case", detail: { from: "offen", to: "erreicht" } },
      { action: "transcript.export", entity: "transcript", detail: { format: "srt" } },
      { action: "refi.export", entity: "refi", detail: { format: "qdpx" } },
      { action: "coding.export", entity: "coding", detail: { format: "csv" } },
      // Codes of a version yet to come, or never labelled: shown as stored rather than lost.
      { action: "narrative.export", entity: "narrative", detail: { format: "odt" } },
      { action: "transcription.done", entity: "interview", detail: { status: "queued" } },
    ];
    for (const r of rows) await server.db.auditLog.create({ data: { username: "term.check", ...r, detail: JSON.stringify(r.detail) } });
    const details = async (client: typeof admin) => {
      const html = (await (await client.get("/admin/audit?user=term.check")).text()).replace(/<!-- -->| data-discover="true"/g, "");
      return [...html.matchAll(/<td class="detail">(.*?)<\/td>/g)].map((m) => m[1]!).reverse();
    };
    const de = await details(admin);
    expect(de[0]).toBe('<ul class="audit-detail"><li><span class="label">Rolle:</span> Forschung</li></ul>');
    expect(de[1]).toContain('<span class="label">Rollen:</span> <ul class="audit-detail-list"><li>Integrationsmanagement</li><li>wizard</li></ul>');
    expect(de[2]).toContain('<li><span class="label">Status:</span> widerrufen</li>');
    expect(de[3]).toBe('<ul class="audit-detail"><li><span class="label">Status des Interviews:</span> transkribiert</li></ul>');
    expect(de[4]).toBe('<ul class="audit-detail"><li><span class="label">Von:</span> offen</li><li><span class="label">Bis:</span> erreicht</li></ul>');
    expect(de.slice(5, 9)).toEqual(
      ["Untertitel (SRT)", "REFI-QDA-Projekt (QDPX)", "CSV (Tabelle)", "odt"].map((f) => `<ul class="audit-detail"><li><span class="label">Format:</span> ${f}</li></ul>`),
    );
    expect(de[9]).toContain("<li><span class=\"label\">Status:</span> wartet</li>");
    expect(de.join("")).not.toMatch(/researcher|integration_manager|withdrawn|transcribed|qdpx<|srt<|csv<|queued/);

    const englishReader = await server.loginAs("admin");
    englishReader.cookies.set("lw_lang", "en");
    const en = await details(englishReader);
    expect(en[0]).toContain("Research</li>");
    expect(en[4]).toBe('<ul class="audit-detail"><li><span class="label">From:</span> open</li><li><span class="label">To:</span> achieved</li></ul>');
    expect(en[5]).toContain("Subtitles (SRT)</li>");
    expect(en[6]).toContain("REFI-QDA project (QDPX)</li>");
    expect(en[9]).toContain("waiting</li>");

    // Auditors' tools read the codes: the export keeps them in the details column, the labels go beside it.
    const csv = parseCsv((await (await admin.get("/admin/audit.csv?user=term.check")).text()).trim()).slice(1).reverse();
    expect(csv[0]!.slice(8, 10)).toEqual(['{"role":"researcher"}', "Rolle: Forschung"]);
    expect(csv[6]![8]).toBe('{"format":"qdpx"}');
    expect(csv.map((cells) => cells[8]).join("")).not.toContain("Forschung");
  });

  it("labels transcription and interview details, names languages and changed fields, and names the system that wrote an entry without a user", async () => {
    const kase = await server.db.case.findFirstOrThrow({ select: { id: true } });
    const interview = await server.db.interview.create({ data: { code: "INT-2024-0903", caseId: kase.id, date: new Date("2024-05-02T00:00:00Z"), placeType: "office", languages: '["de"]' } });
    const transcript = await server.db.transcript.create({ data: { interviewId: interview.id, source: "manual" } });
    const rows = [
      { username: "forschung", action: "transcription.start", detail: { jobId: "job-1", language: "auto" } },
      { username: "forschung", action: "transcription.start", detail: { jobId: "job-2", language: "fa" } },
      // Written by the worker (transcription/complete.ts) and by the demo seed: no user.
      { username: null, action: "transcription.done", detail: { jobId: "job-2", transcriptId: transcript.id, version: 1, paragraphs: 12, segments: 36, codingsMoved: 2, codingsOrphaned: 33 } },
      { username: "forschung", action: "interview.update", detail: { changed: ["date", "status", "interviewerId"], status: "recorded" } },
      { username: null, action: "identity.view", detail: { purpose: "narrative-redaction", narrativeId: null, records: 1, seed: true } },
      { username: null, action: "login.failed", detail: { username: "nobody" } },
    ];
    for (const r of rows) await server.db.auditLog.create({ data: { ...r, entity: "interview", entityId: interview.id, detail: JSON.stringify(r.detail) } });
    const table = async (client: typeof admin) => {
      const html = (await (await client.get(`/admin/audit?entityId=${interview.id}`)).text()).replace(/<!-- -->| data-discover="true"/g, "");
      const cells = [...html.matchAll(/<tr><th scope="row">.*?<\/tr>/g)].map((m) => [...m[0].matchAll(/<td(?: class="detail")?>(.*?)<\/td>/g)].map((c) => c[1]!));
      return cells.reverse().map((c) => ({ user: c[0]!, detail: c[4]! }));
    };
    const de = await table(await allRoles());
    expect(de.map((r) => r.user)).toEqual([
      "forschung",
      "forschung",
      '<span class="muted">System (Transkriptionsdienst)</span>',
      "forschung",
      '<span class="muted">System (Demodaten)</span>',
      '<span class="muted">(nicht angemeldet)</span>',
    ]);
    expect(de[0]!.detail).toContain('<li><span class="label">Sprache:</span> Automatisch erkennen</li>');
    expect(de[1]!.detail).toContain('<li><span class="label">Sprache:</span> Persisch (Farsi/Dari)</li>');
    expect(de[2]!.detail).toContain(
      `<li><span class="label">Transkript:</span> <a href="/interviews/${interview.id}/transcript">Transkript von INT-2024-0903</a></li><li><span class="label">Version:</span> 1</li>` +
        '<li><span class="label">Absätze:</span> 12</li><li><span class="label">Segmente:</span> 36</li><li><span class="label">Verschobene Codierungen:</span> 2</li><li><span class="label">Verwaiste Codierungen:</span> 33</li>',
    );
    expect(de[3]!.detail).toContain('<li><span class="label">Geänderte Felder:</span> <ul class="audit-detail-list"><li>Datum</li><li>Status</li><li>Interviewer:in</li></ul></li>');
    expect(de[4]!.detail).toContain('<li><span class="label">Demodaten:</span> Ja</li>');
    expect(de.map((r) => r.detail).join("")).not.toMatch(/<code class="label">|interviewerId|>auto</);

    const englishReader = await server.loginAs("admin");
    englishReader.cookies.set("lw_lang", "en");
    const en = await table(englishReader);
    expect(en[2]!.user).toBe('<span class="muted">System (transcription worker)</span>');
    expect(en[0]!.detail).toContain("Detect automatically</li>");
    expect(en[1]!.detail).toContain("Persian (Farsi/Dari)</li>");
    expect(en[2]!.detail).toContain('<li><span class="label">Segments:</span> 36</li>');
    expect(en[3]!.detail).toContain("<li>Date</li><li>Status</li><li>Interviewer</li>");
  });

  it("names the legal ground of a deletion in the reader's language beside its note, and still shows a reason typed before the choice existed", async () => {
    const rows = [
      { action: "snapshot.delete", entity: "case", detail: { indicator: "S.DTNIV", snapshotId: "s-old", reason: "falscher Fall" } },
      { action: "snapshot.delete", entity: "case", detail: { indicator: "S.DTNIV", snapshotId: "s-new", ground: "inaccurate", note: "Tippfehler beim Datum" } },
      { action: "snapshot.delete", entity: "case", detail: { indicator: "S.DTNIV", snapshotId: "s-later", ground: "retention_ended" } },
      // The other deletions by hand store ground and note the same way, so the log reads them alike.
      { action: "note.delete", entity: "case", detail: { noteId: "n-1", type: "event", versions: 2, ground: "objection", note: "Widerspruch per Brief" } },
      { action: "memo.delete", entity: "memo", detail: { type: "theory", ground: "no_longer_necessary" } },
      { action: "recording.delete", entity: "recording", detail: { interviewStatus: "checked", ground: "no_longer_necessary", note: "Transkript geprüft" } },
      { action: "contact.delete", entity: "case", detail: { contactId: "k-1", ground: "inaccurate" } },
    ];
    for (const r of rows) await server.db.auditLog.create({ data: { username: "ground.check", ...r, detail: JSON.stringify(r.detail) } });
    const details = async (client: typeof admin) => {
      const html = (await (await client.get("/admin/audit?user=ground.check")).text()).replace(/<!-- -->| data-discover="true"/g, "");
      return [...html.matchAll(/<td class="detail">(.*?)<\/td>/g)].map((m) => m[1]!).reverse();
    };
    const de = await details(admin);
    expect(de[0]).toContain('<li><span class="label">Grund:</span> falscher Fall</li>');
    expect(de[1]).toContain('<li><span class="label">Rechtsgrundlage:</span> Unrichtige Angabe, falsch erfasst (Art. 16 DSGVO)</li><li><span class="label">Anmerkung:</span> Tippfehler beim Datum</li>');
    expect(de[2]).toContain('<li><span class="label">Rechtsgrundlage:</span> Aufbewahrungsfrist abgelaufen</li></ul>');
    const englishReader = await server.loginAs("admin");
    englishReader.cookies.set("lw_lang", "en");
    const en = await details(englishReader);
    expect(en[1]).toContain('<li><span class="label">Legal ground:</span> Inaccurate, entered in error (Art. 16 GDPR)</li><li><span class="label">Note:</span> Tippfehler beim Datum</li>');
    expect(en[2]).toContain("Retention period ended</li>");
    expect(de[3]).toContain('<li><span class="label">Rechtsgrundlage:</span> Widerspruch der betroffenen Person (Art. 17 Abs. 1 lit. c DSGVO)</li><li><span class="label">Anmerkung:</span> Widerspruch per Brief</li>');
    expect(en[3]).toContain('<li><span class="label">Legal ground:</span> Objection by the person concerned (Art. 17(1)(c) GDPR)</li><li><span class="label">Note:</span> Widerspruch per Brief</li>');
    expect(de[4]).toContain('<li><span class="label">Rechtsgrundlage:</span> Für den Zweck nicht mehr notwendig (Art. 17 Abs. 1 lit. a DSGVO)</li>');
    expect(en[5]).toContain('<li><span class="label">Legal ground:</span> No longer necessary for the purpose (Art. 17(1)(a) GDPR)</li><li><span class="label">Note:</span> Transkript geprüft</li>');
    expect(en[6]).toContain('<li><span class="label">Legal ground:</span> Inaccurate, entered in error (Art. 16 GDPR)</li>');
  });

  it("deactivating a user signs out their open browser at once", async () => {
    const password = "a long test password 1";
    const { id } = await createTestUser(server.db, "abgang", password, ["researcher"]);
    const victim = await server.loginAs("abgang", { password });
    expect((await victim.get("/account")).status).toBe(200);

    const res = await admin.post(`/admin/users/${id}`, { intent: "deactivate", _csrf: await admin.csrfToken() });
    expect(res.status).toBe(200);
    const after = await victim.get("/account");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });

  it("are closed to other roles", async () => {
    const im = await server.loginAs("im.loerrach");
    for (const path of ["/admin", "/admin/users", "/admin/audit", "/admin/audit.csv"]) expect((await im.get(path)).status, path).toBe(403);
  });
});
