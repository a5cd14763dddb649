// Households: linking two cases makes (or extends) one household, linking across two households merges
// them, unlinking takes a case out and dissolves a household left with one member. Scope applies throughout.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { householdOf, linkHousehold, unlinkHousehold } from "./household.server.ts";
import { ctx, ensureReference, getRequest, grantFor, insertCase, jsonOf, municipalityId, postRequest, signedInUser, type TestUser } from "./test-support.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import * as overview from "../routes/cases.$caseId._index.tsx";
import * as householdPage from "../routes/cases.$caseId.household.tsx";

let im: TestUser;
let grant: Grant;
const c: Record<string, { id: string; pseudonym: string }> = {};
const householdIdOf = async (key: string) => (await db.case.findUniqueOrThrow({ where: { id: c[key]!.id }, select: { householdId: true } })).householdId;

beforeAll(async () => {
  await ensureReference();
  const loerrach = await municipalityId("08336050");
  const weil = await municipalityId("08336091");
  im = await signedInUser("im.household", ["integration_manager"], [loerrach]);
  grant = grantFor(im.user, "write", "case");
  for (const [key, n] of [["a", 1], ["b", 2], ["c", 3], ["d", 4]] as const) c[key] = await insertCase(`LOE-2020-000${n}`, loerrach);
  c.x = await insertCase("LOE-2020-0009", weil);
});

describe("households", () => {
  it("links two cases into a new household, both ways visible", async () => {
    expect(await linkHousehold(null, grant, c.a!.id, c.b!.pseudonym)).toMatchObject({ ok: true });
    const h = await householdIdOf("a");
    expect(h).toBeTruthy();
    expect(await householdIdOf("b")).toBe(h);
    const members = (await householdOf(grant, c.b!.id)).members.map((m) => m.pseudonym);
    expect(members).toEqual([c.a!.pseudonym, c.b!.pseudonym]);
    expect(await db.auditLog.count({ where: { action: "household.link", entityId: { in: [c.a!.id, c.b!.id] } } })).toBe(2);
  });

  it("refuses itself, a repeated link, and cases outside scope or unknown, changing nothing", async () => {
    expect(await linkHousehold(null, grant, c.a!.id, c.a!.pseudonym)).toEqual({ ok: false, error: "self" });
    expect(await linkHousehold(null, grant, c.a!.id, c.b!.pseudonym)).toEqual({ ok: false, error: "already" });
    expect(await linkHousehold(null, grant, c.a!.id, c.x!.pseudonym)).toEqual({ ok: false, error: "notFound" });
    expect(await linkHousehold(null, grant, c.a!.id, "LOE-1999-0001")).toEqual({ ok: false, error: "notFound" });
    expect(await householdIdOf("x")).toBeNull();
  });

  it("merges two households when both cases already have one", async () => {
    await linkHousehold(null, grant, c.c!.id, c.d!.pseudonym);
    const first = await householdIdOf("a");
    const second = await householdIdOf("c");
    expect(second).not.toBe(first);
    expect(await linkHousehold(null, grant, c.a!.id, c.c!.pseudonym)).toEqual({ ok: true, householdId: first });
    for (const key of ["a", "b", "c", "d"]) expect(await householdIdOf(key)).toBe(first);
    expect(await db.household.count({ where: { id: second! } })).toBe(0);
  });

  it("shows the other members on the overview, linking to their cases", async () => {
    const data = await jsonOf(() => overview.loader({ request: getRequest(`/cases/${c.a!.id}`, im), params: { caseId: c.a!.id }, ...ctx }));
    expect(data.overview.householdMembers.map((m: { pseudonym: string }) => m.pseudonym)).toEqual([c.b!.pseudonym, c.c!.pseudonym, c.d!.pseudonym]);
  });

  it("unlinks a member, and dissolves a household left with one case", async () => {
    await unlinkHousehold(null, grant, c.d!.id);
    expect(await householdIdOf("d")).toBeNull();
    const h = await householdIdOf("a");
    expect(h).toBeTruthy();
    await unlinkHousehold(null, grant, c.c!.id);
    await unlinkHousehold(null, grant, c.b!.id);
    // a was the last one: the household is gone.
    expect(await householdIdOf("a")).toBeNull();
    expect(await db.household.count({ where: { id: h! } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "household.unlink" } })).toBe(4);
  });

  it("works through the page: link by pseudonym (any case), unlink by button", async () => {
    const link = await householdPage.action({ request: postRequest(`/cases/${c.a!.id}/household`, im, { intent: "link", pseudonym: c.b!.pseudonym.toLowerCase() }), params: { caseId: c.a!.id }, ...ctx });
    expect((await link.json()).saved).toBe(true);
    expect(await householdIdOf("b")).toBe(await householdIdOf("a"));

    const outside = await householdPage.action({ request: postRequest(`/cases/${c.a!.id}/household`, im, { intent: "link", pseudonym: c.x!.pseudonym }), params: { caseId: c.a!.id }, ...ctx });
    expect(outside.status).toBe(400);
    const reply = (await outside.json()) as { result: { error: Record<string, string[]> } };
    expect(reply.result.error.pseudonym).toEqual(["cases:household.errors.notFound"]);

    const unlink = await householdPage.action({ request: postRequest(`/cases/${c.a!.id}/household`, im, { intent: "unlink", memberId: c.b!.id }), params: { caseId: c.a!.id }, ...ctx });
    expect((await unlink.json()).saved).toBe(true);
    expect(await householdIdOf("a")).toBeNull();
    expect(await householdIdOf("b")).toBeNull();
  });
});
