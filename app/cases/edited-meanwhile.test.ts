// Two integration managers edit the same case or identity record from forms loaded at the same time (ADR 0013):
// a field only the other changed keeps the other's value, a field both changed is refused with the newer value
// shown and nothing saved, and saving again then takes the person's entries. Before, the later save wrote the
// older values of every field back, silently.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { createCase } from "./cases.server.ts";
import { readIdentity } from "../identity/identity.server.ts";
import { ctx, ensureReference, getRequest, grantFor, jsonOf, municipalityId, postRequest, signedInUser, type TestUser } from "./test-support.ts";
import * as editPage from "../routes/cases.$caseId.edit.tsx";
import * as identityPage from "../routes/cases.$caseId.identity.tsx";
import { BASE_PREFIX } from "../utils/field-merge.ts";

let anna: TestUser;
let ben: TestUser;
let loerrach: string;
let rheinfelden: string;

// The actions' JSON, read as the page reads it.
const bodyOf = (res: Response) => res.json() as Promise<any>;
const withBase = (values: Record<string, string>, base: Record<string, string>) => ({ ...values, ...Object.fromEntries(Object.entries(base).map(([k, v]) => [BASE_PREFIX + k, v])) });

beforeAll(async () => {
  await ensureReference();
  loerrach = await municipalityId("08336050");
  rheinfelden = await municipalityId("08336069");
  anna = await signedInUser("im.meanwhile.anna", ["integration_manager"], [loerrach, rheinfelden]);
  ben = await signedInUser("im.meanwhile.ben", ["integration_manager"], [loerrach, rheinfelden]);
});

async function newCase() {
  const created = await createCase(null, grantFor(anna.user, "write", "case"), { municipalityId: loerrach, group: "refugee", imStart: new Date("2022-05-02T00:00:00Z") }, { firstName: "Yonas", phone: "07621 1111" });
  return created.id;
}

describe("case fields saved meanwhile", () => {
  const load = async (who: TestUser, caseId: string) => (await jsonOf(() => editPage.loader({ request: getRequest(`/cases/${caseId}/edit`, who), params: { caseId }, ...ctx }))).case as Record<string, string>;
  const save = (who: TestUser, caseId: string, values: Record<string, string>) => editPage.action({ request: postRequest(`/cases/${caseId}/edit`, who, values), params: { caseId }, ...ctx });
  const form = (v: Record<string, string>) => ({ municipalityId: String(v.municipalityId), group: String(v.group), imStart: String(v.imStart) });

  it("keeps the other's change in a field the person left alone, and says so", async () => {
    const caseId = await newCase();
    const annaForm = await load(anna, caseId);
    const benForm = await load(ben, caseId);
    expect((await save(ben, caseId, withBase({ ...form(benForm), group: "eu_migrant" }, form(benForm)))).status).toBe(302);
    const res = await save(anna, caseId, withBase({ ...form(annaForm), imStart: "2022-06-01" }, form(annaForm)));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/cases/${caseId}?kept=group`);
    const row = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect({ group: row.group, imStart: row.imStart.toISOString().slice(0, 10) }).toEqual({ group: "eu_migrant", imStart: "2022-06-01" });
  });

  it("refuses a field both changed, shows the newer value, saves nothing; saving again takes the person's entries", async () => {
    const caseId = await newCase();
    const annaForm = await load(anna, caseId);
    await save(ben, caseId, withBase({ ...form(annaForm), municipalityId: rheinfelden, imStart: "2023-01-01" }, form(annaForm)));
    const mine = { ...form(annaForm), group: "other_migrant", imStart: "2022-08-01" };
    const conflict = await save(anna, caseId, withBase(mine, form(annaForm)));
    expect(conflict.status).toBe(409);
    const body = await bodyOf(conflict);
    expect(body.conflict.conflicts).toEqual(["imStart"]);
    expect(body.conflict.current.imStart).toBe("2023-01-01");
    // The next save's base: the newer start (shown), the old municipality (only Ben changed it, so it stays his).
    expect(body.base).toEqual({ ...form(annaForm), imStart: "2023-01-01" });
    const unchanged = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(unchanged.group).toBe("refugee"); // not even the field without a conflict
    const resaved = await save(anna, caseId, withBase(mine, body.base));
    expect(resaved.status).toBe(302);
    const row = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect({ municipalityId: row.municipalityId, group: row.group, imStart: row.imStart.toISOString().slice(0, 10) }).toEqual({ municipalityId: rheinfelden, group: "other_migrant", imStart: "2022-08-01" });
  });

  it("keeps the form's base after a refused entry, so a later save does not overwrite what was saved meanwhile", async () => {
    const caseId = await newCase();
    const annaForm = await load(anna, caseId);
    const invalid = await save(anna, caseId, withBase({ ...form(annaForm), imStart: "" }, form(annaForm)));
    expect(invalid.status).toBe(400);
    expect((await bodyOf(invalid)).base).toEqual(form(annaForm));
  });
});

describe("identity saved meanwhile", () => {
  const IDENTITY_FORM = { firstName: "Yonas", lastName: "", dateOfBirth: "", address: "", phone: "07621 1111", azrNumber: "", bamfNumber: "", otherFileNumbers: "" };
  const save = (who: TestUser, caseId: string, values: Record<string, string>) => identityPage.action({ request: postRequest(`/cases/${caseId}/identity`, who, values), params: { caseId }, ...ctx });
  const stored = async (caseId: string) => readIdentity(getRequest("/", anna), anna.user, caseId);

  it("keeps the other's new phone number when the person only added an address", async () => {
    const caseId = await newCase();
    expect((await save(ben, caseId, withBase({ ...IDENTITY_FORM, phone: "07621 2222" }, IDENTITY_FORM))).status).toBe(302);
    const res = await save(anna, caseId, withBase({ ...IDENTITY_FORM, address: "Basler Straße 12" }, IDENTITY_FORM));
    expect(res.headers.get("location")).toBe(`/cases/${caseId}/identity?saved=1&kept=phone`);
    expect(await stored(caseId)).toEqual({ firstName: "Yonas", phone: "07621 2222", address: "Basler Straße 12" });
  });

  it("refuses a field both changed, with the newer value shown to someone who may read it, and audits that read", async () => {
    const caseId = await newCase();
    await save(ben, caseId, withBase({ ...IDENTITY_FORM, phone: "07621 2222" }, IDENTITY_FORM));
    const views = () => db.auditLog.count({ where: { action: "identity.view", entityId: caseId } });
    const before = await views();
    const res = await save(anna, caseId, withBase({ ...IDENTITY_FORM, phone: "07621 3333", lastName: "Tesfamariam" }, IDENTITY_FORM));
    expect(res.status).toBe(409);
    const body = await bodyOf(res);
    expect(body.conflict.conflicts).toEqual(["phone"]);
    expect(body.conflict.current.phone).toBe("07621 2222");
    expect(await views()).toBe(before + 1);
    expect(await stored(caseId)).toEqual({ firstName: "Yonas", phone: "07621 2222" }); // nothing of Anna's saved
    expect((await save(anna, caseId, withBase({ ...IDENTITY_FORM, phone: "07621 3333", lastName: "Tesfamariam" }, body.base))).status).toBe(302);
    expect(await stored(caseId)).toEqual({ firstName: "Yonas", phone: "07621 3333", lastName: "Tesfamariam" });
  });

  it("takes a save without a base as it is (a page loaded before this change)", async () => {
    const caseId = await newCase();
    await save(ben, caseId, withBase({ ...IDENTITY_FORM, phone: "07621 2222" }, IDENTITY_FORM));
    expect((await save(anna, caseId, { ...IDENTITY_FORM, address: "Basler Straße 12" })).status).toBe(302);
    expect(await stored(caseId)).toEqual({ firstName: "Yonas", phone: "07621 1111", address: "Basler Straße 12" });
  });
});
