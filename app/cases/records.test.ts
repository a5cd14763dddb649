// Editing, archiving, contacts and integration plans through their pages: validation refuses bad input
// with field messages, and every change is written to the audit log with field names, not values.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { ctx, ensureReference, insertCase, municipalityId, postRequest, signedInUser, statusOf, type TestUser } from "./test-support.ts";
import * as editPage from "../routes/cases.$caseId.edit.tsx";
import * as archivePage from "../routes/cases.$caseId.archive.tsx";
import * as contactsPage from "../routes/cases.$caseId.contacts.tsx";
import * as plansPage from "../routes/cases.$caseId.plans.tsx";

let im: TestUser;
let caseId: string;
let loerrach: string;
let schopfheim: string;
const future = () => new Date(Date.now() + 5 * 86400_000).toISOString().slice(0, 10);
const lastAudit = (action: string) => db.auditLog.findFirst({ where: { action, entityId: caseId }, orderBy: { id: "desc" }, select: { detail: true, userId: true } });

beforeAll(async () => {
  await ensureReference();
  loerrach = await municipalityId("08336050");
  schopfheim = await municipalityId("08336081");
  im = await signedInUser("im.records", ["integration_manager"], [loerrach, schopfheim]);
  caseId = (await insertCase("LOE-2021-0001", loerrach, { imStart: new Date("2021-03-01T00:00:00Z") })).id;
});

type ActionArgs = Parameters<typeof editPage.action>[0];
// Results are read as plain JSON here, so the routes' own typed responses do not matter.
const act = (mod: { action: (args: ActionArgs) => Promise<Response> }, path: string, fields: Record<string, string>): Promise<Response> =>
  mod.action({ request: postRequest(`/cases/${caseId}${path}`, im, fields), params: { caseId }, ...ctx });

describe("case records", () => {
  it("edits municipality, group and start, auditing the changed field names", async () => {
    const res = await act(editPage, "/edit", { municipalityId: schopfheim, group: "other_migrant", imStart: "2021-03-01" });
    expect(res.status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId }, select: { municipalityId: true, group: true } })).toEqual({ municipalityId: schopfheim, group: "other_migrant" });
    expect(JSON.parse((await lastAudit("case.update"))?.detail ?? "null")).toEqual({ changed: ["municipalityId", "group"] });
  });

  it("archives with reason and date, not before the start, and reactivates", async () => {
    const early = await act(archivePage, "/archive", { intent: "archive", reason: "moved_away", archivedAt: "2020-12-31" });
    expect(early.status).toBe(400);
    expect((await early.json()).error.archivedAt).toEqual(["cases:archive.beforeStart"]);
    expect((await act(archivePage, "/archive", { intent: "archive", reason: "nonsense", archivedAt: "2024-01-01" })).status).toBe(400);

    expect((await act(archivePage, "/archive", { intent: "archive", reason: "moved_away", archivedAt: "2024-01-10" })).status).toBe(302);
    const archived = await db.case.findUniqueOrThrow({ where: { id: caseId }, select: { status: true, archiveReason: true, archivedAt: true } });
    expect(archived).toEqual({ status: "archived", archiveReason: "moved_away", archivedAt: new Date("2024-01-10T00:00:00Z") });
    expect(JSON.parse((await lastAudit("case.archive"))!.detail!)).toEqual({ reason: "moved_away" });

    expect((await act(archivePage, "/archive", { intent: "reactivate" })).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId }, select: { status: true, archiveReason: true, archivedAt: true } })).toEqual({ status: "active", archiveReason: null, archivedAt: null });
    expect(await lastAudit("case.reactivate")).toBeTruthy();
    // A second reactivation (e.g. from a stale tab) is a conflict, not a silent change.
    expect(await statusOf(() => act(archivePage, "/archive", { intent: "reactivate" }))).toBe(409);
  });

  it("records a contact within the limits and deletes it again", async () => {
    for (const [fields, field] of [
      [{ date: "2024-02-01", kind: "phone", durationMinutes: "4" }, "durationMinutes"],
      [{ date: "2024-02-01", kind: "phone", durationMinutes: "601" }, "durationMinutes"],
      [{ date: future(), kind: "phone", durationMinutes: "30" }, "date"],
      [{ date: "2024-02-01", kind: "telepathy", durationMinutes: "30" }, "kind"],
    ] as const) {
      const res = await act(contactsPage, "/contacts", { intent: "add", ...fields });
      expect(res.status, field).toBe(400);
      expect(Object.keys((await res.json()).result.error), field).toEqual([field]);
    }
    expect(await db.contact.count({ where: { caseId } })).toBe(0);

    expect((await act(contactsPage, "/contacts", { intent: "add", date: "2024-02-01", kind: "home_visit", durationMinutes: "600" })).status).toBe(200);
    const contact = await db.contact.findFirstOrThrow({ where: { caseId }, select: { id: true, kind: true, durationMinutes: true, createdById: true } });
    expect(contact).toMatchObject({ kind: "home_visit", durationMinutes: 600, createdById: im.user.id });
    expect(await lastAudit("contact.create")).toBeTruthy();

    // Deleting for good needs the legal ground: without one (or an unknown one) nothing is deleted, the message
    // stands at the field of this contact's form and the note typed comes back.
    for (const ground of ["", "weil ich es sage"]) {
      const refused = await act(contactsPage, "/contacts", { intent: "delete", contactId: contact.id, ground, note: "doppelt erfasst" });
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { contactId: string; saved: boolean; result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
      expect(body).toMatchObject({ contactId: contact.id, saved: false });
      expect(body.result.error).toEqual({ ground: ["validation.choose"] });
      expect(body.result.initialValue.note).toBe("doppelt erfasst");
    }
    expect(await db.contact.count({ where: { caseId } })).toBe(1);
    expect(await lastAudit("contact.delete")).toBeNull();

    expect((await act(contactsPage, "/contacts", { intent: "delete", contactId: contact.id, ground: "inaccurate", note: "doppelt erfasst" })).status).toBe(200);
    expect(await db.contact.count({ where: { caseId } })).toBe(0);
    expect(JSON.parse((await lastAudit("contact.delete"))!.detail!)).toEqual({ contactId: contact.id, ground: "inaccurate", note: "doppelt erfasst" });
  });

  it("creates an integration plan with areas and changes an area's status", async () => {
    const none = await act(plansPage, "/plans", { intent: "create", drawnUpAt: "2024-03-01" });
    expect(none.status).toBe(400);
    expect((await none.json()).result.error.areas).toEqual(["cases:plans.chooseArea"]);

    const res = await act(plansPage, "/plans", { intent: "create", drawnUpAt: "2024-03-01", "areas.sprache": "laufend", "areas.arbeit": "offen", "areas.kinder": "" });
    expect(res.status).toBe(200);
    const plan = await db.integrationPlan.findFirstOrThrow({ where: { caseId }, select: { drawnUpAt: true, areas: { select: { id: true, area: true, status: true }, orderBy: { area: "asc" } } } });
    expect(plan.drawnUpAt.toISOString()).toBe("2024-03-01T00:00:00.000Z");
    expect(plan.areas.map((a) => [a.area, a.status])).toEqual([
      ["arbeit", "offen"],
      ["sprache", "laufend"],
    ]);

    const arbeit = plan.areas[0]!;
    expect((await act(plansPage, "/plans", { intent: "update-area", areaId: arbeit.id, status: "erreicht" })).status).toBe(200);
    expect((await db.integrationPlanArea.findUniqueOrThrow({ where: { id: arbeit.id } })).status).toBe("erreicht");
    expect(JSON.parse((await lastAudit("plan.area.update"))!.detail!)).toMatchObject({ area: "arbeit", from: "offen", to: "erreicht" });
    expect((await act(plansPage, "/plans", { intent: "update-area", areaId: arbeit.id, status: "vergessen" })).status).toBe(400);
  });
});
