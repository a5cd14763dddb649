// The administration pages through the real HTTP server: what a browser gets.
import { afterAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { createTestUser, startAppServer } from "../../tests/support/app-server.ts";
import { journalWithdrawal } from "../withdrawal/journal.server.ts";

const server = await startAppServer({ seed: { cases: 10 } });
afterAll(() => server.stop());
const admin = await server.loginAs("admin");

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
    expect(lines[0]).toBe("Nr.;Zeitpunkt;Benutzer;Benutzer-ID;Aktion;Aktion (Beschreibung);Objektart;Objekt-ID;Details;IP-Adresse");
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
