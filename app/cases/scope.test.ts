// An integration manager sees and changes only the cases of the municipalities assigned to them: a case
// elsewhere answers 404 on every page and action, and the list never contains it.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ensureReference, getRequest, insertCase, jsonOf, municipalityId, postRequest, signedInUser, statusOf, ctx, type TestUser } from "./test-support.ts";
import * as caseList from "../routes/cases._index.tsx";
import * as caseLayout from "../routes/cases.$caseId.tsx";
import * as caseOverview from "../routes/cases.$caseId._index.tsx";
import * as caseEdit from "../routes/cases.$caseId.edit.tsx";
import * as caseArchive from "../routes/cases.$caseId.archive.tsx";
import * as caseContacts from "../routes/cases.$caseId.contacts.tsx";
import * as casePlans from "../routes/cases.$caseId.plans.tsx";
import * as caseHousehold from "../routes/cases.$caseId.household.tsx";
import * as caseIdentity from "../routes/cases.$caseId.identity.tsx";
import * as caseNarratives from "../routes/cases.$caseId.narratives.tsx";

let im: TestUser;
let imBoth: TestUser;
let loerrach: string;
let weil: string;
let own: { id: string; pseudonym: string };
let foreign: { id: string; pseudonym: string };

beforeAll(async () => {
  await ensureReference();
  loerrach = await municipalityId("08336050");
  weil = await municipalityId("08336091");
  im = await signedInUser("im.scope", ["integration_manager"], [loerrach]);
  imBoth = await signedInUser("admin.scope", ["integration_manager"], [loerrach, weil]);
  own = await insertCase("LOE-2024-0001", loerrach);
  foreign = await insertCase("LOE-2024-0002", weil);
  await db.contact.create({ data: { caseId: foreign.id, date: new Date("2024-05-01T00:00:00Z"), kind: "phone", durationMinutes: 30 } });
});

const params = (caseId: string) => ({ caseId });

describe("case scope", () => {
  it("shows the manager's own case", async () => {
    expect(await statusOf(() => caseLayout.loader({ request: getRequest(`/cases/${own.id}`, im), params: params(own.id), ...ctx }))).toBe(200);
    expect(await statusOf(() => caseOverview.loader({ request: getRequest(`/cases/${own.id}`, im), params: params(own.id), ...ctx }))).toBe(200);
  });

  it("answers 404 for every page of a case in another municipality", async () => {
    const id = foreign.id;
    for (const [name, mod, path] of [
      ["layout", caseLayout, ""],
      ["overview", caseOverview, ""],
      ["edit", caseEdit, "/edit"],
      ["archive", caseArchive, "/archive"],
      ["contacts", caseContacts, "/contacts"],
      ["plans", casePlans, "/plans"],
      ["household", caseHousehold, "/household"],
      ["identity", caseIdentity, "/identity"],
    ] as const) {
      const status = await statusOf(() => mod.loader({ request: getRequest(`/cases/${id}${path}`, im), params: params(id), ...ctx }));
      expect(status, name).toBe(404);
    }
    // The refused identity page did not decrypt anything, so no view was logged.
    expect(await db.auditLog.count({ where: { action: "identity.view", entityId: id } })).toBe(0);
  });

  it("refuses every change to a case in another municipality with 404 and leaves it unchanged", async () => {
    const id = foreign.id;
    const before = await db.case.findUniqueOrThrow({ where: { id }, select: { municipalityId: true, group: true, status: true, updatedAt: true } });
    const posts = [
      [caseEdit, "/edit", { municipalityId: loerrach, group: "eu_migrant", imStart: "2024-03-01" }],
      [caseArchive, "/archive", { intent: "archive", reason: "moved_away", archivedAt: "2024-06-01" }],
      [caseContacts, "/contacts", { intent: "add", date: "2024-06-01", kind: "phone", durationMinutes: "30" }],
      [casePlans, "/plans", { intent: "create", drawnUpAt: "2024-06-01", "areas.sprache": "offen" }],
      [caseHousehold, "/household", { intent: "link", pseudonym: own.pseudonym }],
      [caseIdentity, "/identity", { firstName: "Mallory" }],
    ] as const;
    for (const [mod, path, fields] of posts) {
      const status = await statusOf(() => mod.action({ request: postRequest(`/cases/${id}${path}`, im, fields), params: params(id), ...ctx }));
      expect(status, path).toBe(404);
    }
    const contact = await db.contact.findFirstOrThrow({ where: { caseId: id }, select: { id: true } });
    expect(await statusOf(() => caseContacts.action({ request: postRequest(`/cases/${id}/contacts`, im, { intent: "delete", contactId: contact.id, ground: "inaccurate" }), params: params(id), ...ctx }))).toBe(404);
    // Deleting the foreign contact through the manager's own case does not work either.
    expect(await statusOf(() => caseContacts.action({ request: postRequest(`/cases/${own.id}/contacts`, im, { intent: "delete", contactId: contact.id, ground: "inaccurate" }), params: params(own.id), ...ctx }))).toBe(404);

    expect(await db.case.findUniqueOrThrow({ where: { id }, select: { municipalityId: true, group: true, status: true, updatedAt: true } })).toEqual(before);
    expect(await db.contact.count({ where: { caseId: id } })).toBe(1);
    expect(await db.integrationPlan.count({ where: { caseId: id } })).toBe(0);
    expect(await db.identity.count({ where: { caseId: id } })).toBe(0);
  });

  it("cannot move an own case into a municipality outside the scope", async () => {
    const status = await statusOf(() => caseEdit.action({ request: postRequest(`/cases/${own.id}/edit`, im, { municipalityId: weil, group: "refugee", imStart: "2024-03-01" }), params: params(own.id), ...ctx }));
    expect(status).toBe(400);
    expect((await db.case.findUniqueOrThrow({ where: { id: own.id } })).municipalityId).toBe(loerrach);
  });

  it("lists only own cases, even when the URL asks for another municipality", async () => {
    const list = await jsonOf(() => caseList.loader({ request: getRequest("/cases", im), params: {}, ...ctx }));
    expect(list.rows.map((r: { pseudonym: string }) => r.pseudonym)).toEqual([own.pseudonym]);
    expect(list.municipalities.map((m: { id: string }) => m.id)).toEqual([loerrach]);

    const forced = await jsonOf(() => caseList.loader({ request: getRequest(`/cases?municipality=${weil}`, im), params: {}, ...ctx }));
    expect(forced.query.municipality).toBe("");
    expect(forced.rows.map((r: { pseudonym: string }) => r.pseudonym)).toEqual([own.pseudonym]);
  });

  it("finds a case by its pseudonym or a part of it (any case), and never one outside the scope", async () => {
    const find = async (who: typeof im, q: string) => (await jsonOf(() => caseList.loader({ request: getRequest(`/cases?q=${encodeURIComponent(q)}`, who), params: {}, ...ctx }))).rows.map((r: { pseudonym: string }) => r.pseudonym);
    expect(await find(imBoth, "loe-2024-0002")).toEqual([foreign.pseudonym]);
    expect(await find(imBoth, "2024-000")).toEqual(expect.arrayContaining([own.pseudonym, foreign.pseudonym]));
    expect(await find(im, "LOE-2024-0002")).toEqual([]);
    expect(await find(im, " LOE-2024-0001 ")).toEqual([own.pseudonym]);
  });

  it("shows an integration manager of both municipalities every case of both", async () => {
    const list = await jsonOf(() => caseList.loader({ request: getRequest("/cases", imBoth), params: {}, ...ctx }));
    expect(list.rows.map((r: { pseudonym: string }) => r.pseudonym)).toEqual(expect.arrayContaining([own.pseudonym, foreign.pseudonym]));
    expect(await statusOf(() => caseOverview.loader({ request: getRequest(`/cases/${foreign.id}`, imBoth), params: params(foreign.id), ...ctx }))).toBe(200);
  });

  it("shows a researcher only cases known from an interview: any other case answers 404", async () => {
    const researcher = await signedInUser("research.scope", ["researcher"]);
    const interviewed = await insertCase("LOE-2024-0003", loerrach);
    await db.interview.create({ data: { code: "INT-2024-0903", caseId: interviewed.id, date: new Date("2024-05-02T00:00:00Z"), placeType: "office", languages: '["de"]' } });
    for (const [name, mod, path] of [["layout", caseLayout, ""], ["narratives", caseNarratives, "/narratives"]] as const) {
      const load = (id: string) => statusOf(() => mod.loader({ request: getRequest(`/cases/${id}${path}`, researcher), params: params(id), ...ctx }));
      expect(await load(interviewed.id), name).toBe(200);
      expect(await load(own.id), name).toBe(404);
      expect(await load(foreign.id), name).toBe(404);
    }
    const header = await jsonOf(() => caseLayout.loader({ request: getRequest(`/cases/${interviewed.id}`, researcher), params: params(interviewed.id), ...ctx }));
    expect(header).toMatchObject({ registerView: false, case: { pseudonym: "LOE-2024-0003" } });
  });

  it("ignores invalid list parameters instead of failing", async () => {
    const list = await jsonOf(() => caseList.loader({ request: getRequest("/cases?page=-3&sort=evil&dir=sideways&status=x&group=y&indicator=NOPE&gap=z", imBoth), params: {}, ...ctx }));
    expect(list.query).toMatchObject({ page: 1, sort: "pseudonym", dir: "asc", status: "", group: "", indicator: "", gap: "" });
    expect(list.total).toBe(3);
  });
});
