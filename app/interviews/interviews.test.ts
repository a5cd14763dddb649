// Interviews: generated codes (format, unique when created at once, never reused), the interpreter's name kept
// only encrypted, the list's filters, status steps, and who sees what: integration managers learn that an
// interview exists on their case but may not open it; researchers never see identity data. A follow-up interview
// needs the recontact scope of the person's latest consent; counselling contacts never ask for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, db, type Db } from "../db/client.server.ts";
import { isPostgres } from "../env.server.ts";
import { recordConsent } from "./consent.server.ts";
import { CONSENT_SCOPES, scopeColumn } from "../consent/scopes.ts";
import { open, type Sealed } from "../identity/crypto.server.ts";
import { createFollowUp, createInterview, listInterviews, parseInterviewListQuery, updateInterview } from "./interviews.server.ts";
import { CODE_PATTERN } from "./interview-fields.ts";
import { ctx, ensureReference, getRequest, grantFor, insertCase, jsonOf, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "../cases/test-support.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { todayInGermany } from "../utils/validation.ts";
import { formatDate } from "../cases/format.ts";
import * as newPage from "../routes/interviews.new.tsx";
import * as layoutPage from "../routes/interviews.$interviewId.tsx";
import * as overviewPage from "../routes/interviews.$interviewId._index.tsx";
import * as editPage from "../routes/interviews.$interviewId.edit.tsx";
import * as caseInterviewsPage from "../routes/cases.$caseId.interviews.tsx";
import * as contactsPage from "../routes/cases.$caseId.contacts.tsx";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createI18n } from "../i18n/config.ts";
import { RecontactNote } from "./recontact-note.tsx";
import type { RecontactResult } from "../consent/gates.server.ts";

const INTERPRETER = "Samira Haddad-Interpretin";

/** The recontact note as a reader sees it (text without markup), in their language. */
const noteText = (recontact: RecontactResult, language: "de" | "en", onInterview = false) =>
  renderToStaticMarkup(createElement(I18nextProvider, { i18n: createI18n(language) }, createElement(RecontactNote, { recontact, onInterview }))).replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'");
const second = createDb(process.env.DATABASE_URL!);
const noScopes = Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), false])) as Record<ReturnType<typeof scopeColumn>, boolean>;

/** Resolves once `work` is done or, on PostgreSQL, a statement of this database waits for a row lock (ours: no other test file uses it). */
async function doneOrWaitingForLock(work: Promise<unknown>) {
  let done = false;
  void work.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    if (isPostgres()) {
      const [waiting] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (waiting!.n > 0) return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

let researcher: TestUser;
let researcherIm: TestUser;
let im: TestUser;
let imElsewhere: TestUser;
let grant: Grant;
let caseId: string;
let archivedCaseId: string;

const fields = (date: string) => ({ date: day(date), placeType: "office" as const, languages: ["ar" as const, "de" as const], interviewerId: researcher.user.id, durationMinutes: 75 });

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  researcher = await signedInUser("forschung.interviews", ["researcher"]);
  // identity access and interviews: a researcher who also counsels in Lörrach (two roles; an admin has neither)
  researcherIm = await signedInUser("forschung.im.interviews", ["researcher", "integration_manager"], [loerrach]);
  im = await signedInUser("im.interviews", ["integration_manager"], [loerrach]);
  imElsewhere = await signedInUser("im.interviews.weil", ["integration_manager"], [await municipalityId("08336091")]);
  grant = grantFor(researcher.user, "write", "interview");
  caseId = (await insertCase("LOE-2019-0001", loerrach)).id;
  archivedCaseId = (await insertCase("LOE-2018-0007", loerrach, { status: "archived" })).id;
});
afterAll(() => second.$disconnect());

/** A consent allowing recontact on the case's first interview: a further interview of the case is a follow-up (ADR 0018). */
async function allowRecontact(ofCase: string) {
  const first = await db.interview.findFirstOrThrow({ where: { caseId: ofCase }, orderBy: { code: "asc" }, select: { id: true } });
  await db.consentRecord.create({ data: { interviewId: first.id, version: 1, givenBy: "person", givenAt: day("2019-03-01"), form: "written", language: "de", infoSheetVersion: "1.0", scopeRecontact: true } });
}

describe("interview codes", () => {
  it("are INT-<year of the interview>-<4 digits>, numbered per year", async () => {
    const a = await createInterview(null, grant, caseId, fields("2019-03-01"));
    const b = await createInterview(null, grant, caseId, fields("2019-11-30"));
    const c = await createInterview(null, grant, archivedCaseId, fields("2020-01-02"));
    expect([a.code, b.code, c.code]).toEqual(["INT-2019-0001", "INT-2019-0002", "INT-2020-0001"]);
    for (const code of [a.code, b.code, c.code]) expect(code).toMatch(CODE_PATTERN);
  });

  it("stay unique and gap-free when many interviews are created at once", async () => {
    const created = await Promise.all(Array.from({ length: 30 }, () => createInterview(null, grant, caseId, fields("2021-06-01"))));
    const codes = created.map((c) => c.code).sort();
    expect(codes).toEqual(Array.from({ length: 30 }, (_, i) => `INT-2021-${String(i + 1).padStart(4, "0")}`));
  });

  it("stay unique when two database connections create interviews at the same time", async () => {
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => createInterview(null, grant, caseId, fields("2022-02-02"), i % 2 ? second : db)));
    expect(new Set(created.map((c) => c.code)).size).toBe(20);
    expect(await db.interview.count({ where: { code: { startsWith: "INT-2022-" } } })).toBe(20);
  });

  it("are never given again, even after the interview row is gone", async () => {
    const a = await createInterview(null, grant, caseId, fields("2023-05-05"));
    // As after a withdrawal: the row is erased, the audit log keeps the code.
    await db.interview.delete({ where: { id: a.id } });
    const b = await createInterview(null, grant, caseId, fields("2023-06-06"));
    expect([a.code, b.code]).toEqual(["INT-2023-0001", "INT-2023-0002"]);
  });
});

describe("the interpreter's name", () => {
  let interviewId: string;
  beforeAll(async () => {
    // LOE-2019-0001 has interviews already (above): this one is a follow-up.
    await allowRecontact(caseId);
    const res = await newPage.action({
      request: postRequest("/interviews/new", researcher, {
        casePseudonym: "loe-2019-0001",
        date: "2024-04-04",
        placeType: "home",
        languages: ["fa", "de"],
        interviewerId: researcher.user.id,
        interpreterName: INTERPRETER,
        durationMinutes: "90",
      }),
      params: {},
      ...ctx,
    });
    expect(res.status).toBe(302);
    interviewId = res.headers.get("location")!.split("/").pop()!;
  });

  it("is in no plain column: the raw rows of every interview table hold none of it", async () => {
    const raw = JSON.stringify(
      await Promise.all([
        db.$queryRaw`SELECT * FROM "Interview" WHERE "id" = ${interviewId}`,
        db.$queryRaw`SELECT * FROM "InterviewIdentity" WHERE "interviewId" = ${interviewId}`,
        db.$queryRaw`SELECT * FROM "AuditLog" WHERE "entityId" = ${interviewId}`,
      ]),
      (_k, v) => (typeof v === "bigint" ? String(v) : v),
    );
    expect(raw).not.toContain("Samira");
    expect(raw).not.toContain("Haddad");
    const sealed = await db.interviewIdentity.findUniqueOrThrow({ where: { interviewId }, select: { keyId: true, iv: true, tag: true, ciphertext: true } });
    expect(Buffer.from(sealed.ciphertext, "base64").toString("latin1")).not.toContain("Samira");
    // Bound to the interview: it opens with the interview's id, and only with it.
    expect(open<{ interpreterName: string }>(sealed as Sealed, interviewId).interpreterName).toBe(INTERPRETER);
    expect(() => open(sealed as Sealed, caseId)).toThrow();
  });

  it("is never shown to researchers: they see only that an interpreter was present", async () => {
    const data = await jsonOf(() => overviewPage.loader({ request: getRequest(`/interviews/${interviewId}?interpreter=1`, researcher), params: { interviewId }, ...ctx }));
    expect(data.interview.interpreterPresent).toBe(true);
    expect(data.mayReadIdentity).toBe(false);
    expect(data.interpreterName).toBeNull();
    expect(JSON.stringify(data)).not.toContain("Samira");
    const edit = await jsonOf(() => editPage.loader({ request: getRequest(`/interviews/${interviewId}/edit`, researcher), params: { interviewId }, ...ctx }));
    expect(JSON.stringify(edit)).not.toContain("Samira");
  });

  it("is shown to a user with identity access on request, and the read is logged", async () => {
    const views = () => db.auditLog.count({ where: { action: "identity.view", entity: "interview", entityId: interviewId } });
    const before = await views();
    const plain = await jsonOf(() => overviewPage.loader({ request: getRequest(`/interviews/${interviewId}`, researcherIm), params: { interviewId }, ...ctx }));
    expect(plain.mayReadIdentity).toBe(true);
    expect(plain.interpreterName).toBeNull();
    expect(await views()).toBe(before);
    const shown = await jsonOf(() => overviewPage.loader({ request: getRequest(`/interviews/${interviewId}?interpreter=1`, researcherIm), params: { interviewId }, ...ctx }));
    expect(shown.interpreterName).toBe(INTERPRETER);
    expect(await views()).toBe(before + 1);
    const entries = await db.auditLog.findMany({ where: { entityId: interviewId }, select: { detail: true } });
    expect(JSON.stringify(entries)).not.toContain("Samira");
  });

  it("can be replaced and removed by a researcher, who never reads it back", async () => {
    const post = (extra: Record<string, string>) =>
      editPage.action({
        request: postRequest(`/interviews/${interviewId}/edit`, researcher, { date: "2024-04-04", placeType: "home", languages: ["fa"], interviewerId: researcher.user.id, status: "planned", ...extra }),
        params: { interviewId },
        ...ctx,
      });
    expect((await post({ interpreterName: "Neuer Name" })).status).toBe(200);
    const sealed = await db.interviewIdentity.findUniqueOrThrow({ where: { interviewId } });
    expect(open<{ interpreterName: string }>(sealed, interviewId).interpreterName).toBe("Neuer Name");
    // Removing deletes identity data: only with a legal ground, else nothing changes and the note typed comes back.
    const refused = await post({ removeInterpreter: "on", note: "Bitte der Dolmetscherin" });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
    expect(body.result.error).toEqual({ ground: ["validation.choose"] });
    expect(body.result.initialValue).toMatchObject({ removeInterpreter: "on", note: "Bitte der Dolmetscherin" });
    expect((await post({ removeInterpreter: "on", ground: "bogus" })).status).toBe(400);
    expect(await db.interviewIdentity.count({ where: { interviewId } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "interview.identity.delete", entityId: interviewId } })).toBe(0);
    expect((await post({ removeInterpreter: "on", ground: "objection", note: "Bitte der Dolmetscherin" })).status).toBe(200);
    expect(await db.interviewIdentity.count({ where: { interviewId } })).toBe(0);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "interview.identity.delete", entityId: interviewId } });
    expect(JSON.parse(entry.detail!)).toEqual({ fields: ["interpreterName"], ground: "objection", note: "Bitte der Dolmetscherin" });
  });
});

describe("who sees an interview", () => {
  let interviewId: string;
  let code: string;
  beforeAll(async () => {
    ({ id: interviewId, code } = await createInterview(null, grant, caseId, { ...fields("2024-09-09"), interpreterName: INTERPRETER }));
  });

  it("integration managers see that it exists on their case: code, date and status only", async () => {
    const data = await jsonOf(() => caseInterviewsPage.loader({ request: getRequest(`/cases/${caseId}/interviews`, im), params: { caseId }, ...ctx }));
    const row = data.interviews.find((i: { code: string }) => i.code === code);
    expect(Object.keys(row).sort()).toEqual(["code", "date", "status"]);
    expect(row.status).toBe("planned");
    expect(JSON.stringify(data)).not.toContain(interviewId);
  });

  it("integration managers may not open it (403), nor see interviews of another municipality's case (404)", async () => {
    for (const page of [layoutPage, overviewPage]) {
      expect(await statusOf(() => page.loader({ request: getRequest(`/interviews/${interviewId}`, im), params: { interviewId }, ...ctx }))).toBe(403);
    }
    expect(await statusOf(() => newPage.loader({ request: getRequest(`/interviews/new`, im), params: {}, ...ctx }))).toBe(403);
    expect(await statusOf(() => caseInterviewsPage.loader({ request: getRequest(`/cases/${caseId}/interviews`, imElsewhere), params: { caseId }, ...ctx }))).toBe(404);
  });

  it("researchers open it, with the case's pseudonym but no link into the case register", async () => {
    const data = await jsonOf(() => layoutPage.loader({ request: getRequest(`/interviews/${interviewId}`, researcher), params: { interviewId }, ...ctx }));
    expect(data.interview).toMatchObject({ code, casePseudonym: "LOE-2019-0001", status: "planned" });
    expect(data.canReadCase).toBe(false);
    expect(await statusOf(() => caseInterviewsPage.loader({ request: getRequest(`/cases/${caseId}/interviews`, researcher), params: { caseId }, ...ctx }))).toBe(403);
  });

  it("an unknown id is 404", async () => {
    expect(await statusOf(() => layoutPage.loader({ request: getRequest(`/interviews/nope`, researcher), params: { interviewId: "nope" }, ...ctx }))).toBe(404);
  });
});

describe("creating through the form", () => {
  const form = (extra: Record<string, string | string[]>) => ({ casePseudonym: "LOE-2019-0001", date: "2025-01-10", placeType: "video", languages: ["uk"], interviewerId: researcher.user.id, ...extra });

  it("refuses an unknown case pseudonym next to the field", async () => {
    const res = await newPage.action({ request: postRequest("/interviews/new", researcher, form({ casePseudonym: "LOE-1999-9999" })), params: {}, ...ctx });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.casePseudonym).toEqual(["interviews:validation.caseNotFound"]);
  });

  it("accepts an archived case", async () => {
    await allowRecontact(archivedCaseId); // it has an interview already (above)
    const res = await newPage.action({ request: postRequest("/interviews/new", researcher, form({ casePseudonym: "LOE-2018-0007" })), params: {}, ...ctx });
    expect(res.status).toBe(302);
  });

  it("refuses an interviewer without the researcher role, and no language", async () => {
    const res = await newPage.action({ request: postRequest("/interviews/new", researcher, form({ interviewerId: im.user.id, languages: [] })), params: {}, ...ctx });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error.interviewerId).toEqual(["interviews:validation.researcher"]);
    expect(body.error.languages).toEqual(["interviews:validation.language"]);
  });

  it("defaults the interviewer to the researcher", async () => {
    const data = await jsonOf(() => newPage.loader({ request: getRequest("/interviews/new", researcher), params: {}, ...ctx }));
    expect(data.defaults.interviewerId).toBe(researcher.user.id);
  });

  it("refuses a form without the CSRF token", async () => {
    const body = new URLSearchParams({ casePseudonym: "LOE-2019-0001" });
    const request = new Request("http://localhost/interviews/new", { method: "POST", headers: { cookie: researcher.cookie, "content-type": "application/x-www-form-urlencoded" }, body });
    expect(await statusOf(() => newPage.action({ request, params: {}, ...ctx }))).toBe(403);
  });
});

describe("status", () => {
  it("moves one step along the workflow; a jump and 'withdrawn' are refused", async () => {
    const { id } = await createInterview(null, grant, caseId, fields("2024-10-10"));
    const set = (status: string) => updateInterview(null, grant, id, { ...fields("2024-10-10"), status: status as "recorded" });
    expect(await set("recorded")).toMatchObject({ ok: true, changed: ["status"] });
    expect(await set("checked")).toEqual({ ok: false, error: "status" });
    expect(await set("transcribing")).toMatchObject({ ok: true });
    expect(await set("recorded")).toMatchObject({ ok: true }); // one step back, to correct a mistake
    const res = await editPage.action({
      request: postRequest(`/interviews/${id}/edit`, researcher, { date: "2024-10-10", placeType: "office", languages: ["ar"], interviewerId: researcher.user.id, status: "withdrawn" }),
      params: { id, interviewId: id },
      ...ctx,
    });
    expect(res.status).toBe(400);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "interview.update", entityId: id }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit.detail!)).toEqual({ changed: ["status"], status: "recorded" });
  });

  it("a status step on the form does not log an unchanged date as changed, and keeps a stored time of day", async () => {
    // Demo interviews were seeded at 10:00 UTC; the form knows only the day.
    const { id } = await createInterview(null, grant, caseId, fields("2024-10-12"));
    const stored = new Date("2024-10-12T10:00:00Z");
    await db.interview.update({ where: { id }, data: { date: stored } });
    const data = await jsonOf(() => editPage.loader({ request: getRequest(`/interviews/${id}/edit`, researcher), params: { interviewId: id }, ...ctx }));
    const base = Object.fromEntries(Object.entries(data.base as Record<string, string>).map(([k, v]) => [`base-${k}`, v]));
    const res = await editPage.action({
      request: postRequest(`/interviews/${id}/edit`, researcher, { ...base, date: data.base.date, placeType: "office", languages: ["ar", "de"], interviewerId: researcher.user.id, durationMinutes: "75", status: "recorded" }),
      params: { interviewId: id },
      ...ctx,
    });
    expect(res.status).toBe(200);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "interview.update", entityId: id }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit.detail!)).toEqual({ changed: ["status"], status: "recorded" });
    expect((await db.interview.findUniqueOrThrow({ where: { id }, select: { date: true } })).date).toEqual(stored);
  });

  it("a withdrawn interview cannot be edited (409)", async () => {
    const { id } = await createInterview(null, grant, caseId, fields("2024-10-11"));
    await db.interview.update({ where: { id }, data: { status: "withdrawn" } });
    expect(await statusOf(() => editPage.loader({ request: getRequest(`/interviews/${id}/edit`, researcher), params: { interviewId: id }, ...ctx }))).toBe(409);
    expect(await statusOf(() => updateInterview(null, grant, id, { ...fields("2024-10-11"), status: "planned" }))).toBe(409);
  });
});

describe("the list", () => {
  it("filters by status, case pseudonym and date range, newest first, in pages", async () => {
    const q = (s: string) => parseInterviewListQuery(new URLSearchParams(s));
    const all = await listInterviews(q(""));
    expect(all.total).toBe(await db.interview.count());
    expect(all.rows.length).toBe(25);
    expect(all.pages).toBe(Math.ceil(all.total / 25));
    const dates = all.rows.map((r) => r.date.getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);

    const archived = await listInterviews(q("case=loe-2018"));
    expect(archived.rows.map((r) => r.casePseudonym)).toEqual(expect.arrayContaining(["LOE-2018-0007"]));
    expect(archived.rows.every((r) => r.casePseudonym === "LOE-2018-0007")).toBe(true);

    const range = await listInterviews(q("from=2022-01-01&to=2022-12-31"));
    expect(range.total).toBe(20);
    expect(range.rows.every((r) => r.code.startsWith("INT-2022-"))).toBe(true);

    const recorded = await listInterviews(q("status=recorded"));
    expect(recorded.rows.length).toBeGreaterThan(0);
    expect(recorded.rows.every((r) => r.status === "recorded")).toBe(true);

    const page2 = await listInterviews(q("page=2"));
    expect(page2.page).toBe(2);
    expect(page2.rows[0]!.id).not.toBe(all.rows[0]!.id);
    // Nonsense is ignored, not refused.
    expect(q("status=bogus&from=2022-13-45&page=-3")).toEqual({ page: 1, status: undefined, casePseudonym: undefined, from: undefined, to: undefined });
  });
});

describe("an interview edited in two places at once (ADR 0013)", () => {
  const post = (interviewId: string, values: Record<string, string | string[]>) => editPage.action({ request: postRequest(`/interviews/${interviewId}/edit`, researcher, values), params: { interviewId }, ...ctx });
  const loaded = async (interviewId: string) => {
    const data = await jsonOf(() => editPage.loader({ request: getRequest(`/interviews/${interviewId}/edit`, researcher), params: { interviewId }, ...ctx }));
    const base = Object.fromEntries(Object.entries(data.base as Record<string, string>).map(([k, v]) => [`base-${k}`, v]));
    const i = data.interview;
    return { values: { date: i.date, placeType: i.placeType, languages: i.languages, interviewerId: i.interviewerId, durationMinutes: i.durationMinutes, status: i.status, version: i.version }, base };
  };

  it("keeps a status step saved meanwhile when the other form changed only the duration", async () => {
    const { id } = await createInterview(null, grant, caseId, fields("2024-11-01"));
    const first = await loaded(id);
    const second = await loaded(id);
    expect((await (await post(id, { ...second.values, ...second.base, status: "recorded" })).json()).saved).toBe(true);
    const res = await (await post(id, { ...first.values, ...first.base, durationMinutes: "90" })).json();
    expect(res).toMatchObject({ saved: true, keptTheirs: ["status"] });
    expect(await db.interview.findUniqueOrThrow({ where: { id }, select: { status: true, durationMinutes: true } })).toEqual({ status: "recorded", durationMinutes: 90 });
  });

  it("refuses a date both changed, keeps the form it came from, and saves nothing", async () => {
    const { id } = await createInterview(null, grant, caseId, fields("2024-11-02"));
    const first = await loaded(id);
    const second = await loaded(id);
    await post(id, { ...second.values, ...second.base, date: "2024-11-03" });
    const res = await post(id, { ...first.values, ...first.base, date: "2024-11-04", languages: ["fa"] });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.conflict).toMatchObject({ conflicts: ["date"], current: { date: "2024-11-03" } });
    expect(body.formVersion).toBe(first.values.version); // the page keeps the form with the person's entries
    expect(await db.interview.findUniqueOrThrow({ where: { id }, select: { languages: true } })).toEqual({ languages: JSON.stringify(["ar", "de"]) });
    const again = Object.fromEntries(Object.entries(body.base as Record<string, string>).map(([k, v]) => [`base-${k}`, v]));
    expect((await (await post(id, { ...first.values, ...again, date: "2024-11-04", languages: ["fa"] })).json()).saved).toBe(true);
    const row = await db.interview.findUniqueOrThrow({ where: { id }, select: { date: true, languages: true } });
    expect({ date: row.date.toISOString().slice(0, 10), languages: row.languages }).toEqual({ date: "2024-11-04", languages: JSON.stringify(["fa"]) });
  });
});

describe("follow-up interviews (recontact)", () => {
  const PSEUDONYM = "LOE-2019-0077";
  let followCaseId: string;
  const form = (date: string) => ({ casePseudonym: PSEUDONYM, date, placeType: "office", languages: ["de"], interviewerId: researcher.user.id });
  const create = (date: string) => newPage.action({ request: postRequest("/interviews/new", researcher, form(date)), params: {}, ...ctx }) as Promise<Response>;
  const newForm = () => jsonOf(() => newPage.loader({ request: getRequest(`/interviews/new?case=${PSEUDONYM}`, researcher), params: {}, ...ctx }) as Promise<Response>);
  const overview = (interviewId: string) => jsonOf(() => overviewPage.loader({ request: getRequest(`/interviews/${interviewId}`, researcher), params: { interviewId }, ...ctx }) as Promise<Response>);
  const consent = (interviewId: string, version: number, recontact: boolean) =>
    db.$transaction([
      db.consentRecord.updateMany({ where: { interviewId }, data: { current: false } }),
      db.consentRecord.create({
        data: { interviewId, version, givenBy: "person", givenAt: day("2025-02-01"), form: "written", language: "de", infoSheetVersion: "1.0", scopeRecording: true, scopeRecontact: recontact },
      }),
    ]);
  const interviewsOfCase = () => db.interview.count({ where: { caseId: followCaseId } });
  const idFrom = (res: Response) => res.headers.get("location")!.split("/").pop()!;

  beforeAll(async () => {
    followCaseId = (await insertCase(PSEUDONYM, await municipalityId("08336050"))).id;
  });

  it("a first interview needs no recontact consent; a follow-up is refused without it, next to the case field, and nothing is created", async () => {
    expect((await newForm()).recontact).toEqual({ ok: true, basedOn: null });
    const first = await create("2025-02-01");
    expect(first.status).toBe(302);
    const firstId = idFrom(first);
    const firstLog = await db.auditLog.findFirstOrThrow({ where: { action: "interview.create", entityId: firstId }, select: { detail: true } });
    expect(JSON.parse(firstLog.detail!)).not.toHaveProperty("followUpOf");

    // A further interview while the first one's consent is not recorded: the person was never asked about recontact.
    expect((await newForm()).recontact).toEqual({ ok: false, basedOn: null, reason: "no-consent" });
    expect(await overview(firstId)).toMatchObject({ recontact: { ok: false, reason: "no-consent" }, canPlanFollowUp: false });
    // The first interview's own page: nothing earlier to ask about, its own consent is what is missing.
    const own = (await overview(firstId)).recontact;
    expect(noteText(own, "de", true)).toBe("Wiederkontakt: nicht erfasst – Zu diesem Interview ist noch keine Einwilligung erfasst. Bitte die Einwilligung dieses Interviews erfassen; sie hält auch fest, ob die Person erneut angesprochen werden darf.");
    expect(noteText(own, "en", true)).toBe("Re-contact: not recorded – No consent has been recorded for this interview yet. Please record this interview's consent; it also records whether the person may be contacted again.");
    // Planning the next interview, the earlier one's consent is what is missing.
    expect(noteText((await newForm()).recontact, "de")).toContain("nicht erlaubt Zu den Interviews dieses Falls ist noch keine Einwilligung erfasst: Bitte zuerst die Einwilligung des früheren Interviews erfassen.");
    const unasked = await create("2025-03-01");
    expect(unasked.status).toBe(403);
    expect(((await unasked.json()) as any).error.casePseudonym).toEqual(["interviews:recontact.refused.no-consent"]);
    expect(await interviewsOfCase()).toBe(1);

    await consent(firstId, 1, false);
    const code = (await db.interview.findUniqueOrThrow({ where: { id: firstId }, select: { code: true } })).code;
    expect((await newForm()).recontact).toEqual({ ok: false, basedOn: { kind: "consent", id: firstId, code, date: "2025-02-01" }, reason: "scope-missing" });
    expect(await overview(firstId)).toMatchObject({ recontact: { ok: false, reason: "scope-missing" }, canPlanFollowUp: false });

    const refused = await create("2025-09-01");
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as any;
    // Names the consent that decides, with the day it was given.
    expect(body.error.casePseudonym).toEqual([`interviews:recontact.refused.scope-missing|${JSON.stringify({ code, date: "01.02.2025" })}`]);
    expect(body.initialValue).toMatchObject({ casePseudonym: PSEUDONYM, date: "2025-09-01" }); // the form keeps what was entered
    expect(await interviewsOfCase()).toBe(1);

    // Counselling is not research (Art. 7(4)): the integration manager records contacts and sees the interview list as before.
    const contact = (await contactsPage.action({ request: postRequest(`/cases/${followCaseId}/contacts`, im, { intent: "add", date: "2025-09-02", kind: "phone", durationMinutes: "20" }), params: { caseId: followCaseId }, ...ctx })) as Response;
    expect((await contact.json()).saved).toBe(true);
    expect((await jsonOf(() => caseInterviewsPage.loader({ request: getRequest(`/cases/${followCaseId}/interviews`, im), params: { caseId: followCaseId }, ...ctx }) as Promise<Response>)).interviews).toHaveLength(1);
  });

  it("with recontact in the latest consent the follow-up is created and the audit entry names the consent it rests on", async () => {
    const firstId = (await db.interview.findFirstOrThrow({ where: { caseId: followCaseId }, select: { id: true } })).id;
    await consent(firstId, 2, true);
    expect(await overview(firstId)).toMatchObject({ recontact: { ok: true, basedOn: { id: firstId } }, canPlanFollowUp: true });
    const created = await create("2025-09-01");
    expect(created.status).toBe(302);
    const log = await db.auditLog.findFirstOrThrow({ where: { action: "interview.create", entityId: idFrom(created) }, select: { detail: true } });
    expect(JSON.parse(log.detail!)).toMatchObject({ followUpOf: firstId, recontactConsent: true });

    // The planned follow-up has no consent yet: the first interview's consent still decides, and may be taken back.
    expect((await newForm()).recontact).toMatchObject({ ok: true, basedOn: { id: firstId } });
    await consent(firstId, 3, false);
    expect((await create("2025-10-01")).status).toBe(403);
  });

  it("a whole withdrawal after the latest consent refuses, even once the interview is erased", async () => {
    const firstId = (await db.interview.findFirstOrThrow({ where: { caseId: followCaseId }, orderBy: { date: "asc" }, select: { id: true } })).id;
    await consent(firstId, 4, true);
    expect((await newForm()).recontact).toMatchObject({ ok: true });
    await db.withdrawal.create({ data: { interviewId: firstId, caseId: followCaseId, scope: "whole", parts: '["interview"]', status: "done" } });
    await db.interview.delete({ where: { id: firstId } });
    expect((await newForm()).recontact).toEqual({ ok: false, basedOn: { kind: "withdrawal", id: firstId, code: null, date: todayInGermany() }, reason: "withdrawn" });
    const refused = await create("2025-11-01");
    expect(refused.status).toBe(403);
    const today = formatDate(`${todayInGermany()}T00:00:00Z`, "de");
    expect(((await refused.json()) as any).error.casePseudonym).toEqual([`interviews:recontact.refused.withdrawn-erased|${JSON.stringify({ code: "", date: today })}`]);
  });

  it("the integration manager sees on the case whether recontact is allowed and the day it was decided, nothing else of the consent; the read is logged", async () => {
    const own = (await insertCase("LOE-2019-0080", await municipalityId("08336050"))).id;
    const tab = (user = im) => caseInterviewsPage.loader({ request: getRequest(`/cases/${own}/interviews`, user), params: { caseId: own }, ...ctx }) as Promise<Response>;
    const recontact = async () => (await jsonOf(tab)).recontact;
    // Nothing to come back to yet.
    expect(await recontact()).toBeNull();
    const first = await createInterview(null, grant, own, fields("2025-01-10"));
    expect(await recontact()).toEqual({ state: "notRecorded", date: null });
    await consent(first.id, 1, true);
    expect(await recontact()).toEqual({ state: "allowed", date: "2025-02-01" });
    // No scopes, no reason, not which interview's consent decides: the consent stays the research side's.
    expect(JSON.stringify(await jsonOf(tab))).not.toMatch(/scope|reason|basedOn|withdraw|consent|"id"/i);
    await consent(first.id, 2, false);
    expect(await recontact()).toEqual({ state: "notAllowed", date: "2025-02-01" });
    await db.withdrawal.create({ data: { interviewId: first.id, caseId: own, scope: "whole", parts: '["interview"]', status: "done", requestedAt: new Date("2025-06-10T10:00:00Z") } });
    await db.interview.delete({ where: { id: first.id } });
    expect(await recontact()).toEqual({ state: "notAllowed", date: "2025-06-10" });
    // A read of consent, logged once per window like the consent page's.
    const logged = await db.auditLog.findMany({ where: { userId: im.user.id, action: "consent.view", entityId: own }, select: { entity: true, detail: true } });
    expect(logged.map((l) => [l.entity, JSON.parse(l.detail!)])).toEqual([["case", { part: "recontact" }]]);
    // Another municipality's case stays a 404, and nothing of it is read.
    expect(await statusOf(() => tab(imElsewhere))).toBe(404);
    expect(await db.auditLog.count({ where: { userId: imElsewhere.user.id, action: "consent.view" } })).toBe(0);
  });

  it("is checked in the transaction that creates it: a withdrawal under way meanwhile refuses the follow-up", async () => {
    const own = (await insertCase("LOE-2019-0079", await municipalityId("08336050"))).id;
    const first = await createInterview(null, grant, own, fields("2025-01-10"));
    await consent(first.id, 1, true);
    let release!: () => void;
    let begun!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const written = new Promise<void>((r) => (begun = r));
    // A whole withdrawal on another connection, written as withdrawInterview writes it, not yet committed.
    const withdrawing = second.$transaction(
      async (tx) => {
        await tx.interview.updateMany({ where: { id: first.id }, data: { updatedAt: new Date() } });
        await tx.withdrawal.create({ data: { interviewId: first.id, caseId: own, scope: "whole", parts: '["interview"]', status: "pending" } });
        await tx.interview.update({ where: { id: first.id }, data: { status: "withdrawn" } });
        begun();
        await gate;
      },
      { timeout: 60_000 },
    );
    await written;
    const creating = newPage.action({ request: postRequest("/interviews/new", researcher, { ...form("2025-09-01"), casePseudonym: "LOE-2019-0079" }), params: {}, ...ctx }) as Promise<Response>;
    // The form is sent while the withdrawal is under way; the withdrawal commits a moment later.
    setTimeout(release, 300);
    await withdrawing;
    const res = await creating;
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.casePseudonym).toEqual([`interviews:recontact.refused.withdrawn|${JSON.stringify({ code: first.code, date: formatDate(`${todayInGermany()}T00:00:00Z`, "de") })}`]);
    expect(await db.interview.count({ where: { caseId: own } })).toBe(1);
  });

  it("is serialized with a consent version that takes recontact back at the same moment: never created on the decision taken back", async () => {
    const own = (await insertCase("LOE-2019-0076", await municipalityId("08336050"))).id;
    const first = await createInterview(null, grant, own, fields("2025-01-10"));
    const allowing = { givenBy: "person", givenAt: day("2025-02-01"), takenById: researcher.user.id, form: "written", language: "de", infoSheetVersion: "1.0", copyHandedOver: true, interpreterPresent: false, interpreterConfidentiality: false, ...noScopes, scopeRecording: true, scopeRecontact: true };
    await recordConsent(null, grant, first.id, allowing);
    // The follow-up, on another connection, has read the decision (recontact allowed) and is held just before its insert.
    let reached!: () => void;
    let release!: () => void;
    const held = new Promise<void>((r) => (reached = r));
    const gate = new Promise<void>((r) => (release = r));
    const holding = second.$extends({ query: { interview: { create: async ({ args, query }) => (reached(), await gate, query(args)) } } }) as unknown as Db;
    const creating = createFollowUp(null, grant, own, fields("2025-09-01"), holding);
    await held;
    // Meanwhile the researcher saves a version without recontact. It may finish or wait, but not slip in between.
    const saving = recordConsent(null, grant, first.id, { ...allowing, givenAt: day("2025-08-01"), scopeRecontact: false });
    await doneOrWaitingForLock(saving);
    release();
    const [created, saved] = await Promise.all([creating, saving]);
    expect(saved).toMatchObject({ version: 2 });
    const followUp = await db.auditLog.findFirst({ where: { action: "interview.create", detail: { contains: `"followUpOf":"${first.id}"` } }, select: { id: true } });
    const takenBack = await db.auditLog.findFirstOrThrow({ where: { action: "consent.record", entityId: first.id }, orderBy: { id: "desc" }, select: { id: true } });
    if ("created" in created) {
      // Created on the allowing version: only before the version that takes it back (PostgreSQL: the save waited).
      expect(followUp!.id, "the follow-up is logged before the version that takes recontact back").toBeLessThan(takenBack.id);
    } else {
      // Or asked again after it (SQLite: the stale read fails the insert, the retry asks again) and refused.
      expect(created.refused).toMatchObject({ reason: "scope-missing", basedOn: { kind: "consent", id: first.id, date: "2025-08-01" } });
      expect(followUp).toBeNull();
      expect(await db.interview.count({ where: { caseId: own } })).toBe(1);
    }
  });

  it("a refusal names what decides: the withdrawal of the other interview and its day, not a consent that allows recontact", async () => {
    const own = (await insertCase("LOE-2019-0078", await municipalityId("08336050"))).id;
    const allowed = await createInterview(null, grant, own, fields("2025-01-10"));
    const withdrawn = await createInterview(null, grant, own, fields("2025-03-01"));
    await consent(allowed.id, 1, true);
    await consent(withdrawn.id, 1, true);
    await db.withdrawal.create({ data: { interviewId: withdrawn.id, caseId: own, scope: "whole", parts: '["interview"]', status: "pending", requestedAt: new Date("2025-06-10T10:00:00Z") } });
    await db.interview.update({ where: { id: withdrawn.id }, data: { status: "withdrawn" } });
    const refusal = async () => {
      const res = (await newPage.action({ request: postRequest("/interviews/new", researcher, { ...form("2025-09-01"), casePseudonym: "LOE-2019-0078" }), params: {}, ...ctx })) as Response;
      expect(res.status).toBe(403);
      return ((await res.json()) as any).error.casePseudonym;
    };
    expect(await overview(allowed.id)).toMatchObject({ recontact: { ok: false, reason: "withdrawn", basedOn: { kind: "withdrawal", id: withdrawn.id, code: withdrawn.code, date: "2025-06-10" } } });
    expect(await refusal()).toEqual([`interviews:recontact.refused.withdrawn|${JSON.stringify({ code: withdrawn.code, date: "10.06.2025" })}`]);
    // Once erased, the Withdrawal row keeps the day but no code: the message says the interview is gone.
    await db.interview.delete({ where: { id: withdrawn.id } });
    expect(await overview(allowed.id)).toMatchObject({ recontact: { ok: false, basedOn: { kind: "withdrawal", id: withdrawn.id, code: null, date: "2025-06-10" } } });
    expect(await refusal()).toEqual([`interviews:recontact.refused.withdrawn-erased|${JSON.stringify({ code: "", date: "10.06.2025" })}`]);
  });
});
