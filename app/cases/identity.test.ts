// Identity data are stored encrypted (the raw row holds none of the values), shown only within scope, and
// every view writes an audit entry that names no values.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { createCase } from "./cases.server.ts";
import { ctx, ensureReference, getRequest, grantFor, jsonOf, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "./test-support.ts";
import * as identityPage from "../routes/cases.$caseId.identity.tsx";

let im: TestUser;
let other: TestUser;
let caseId: string;
const identity = { firstName: "Yonas", lastName: "Tesfamariam", dateOfBirth: "2003-08-19", address: "Basler Straße 12", azrNumber: "6283417-475" };

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  im = await signedInUser("im.identity", ["integration_manager"], [loerrach]);
  other = await signedInUser("im.elsewhere", ["integration_manager"], [await municipalityId("08336091")]);
  const created = await createCase(null, grantFor(im.user, "write", "case"), { municipalityId: loerrach, group: "refugee", imStart: new Date("2022-05-02T00:00:00Z") }, identity);
  caseId = created.id;
});

const views = () => db.auditLog.count({ where: { action: "identity.view", entityId: caseId } });

describe("identity data", () => {
  it("are stored encrypted: the raw row contains none of the values", async () => {
    const row = await db.identity.findUniqueOrThrow({ where: { caseId } });
    const raw = JSON.stringify(row);
    const decoded = Buffer.from(row.ciphertext, "base64").toString("latin1");
    for (const value of Object.values(identity)) {
      expect(raw).not.toContain(value);
      expect(decoded).not.toContain(value);
    }
    expect(row.keyId).toBeTruthy();
  });

  it("are shown decrypted to the manager, and every view is logged", async () => {
    const before = await views();
    const first = await jsonOf(() => identityPage.loader({ request: getRequest(`/cases/${caseId}/identity`, im), params: { caseId }, ...ctx }));
    expect(first.identity).toMatchObject(identity);
    await identityPage.loader({ request: getRequest(`/cases/${caseId}/identity`, im), params: { caseId }, ...ctx });
    expect(await views()).toBe(before + 2);
    const entries = await db.auditLog.findMany({ where: { action: "identity.view", entityId: caseId }, select: { userId: true, detail: true } });
    expect(entries.every((e) => e.userId === im.user.id)).toBe(true);
    for (const value of Object.values(identity)) expect(JSON.stringify(entries)).not.toContain(value);
  });

  it("are not shown to a manager of another municipality, and nothing is decrypted", async () => {
    const before = await views();
    expect(await statusOf(() => identityPage.loader({ request: getRequest(`/cases/${caseId}/identity`, other), params: { caseId }, ...ctx }))).toBe(404);
    expect(await views()).toBe(before);
  });

  it("are refused to roles without identity access", async () => {
    const researcher = await signedInUser("researcher.identity", ["researcher"]);
    expect(await statusOf(() => identityPage.loader({ request: getRequest(`/cases/${caseId}/identity`, researcher), params: { caseId }, ...ctx }))).toBe(403);
  });

  it("can be changed, encrypted again and audited with field names only", async () => {
    const res = await identityPage.action({ request: postRequest(`/cases/${caseId}/identity`, im, { ...identity, phone: "07621 55 66 77", lastName: "", ground: "inaccurate" }), params: { caseId }, ...ctx });
    expect(res.status).toBe(302);
    const data = await jsonOf(() => identityPage.loader({ request: getRequest(`/cases/${caseId}/identity`, im), params: { caseId }, ...ctx }));
    expect(data.identity.phone).toBe("07621 55 66 77");
    expect(data.identity.lastName).toBeUndefined();
    const row = await db.identity.findUniqueOrThrow({ where: { caseId } });
    expect(JSON.stringify(row)).not.toContain("07621");
    const update = await db.auditLog.findFirstOrThrow({ where: { action: "identity.update", entityId: caseId, userId: im.user.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(update.detail!).fieldsSet).toContain("phone");
    expect(update.detail).not.toContain("07621");
  });

  it("empties a stored field only with a legal ground: without one nothing is saved and the entries come back", async () => {
    const kase = await createCase(null, grantFor(im.user, "write", "case"), { municipalityId: await municipalityId("08336050"), group: "refugee", imStart: new Date("2022-05-02T00:00:00Z") }, identity);
    const id = kase.id;
    const save = (fields: Record<string, string>) => identityPage.action({ request: postRequest(`/cases/${id}/identity`, im, fields), params: { caseId: id }, ...ctx });
    const updates = () => db.auditLog.count({ where: { action: "identity.update", entityId: id } });
    const before = await updates();
    for (const [ground, note, field, message] of [
      ["", "Anruf vom 3.3.", "ground", "validation.choose"],
      ["weil ich es sage", "", "ground", "validation.choose"],
      ["inaccurate", "x".repeat(201), "note", 'validation.tooLong|{"max":200}'],
    ] as const) {
      const res = await save({ ...identity, address: "", phone: "07621 1", ground, note });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
      expect(body.result.error).toEqual({ [field]: [message] });
      expect(body.result.initialValue).toMatchObject({ phone: "07621 1", ...(note ? { note } : {}) });
    }
    const kept = await jsonOf(() => identityPage.loader({ request: getRequest(`/cases/${id}/identity`, im), params: { caseId: id }, ...ctx }));
    expect(kept.identity.address).toBe(identity.address);
    expect(kept.identity.phone).toBeUndefined();
    expect(await updates()).toBe(before);
    // Replacing a value corrects it: no ground needed.
    expect((await save({ ...identity, firstName: "Yonatan" })).status).toBe(302);
    expect((await save({ ...identity, firstName: "Yonatan", address: "", lastName: "", ground: "objection", note: "Widerspruch vom 3.3." })).status).toBe(302);
    const data = await jsonOf(() => identityPage.loader({ request: getRequest(`/cases/${id}/identity`, im), params: { caseId: id }, ...ctx }));
    expect(data.identity).toEqual({ firstName: "Yonatan", dateOfBirth: identity.dateOfBirth, azrNumber: identity.azrNumber });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "identity.update", entityId: id }, orderBy: { id: "desc" } });
    expect(JSON.parse(entry.detail!)).toEqual({ fieldsSet: ["firstName", "dateOfBirth", "azrNumber"], fieldsCleared: ["lastName", "address"], ground: "objection", note: "Widerspruch vom 3.3." });
  });

  it("refuses a date of birth that is no real day, in the future or before 1900, and keeps the stored one", async () => {
    const future = `${new Date().getUTCFullYear() + 1}-01-01`;
    for (const [dateOfBirth, message] of [["2003-02-31", "validation.invalidDate"], [future, "validation.futureDate"], ["1850-01-01", 'validation.dateTooEarly|{"year":1900}']] as const) {
      const res = await identityPage.action({ request: postRequest(`/cases/${caseId}/identity`, im, { ...identity, dateOfBirth }), params: { caseId }, ...ctx });
      expect(res.status, dateOfBirth).toBe(400);
      expect(((await res.json()) as { result: { error: Record<string, string[]> } }).result.error.dateOfBirth, dateOfBirth).toEqual([message]);
    }
    const data = await jsonOf(() => identityPage.loader({ request: getRequest(`/cases/${caseId}/identity`, im), params: { caseId }, ...ctx }));
    expect(data.identity.dateOfBirth).toBe("2003-08-19");
  });
});
