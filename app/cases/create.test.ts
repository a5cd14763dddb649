// Creating a case is all or nothing: an invalid field, a municipality outside scope or a failure after the
// case row was written leave no case, no identity record and no audit entry behind.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { createCase } from "./cases.server.ts";
import { ctx, ensureReference, grantFor, jsonOf, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "./test-support.ts";
import * as newCase from "../routes/cases.new.tsx";
import type { IdentityData } from "../identity/identity.ts";

let im: TestUser;
let loerrach: string;
let weil: string;
const identity = { firstName: "Amina", lastName: "Haddad", dateOfBirth: "1990-02-03", phone: "0176 1234 5678" };

async function nothingSaved() {
  expect(await db.case.count()).toBe(0);
  expect(await db.identity.count()).toBe(0);
  expect(await db.auditLog.count({ where: { action: { in: ["case.create", "identity.update"] } } })).toBe(0);
}

beforeAll(async () => {
  await ensureReference();
  loerrach = await municipalityId("08336050");
  weil = await municipalityId("08336091");
  im = await signedInUser("im.create", ["integration_manager"], [loerrach]);
});

const post = (fields: Record<string, string>) => newCase.action({ request: postRequest("/cases/new", im, fields), params: {}, ...ctx });

describe("creating a case", () => {
  it("saves nothing when a field is invalid, and says which field", async () => {
    const future = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
    const cases: [Record<string, string>, string][] = [
      [{ municipalityId: loerrach, group: "refugee", imStart: future, ...identity }, "imStart"],
      [{ municipalityId: loerrach, group: "refugee", imStart: "2024-02-30", ...identity }, "imStart"],
      [{ municipalityId: loerrach, group: "tourist", imStart: "2024-02-01", ...identity }, "group"],
      [{ municipalityId: weil, group: "refugee", imStart: "2024-02-01", ...identity }, "municipalityId"],
      [{ municipalityId: loerrach, group: "refugee", imStart: "2024-02-01", ...identity, dateOfBirth: "3.2.1990" }, "dateOfBirth"],
      [{ municipalityId: loerrach, group: "refugee", imStart: "2024-02-01", ...identity, address: "x".repeat(301) }, "address"],
    ];
    for (const [fields, wrong] of cases) {
      const res = await post(fields);
      expect(res.status, wrong).toBe(400);
      const reply = (await res.json()) as { error: Record<string, string[]> };
      expect(Object.keys(reply.error), wrong).toEqual([wrong]);
    }
    await nothingSaved();
  });

  it("rolls everything back when a step after the case row fails", async () => {
    const grant = grantFor(im.user, "write", "case");
    // A value the identity store cannot serialise makes writeIdentity throw after the case insert.
    const broken = { firstName: 1n } as unknown as IdentityData;
    await expect(createCase(null, grant, { municipalityId: loerrach, group: "refugee", imStart: new Date("2024-02-01T00:00:00Z") }, broken)).rejects.toThrow();
    await nothingSaved();
  });

  it("refuses a request without the CSRF token", async () => {
    const body = new URLSearchParams({ municipalityId: loerrach, group: "refugee", imStart: "2024-02-01" });
    const request = new Request("http://localhost/cases/new", { method: "POST", headers: { cookie: im.cookie, "content-type": "application/x-www-form-urlencoded" }, body });
    expect(await statusOf(() => newCase.action({ request, params: {}, ...ctx }))).toBe(403);
    await nothingSaved();
  });

  it("creates the case with its pseudonym, identity and audit entries, and redirects to it", async () => {
    const res = await post({ municipalityId: loerrach, group: "eu_migrant", imStart: "2023-07-01", ...identity });
    expect(res.status).toBe(302);
    const created = await db.case.findFirstOrThrow({ select: { id: true, pseudonym: true, municipalityId: true, group: true, imStart: true, status: true, createdById: true } });
    expect(res.headers.get("location")).toBe(`/cases/${created.id}`);
    expect(created).toMatchObject({ pseudonym: "LOE-2023-0001", municipalityId: loerrach, group: "eu_migrant", status: "active", createdById: im.user.id });
    expect(created.imStart.toISOString()).toBe("2023-07-01T00:00:00.000Z");
    expect(await db.identity.count({ where: { caseId: created.id } })).toBe(1);
    const entries = await db.auditLog.findMany({ where: { entityId: created.id }, select: { action: true, detail: true, userId: true }, orderBy: { id: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(["case.create", "identity.update"]);
    expect(entries.every((e) => e.userId === im.user.id)).toBe(true);
    // The audit names the fields that were set, never their values.
    for (const value of Object.values(identity)) expect(JSON.stringify(entries)).not.toContain(value);
  });

  it("creates a case without identity data and writes no identity record", async () => {
    const res = await post({ municipalityId: loerrach, group: "refugee", imStart: "2023-08-01" });
    expect(res.status).toBe(302);
    const created = await db.case.findFirstOrThrow({ where: { pseudonym: "LOE-2023-0002" }, select: { id: true } });
    expect(await db.identity.count({ where: { caseId: created.id } })).toBe(0);
  });

  it("offers only the manager's municipalities", async () => {
    const data = await jsonOf(() => newCase.loader({ request: new Request("http://localhost/cases/new", { headers: { cookie: im.cookie } }), params: {}, ...ctx }));
    expect(data.municipalities.map((m: { id: string }) => m.id)).toEqual([loerrach]);
  });
});
