import "../withdrawal/test-storage-env.ts";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { loader as csvLoader } from "../routes/admin.audit[.csv].tsx";
import { loader as auditPageLoader } from "../routes/admin.audit._index.tsx";
import { AUDIT_PAGE_SIZE, auditCsvStream, auditPage, latestAuditId, parseAuditFilter } from "./audit-query.server.ts";
import { berlinDayStart } from "./dates.ts";
import { csvFormat } from "../statistics/csv.ts";
import { parseCsv } from "../statistics/test-support.ts";
import { ensureReference, insertCase } from "../cases/test-support.ts";
import { withdrawInterview } from "../withdrawal/withdraw.server.ts";
import { getRequest, makeUser, routeArgs, signIn, type TestSession } from "./test-support.ts";

let session: TestSession;
let researcher: { id: string; username: string };
const ids: Record<string, number> = {};

async function entry(key: string, data: { at: string; username?: string; userId?: string; action: string; entity: string; entityId?: string; detail?: string }) {
  const row = await db.auditLog.create({ data: { ...data, at: new Date(data.at), ip: "10.0.0.1" }, select: { id: true } });
  ids[key] = row.id;
}

beforeAll(async () => {
  const admin = await makeUser("revisor", ["admin"]);
  researcher = await makeUser("forscherin", ["researcher"]);
  session = await signIn(admin.id);
  const r = { username: researcher.username, userId: researcher.id };
  const a = { username: admin.username, userId: admin.id };
  await entry("r1", { at: "2025-03-01T09:00:00Z", ...r, action: "identity.view", entity: "case", entityId: "case-1" });
  await entry("r2", { at: "2025-03-05T12:00:00Z", ...r, action: "case.update", entity: "case", entityId: "case-1", detail: JSON.stringify({ fields: ["group"] }) });
  await entry("a1", { at: "2025-03-05T13:00:00Z", ...a, action: "user.role.grant", entity: "user", entityId: researcher.id, detail: JSON.stringify({ role: "researcher" }) });
  await entry("a2", { at: "2025-03-10T22:30:00Z", ...a, action: "user.role.revoke", entity: "user", entityId: researcher.id }); // 10 March, 23:30 in Berlin
  await entry("r3", { at: "2025-03-10T23:30:00Z", ...r, action: "identity.view", entity: "case", entityId: "case-2" }); // 11 March, 00:30 in Berlin
  // Cells a spreadsheet must not run, with the separator, quotes and a line break inside.
  await entry("x1", { at: "2025-03-12T08:00:00Z", action: "login.failed", entity: "user", detail: '{"username":"=cmd|x; \\"a\\"\nb"}' });
  await entry("x2", { at: "2025-03-12T08:01:00Z", action: "login.failed", entity: "user", entityId: "=HYPERLINK(1)" });
});

describe("audit log filters", () => {
  const rowsFor = async (query: string) => {
    const { filter, errors } = parseAuditFilter(new URLSearchParams(query));
    expect(errors).toEqual([]);
    const page = await auditPage(filter, 1, await latestAuditId());
    return page.rows.map((r) => r.id);
  };

  it("filters by user, action prefix, entity, entity id and Berlin calendar days, newest first", async () => {
    expect(await rowsFor("user=forscherin")).toEqual([ids.r3, ids.r2, ids.r1]);
    expect(await rowsFor("user=FORSCHERIN&action=identity.")).toEqual([ids.r3, ids.r1]);
    expect(await rowsFor("action=user.role")).toEqual([ids.a2, ids.a1]);
    expect(await rowsFor("action=user_role")).toEqual([]); // a prefix, not a LIKE pattern
    expect(await rowsFor("entity=case&entityId=case-1")).toEqual([ids.r2, ids.r1]);
    expect(await rowsFor("from=2025-03-05&to=2025-03-10")).toEqual([ids.a2, ids.a1, ids.r2]);
    expect(await rowsFor("from=2025-03-11&to=2025-03-11")).toEqual([ids.r3]);
    expect(await rowsFor("entity=user&entityId=" + researcher.id + "&to=2025-03-05")).toEqual([ids.a1]);
  });

  it("filtering by case keeps an interview withdrawn in full: what was done with it and the withdrawal itself", async () => {
    await ensureReference();
    const municipality = await db.municipality.findFirstOrThrow({ select: { id: true } });
    const kase = await insertCase("LOE-2025-0777", municipality.id);
    const interview = await db.interview.create({ data: { code: "INT-2025-0777", caseId: kase.id, date: new Date("2025-04-01T00:00:00Z"), placeType: "office", languages: '["de"]' } });
    const r = { username: "im.erased" }; // not forscherin, whose entries the CSV test counts
    await entry("view", { at: "2025-04-02T09:00:00Z", ...r, action: "interview.view", entity: "interview", entityId: interview.id });
    await entry("save", { at: "2025-04-02T10:00:00Z", ...r, action: "transcript.save", entity: "transcript", entityId: "t-erased", detail: JSON.stringify({ interviewId: interview.id, version: 1 }) });
    await withdrawInterview(null, null, interview.id, { scope: "whole" });
    expect(await db.interview.count({ where: { id: interview.id } })).toBe(0);

    const shown = await db.auditLog.findMany({ where: { id: { in: await rowsFor("case=loe-2025-0777") } }, orderBy: { id: "asc" }, select: { id: true, action: true } });
    expect(shown.map((e) => e.action)).toEqual(["interview.view", "transcript.save", "withdrawal.start", "withdrawal.complete"]);
    expect(shown[0]!.id).toBe(ids.view);
  });

  it("reports an impossible date instead of silently filtering wrong", () => {
    const { filter, errors } = parseAuditFilter(new URLSearchParams("from=2025-02-30&to=gestern"));
    expect(filter).toEqual({});
    expect(errors).toHaveLength(2);
  });

  it("knows where a Berlin day starts in winter and summer time", () => {
    expect(berlinDayStart("2025-01-15").toISOString()).toBe("2025-01-14T23:00:00.000Z");
    expect(berlinDayStart("2025-07-15").toISOString()).toBe("2025-07-14T22:00:00.000Z");
    expect(berlinDayStart("2025-03-30").toISOString()).toBe("2025-03-29T23:00:00.000Z"); // the day clocks go forward
  });

  it("pages by 50 and each view is itself audited without showing up in what it shows", async () => {
    for (let i = 0; i < 120; i++) await db.auditLog.create({ data: { at: new Date("2024-06-01T10:00:00Z"), action: "case.view", entity: "case", entityId: "bulk" } });
    const load = async (q: string) => (await auditPageLoader(routeArgs(getRequest(`/admin/audit?${q}`, session)))).json();
    const first = await load("entityId=bulk");
    expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first).toMatchObject({ total: 120, page: 1, pages: 3 });
    const third = await load("entityId=bulk&page=3");
    expect(third.rows).toHaveLength(20);
    expect(new Set([...first.rows, ...third.rows].map((r: { id: number }) => r.id)).size).toBe(70);
    const views = await db.auditLog.findMany({ where: { action: "audit.view" }, orderBy: { id: "asc" } });
    expect(views).toHaveLength(2);
    expect(views[1]!.userId).toBe(session.userId);
    expect(JSON.parse(views[1]!.detail!)).toEqual({ filter: { entityId: "bulk" }, page: 3 });
    // Unfiltered, the newest row is the previous view: this view's own entry comes after what it shows.
    const newest = (await load("")).rows[0];
    expect(newest?.action).toBe("audit.view");
    expect(newest?.id).toBe(views[1]!.id);
  });
});

describe("audit CSV export", () => {
  const exportCsv = async (query: string) => {
    const res = await csvLoader(routeArgs(getRequest(`/admin/audit.csv?${query}`, session)));
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parseCsv(new TextDecoder().decode(bytes.slice(3)));
  };

  it("returns exactly the filtered rows, newest first, with a header, and audits the export", async () => {
    const rows = await exportCsv("user=forscherin&from=2025-03-02");
    expect(rows[0]).toEqual(["Nr.", "Zeitpunkt (UTC)", "Benutzer", "Benutzer-ID", "Aktion", "Aktion (Beschreibung)", "Objektart", "Objekt-ID", "Details", "Details (Beschreibung)", "IP-Adresse"]);
    expect(rows.slice(1)).toEqual([
      [String(ids.r3), "2025-03-10T23:30:00.000Z", "forscherin", researcher.id, "identity.view", "Identitätsdaten angesehen", "case", "case-2", "", "", "10.0.0.1"],
      [String(ids.r2), "2025-03-05T12:00:00.000Z", "forscherin", researcher.id, "case.update", "Fall geändert", "case", "case-1", '{"fields":["group"]}', "Felder: group", "10.0.0.1"],
    ]);
    const exportEntry = await db.auditLog.findFirstOrThrow({ where: { action: "audit.export" }, orderBy: { id: "desc" } });
    expect(exportEntry.userId).toBe(session.userId);
    expect(JSON.parse(exportEntry.detail!)).toEqual({ filter: { user: "forscherin", from: "2025-03-02" } });
  });

  it("gives an English reader ',' between fields, the header in English and the same rows", async () => {
    const request = getRequest("/admin/audit.csv?user=forscherin&from=2025-03-02", session);
    request.headers.set("cookie", `${session.cookie}; lw_lang=en`);
    const text = new TextDecoder().decode(new Uint8Array(await (await csvLoader(routeArgs(request))).arrayBuffer()).slice(3));
    const rows = parseCsv(text, ",");
    expect(rows[0]).toHaveLength(11);
    expect(rows[0]![0]).not.toBe("Nr.");
    expect(rows.slice(1).map((r) => [r[0], r[2], r[8]])).toEqual([
      [String(ids.r3), "forscherin", ""],
      [String(ids.r2), "forscherin", '{"fields":["group"]}'], // the JSON's comma quoted, not a separator
    ]);
  });

  it("names the records of the details as the page does, in the reader's language, beside the stored JSON", async () => {
    await ensureReference();
    const loerrach = await db.municipality.findUniqueOrThrow({ where: { ags: "08336050" }, select: { id: true } });
    await entry("m1", { at: "2025-04-01T08:00:00Z", username: "revisor", action: "case.create", entity: "case", entityId: "case-9", detail: JSON.stringify({ pseudonym: "LOE-2025-0999", municipalityId: loerrach.id, group: "refugee" }) });
    const german = await exportCsv("action=case.create&from=2025-04-01&to=2025-04-01");
    expect(german.slice(1).map((r) => [r[8], r[9]])).toEqual([[`{"pseudonym":"LOE-2025-0999","municipalityId":"${loerrach.id}","group":"refugee"}`, "Pseudonym: LOE-2025-0999; Gemeinde: Lörrach; Zielgruppe: refugee"]]);
    const request = getRequest("/admin/audit.csv?action=case.create&from=2025-04-01&to=2025-04-01", session);
    request.headers.set("cookie", `${session.cookie}; lw_lang=en`);
    const english = parseCsv(new TextDecoder().decode(new Uint8Array(await (await csvLoader(routeArgs(request))).arrayBuffer()).slice(3)), ",");
    expect(english[0]![9]).toBe("Details (description)");
    expect(english[1]![9]).toBe("Pseudonym: LOE-2025-0999; Municipality: Lörrach; Group: refugee");
  });

  it("quotes separators, quotes and line breaks, and defuses formulas", async () => {
    const rows = await exportCsv("action=login.failed");
    expect(rows.slice(1).map((r) => [r[0], r[7], r[8]])).toEqual([
      [String(ids.x2), "'=HYPERLINK(1)", ""],
      [String(ids.x1), "", '{"username":"=cmd|x; \\"a\\"\nb"}'],
    ]);
  });

  it("streams in batches and still yields every row exactly once, in order", async () => {
    const { filter } = parseAuditFilter(new URLSearchParams("entityId=bulk"));
    const text = await new Response(auditCsvStream(filter, await latestAuditId(), ["id"], () => "", csvFormat("de"), 7)).text();
    const rows = parseCsv(text.replace(/^\uFEFF/, "")).slice(1);
    const expected = await db.auditLog.findMany({ where: { entityId: "bulk" }, orderBy: { id: "desc" }, select: { id: true } });
    expect(rows.map((r) => Number(r[0]))).toEqual(expected.map((e) => e.id));
  });
});

describe("the audit log is append-only in the application too", () => {
  it("no application code updates, upserts or deletes audit entries", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        if (fs.statSync(file).isDirectory()) {
          if (name !== "generated") walk(file);
        } else if (/\.(ts|tsx|js)$/.test(name) && !/\.test\.ts$/.test(name)) {
          if (/auditLog\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b/.test(fs.readFileSync(file, "utf8"))) offenders.push(file);
        }
      }
    };
    walk(path.resolve(import.meta.dirname, ".."));
    expect(offenders).toEqual([]);
  });
});
