import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { encodeValue } from "../indicators/values.ts";
import { action as editIndicatorAction } from "../routes/admin.indicators.$indicatorId.tsx";
import { action as newIndicatorAction } from "../routes/admin.indicators._index.tsx";
import { updateIndicator } from "./indicators.server.ts";
import { makeUser, postRequest, routeArgs, signIn, type TestSession } from "./test-support.ts";
import { NEVER_STALE_MONTHS } from "../indicators/staleness.ts";
import { newRecordKey } from "../statistics/record-key.server.ts";
import { createI18n } from "../i18n/config.ts";
import { translateError } from "../components/forms.tsx";

let session: TestSession;
let admin: { id: string; username: string };
let caseIds: string[];
const ctx = () => ({ request: null, actor: admin });
const indicator = (code: string) => db.indicatorDefinition.findUniqueOrThrow({ where: { code } });

async function snapshot(caseId: string, code: string, value: unknown) {
  const def = await indicator(code);
  await db.snapshot.create({ data: { caseId, indicatorId: def.id, state: "known", value: encodeValue(value), observedAt: new Date("2025-01-01"), source: "im_akte" } });
}

beforeAll(async () => {
  await seedReference(db);
  admin = await makeUser("pflege", ["admin"]);
  session = await signIn(admin.id);
  const m = await db.municipality.findUniqueOrThrow({ where: { ags: "08336050" } });
  caseIds = [];
  for (let i = 1; i <= 3; i++) {
    const c = await db.case.create({ data: { recordKey: newRecordKey(), pseudonym: `LOE-2025-900${i}`, municipalityId: m.id, group: "refugee", imStart: new Date("2024-01-01") } });
    caseIds.push(c.id);
  }
  // German level A1 three times (one an older observation), B1 once; benefits as a multi value.
  await snapshot(caseIds[0]!, "S.DTNIV", "A1");
  await snapshot(caseIds[1]!, "S.DTNIV", "A1");
  await snapshot(caseIds[1]!, "S.DTNIV", "A1");
  await snapshot(caseIds[2]!, "S.DTNIV", "B1");
  await snapshot(caseIds[0]!, "S.LEIST", ["sgb2", "asylblg"]);
  await snapshot(caseIds[1]!, "S.LEIST", ["sgb2"]);
  await snapshot(caseIds[2]!, "P.STAAT", ["SYR"]);
});

const form = (def: { labelDe: string; labelEn: string; stalenessMonths: number }, extra: Record<string, string> = {}) => ({
  labelDe: def.labelDe,
  labelEn: def.labelEn,
  stalenessMonths: String(def.stalenessMonths),
  active: "on",
  ...extra,
});

describe("editing indicator definitions", () => {
  it("refuses removing an allowed value that snapshots use, naming how many, and changes nothing", async () => {
    const before = await indicator("S.DTNIV");
    const res = await editIndicatorAction(
      routeArgs(postRequest(`/admin/indicators/${before.id}`, session, form(before, { allowedValues: "keins\nA2\nB1\nB2\nC1\nC2", stalenessMonths: "6" })), { indicatorId: before.id }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { result: { error: Record<string, string[]> } };
    expect(body.result.error.allowedValues).toEqual([`admin:indicators.valueInUse|${JSON.stringify({ value: "A1", count: 3 })}`]);
    expect(await indicator("S.DTNIV")).toEqual(before);
    expect(await db.auditLog.count({ where: { action: "indicator.update" } })).toBe(0);
  });

  it("looks inside multi values exactly: a used value is refused, an unused one may go", async () => {
    const def = await indicator("S.LEIST");
    const refused = await updateIndicator(ctx(), def.id, { labelDe: def.labelDe, labelEn: def.labelEn, stalenessMonths: 12, active: true, allowedValues: ["keiner", "asylblg", "sgb12", "sgb3", "bafoeg_bab"] });
    expect(refused).toEqual({ ok: false, fieldErrors: { allowedValues: [`admin:indicators.valueInUse|${JSON.stringify({ value: "sgb2", count: 2 })}`] } });
    const ok = await updateIndicator(ctx(), def.id, { labelDe: def.labelDe, labelEn: def.labelEn, stalenessMonths: 12, active: true, allowedValues: ["keiner", "sgb2", "asylblg", "sgb3", "bafoeg_bab", "wohngeld"] });
    expect(ok).toEqual({ ok: true, changed: ["allowedValues"] });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "indicator.update", entityId: def.id } });
    expect(JSON.parse(entry.detail!)).toEqual({ code: "S.LEIST", fields: ["allowedValues"], added: ["wohngeld"], removed: ["sgb12"] });
  });

  it("closing a free code list must keep the recorded codes", async () => {
    const def = await indicator("P.STAAT");
    expect(def.allowedValues).toBeNull();
    const input = { labelDe: def.labelDe, labelEn: def.labelEn, stalenessMonths: def.stalenessMonths, active: true };
    expect(await updateIndicator(ctx(), def.id, { ...input, allowedValues: ["AFG", "UKR"] })).toMatchObject({ ok: false });
    expect(await updateIndicator(ctx(), def.id, { ...input, allowedValues: ["AFG", "SYR", "UKR"] })).toEqual({ ok: true, changed: ["allowedValues"] });
  });

  it("saves labels, staleness and the active flag and audits the changed field names", async () => {
    const def = await indicator("S.DTNIV");
    const res = await editIndicatorAction(
      routeArgs(postRequest(`/admin/indicators/${def.id}`, session, { labelDe: "Deutschkenntnisse", labelEn: def.labelEn, stalenessMonths: "18", allowedValues: "keins\nA1\nA2\nB1\nB2\nC1" }), {
        indicatorId: def.id,
      }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { changed: string[] }).changed).toEqual(["labelDe", "stalenessMonths", "active", "allowedValues"]);
    const after = await indicator("S.DTNIV");
    expect(after).toMatchObject({ labelDe: "Deutschkenntnisse", stalenessMonths: 18, active: false, allowedValues: JSON.stringify(["keins", "A1", "A2", "B1", "B2", "C1"]) });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "indicator.update", entityId: def.id } });
    expect(JSON.parse(entry.detail!)).toEqual({ code: "S.DTNIV", fields: ["labelDe", "stalenessMonths", "active", "allowedValues"], removed: ["C2"] });
    expect(entry.userId).toBe(admin.id);
  });

  it("validates staleness (1-1200 months, 1200 meaning never) and number ranges", async () => {
    const def = await indicator("S.LZUF");
    const bad = await editIndicatorAction(routeArgs(postRequest(`/admin/indicators/${def.id}`, session, form(def, { stalenessMonths: "1201", minValue: "10", maxValue: "0" })), { indicatorId: def.id }));
    expect(bad.status).toBe(400);
    const errors = ((await bad.json()) as { result: { error: Record<string, string[]> } }).result.error;
    expect(errors.stalenessMonths?.[0]).toMatch(/^validation\.wholeNumber/);
    expect(errors.maxValue).toEqual(["admin:indicators.minAboveMax"]);
    const ok = await editIndicatorAction(routeArgs(postRequest(`/admin/indicators/${def.id}`, session, form(def, { minValue: "0", maxValue: "10.5" })), { indicatorId: def.id }));
    expect(ok.status).toBe(200);
    expect(await indicator("S.LZUF")).toMatchObject({ minValue: 0, maxValue: 10.5 });
  });

  it("refuses a range that leaves out recorded values, or a number too large to store, and keeps the old range", async () => {
    const def = await indicator("P.GEBJ");
    await snapshot(caseIds[0]!, "P.GEBJ", 1961);
    await snapshot(caseIds[1]!, "P.GEBJ", 1994);
    await snapshot(caseIds[2]!, "P.GEBJ", 2003);
    const post = (extra: Record<string, string>) => editIndicatorAction(routeArgs(postRequest(`/admin/indicators/${def.id}`, session, form(def, extra)), { indicatorId: def.id }));
    const errorsOf = async (res: Response) => ((await res.json()) as { result: { error: Record<string, string[]> } }).result.error;

    const narrow = await post({ minValue: "1990", maxValue: "2000" });
    expect(narrow.status).toBe(400);
    expect((await errorsOf(narrow)).minValue).toEqual([`admin:indicators.rangeInUse|${JSON.stringify({ count: 2, lowest: 1961, highest: 2003 })}`]);
    const huge = await post({ minValue: "1e400", maxValue: "2100" });
    expect(huge.status).toBe(400);
    expect((await errorsOf(huge)).minValue).toEqual(["validation.number"]);
    expect(await indicator("P.GEBJ")).toEqual(def);

    expect((await post({ minValue: "1950", maxValue: "2010" })).status).toBe(200);
    expect(await indicator("P.GEBJ")).toMatchObject({ minValue: 1950, maxValue: 2010 });
  });
});

describe("new indicators", () => {
  it("need a unique code like S.ABC and start inactive", async () => {
    const post = (fields: Record<string, string>) => newIndicatorAction(routeArgs(postRequest("/admin/indicators", session, { intent: "create", labelDe: "Führerschein", labelEn: "driving licence", category: "soft", type: "boolean", ...fields })));
    const badCode = await post({ code: "fuehrerschein" });
    expect(((await badCode.json()) as { error: Record<string, string[]> }).error.code).toEqual(["admin:indicators.codePattern"]);
    const taken = await post({ code: "s.dtniv" });
    expect(((await taken.json()) as { error: Record<string, string[]> }).error.code).toEqual(["admin:indicators.codeTaken"]);

    const created = await post({ code: "S.FUEHR", dimension: "STR" });
    expect(created.status).toBe(302);
    const row = await indicator("S.FUEHR");
    expect(created.headers.get("location")).toBe(`/admin/indicators/${row.id}?created=1`);
    expect(row).toMatchObject({ active: false, type: "boolean", category: "soft", dimension: "STR", stalenessMonths: 12 });
    expect(await db.auditLog.count({ where: { action: "indicator.create", entityId: row.id } })).toBe(1);
  });

  it("an enum cannot be activated without allowed values", async () => {
    const created = await newIndicatorAction(routeArgs(postRequest("/admin/indicators", session, { intent: "create", code: "S.WOHNF", labelDe: "Wohnform", labelEn: "living arrangement", category: "soft", type: "enum" })));
    expect(created.status).toBe(302);
    const def = await indicator("S.WOHNF");
    const res = await editIndicatorAction(routeArgs(postRequest(`/admin/indicators/${def.id}`, session, form(def, { allowedValues: "" })), { indicatorId: def.id }));
    expect(((await res.json()) as { result: { error: Record<string, string[]> } }).result.error.allowedValues).toEqual(["admin:indicators.valuesRequired"]);
  });
});

describe("facts that do not change", () => {
  it("never go stale as seeded (birth year, sex, naturalisation date); changing facts after 12 months", async () => {
    const months = Object.fromEntries((await db.indicatorDefinition.findMany({ where: { code: { in: ["P.GEBJ", "P.GESCHL", "S.EINB", "S.ERW"] } }, select: { code: true, stalenessMonths: true } })).map((d) => [d.code, d.stalenessMonths]));
    expect(months).toEqual({ "P.GEBJ": NEVER_STALE_MONTHS, "P.GESCHL": NEVER_STALE_MONTHS, "S.EINB": NEVER_STALE_MONTHS, "S.ERW": 12 });
  });

  it("says which whole numbers the staleness takes when given 1.5 or text, in either language", async () => {
    const def = await indicator("S.DTNIV");
    for (const typed of ["1.5", "zwölf", "0", "1201"]) {
      const res = await editIndicatorAction(routeArgs(postRequest(`/admin/indicators/${def.id}`, session, form(def, { stalenessMonths: typed })), { indicatorId: def.id }));
      expect(res.status).toBe(400);
      const [error] = ((await res.json()) as { result: { error: Record<string, string[]> } }).result.error.stalenessMonths!;
      expect(translateError(createI18n("de").t, error!), typed).toBe("Bitte eine ganze Zahl von 1 bis 1.200 angeben.");
      expect(translateError(createI18n("en").t, error!), typed).toBe("Please give a whole number from 1 to 1,200.");
    }
    expect(await indicator("S.DTNIV")).toEqual(def);
  });
});
