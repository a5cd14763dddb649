import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { action, loader } from "../routes/admin.municipalities.tsx";
import { getRequest, makeUser, postRequest, routeArgs, signIn, type TestSession } from "./test-support.ts";
import { newRecordKey } from "../statistics/record-key.server.ts";
import { createI18n } from "../i18n/config.ts";
import { translateError } from "../components/forms.tsx";

let session: TestSession;

beforeAll(async () => {
  await seedReference(db);
  session = await signIn((await makeUser("gemeinden", ["admin"])).id);
});

describe("municipalities", () => {
  it("lists active cases and the assigned integration managers", async () => {
    const loerrach = await db.municipality.findUniqueOrThrow({ where: { ags: "08336050" } });
    await makeUser("im.loe", ["integration_manager"], { municipalityIds: [loerrach.id] });
    await makeUser("im.weg", ["integration_manager"], { municipalityIds: [loerrach.id], active: false });
    await db.case.create({ data: { recordKey: newRecordKey(), pseudonym: "LOE-2025-7001", municipalityId: loerrach.id, group: "refugee", imStart: new Date("2024-01-01") } });
    await db.case.create({ data: { recordKey: newRecordKey(), pseudonym: "LOE-2025-7002", municipalityId: loerrach.id, group: "refugee", imStart: new Date("2024-01-01"), status: "archived" } });
    const { municipalities } = await (await loader(routeArgs(getRequest("/admin/municipalities", session)))).json();
    const row = municipalities.find((m: { ags: string }) => m.ags === "08336050");
    expect(row).toMatchObject({ name: "Lörrach", activeCases: 1, managers: [{ displayName: "IM.LOE" }] });
  });

  it("adds one with a district AGS that is not taken", async () => {
    const post = (fields: Record<string, string>) => action(routeArgs(postRequest("/admin/municipalities", session, { intent: "create", type: "Gemeinde", ...fields })));
    const foreign = await post({ ags: "08337096", name: "Anderswo" });
    expect(((await foreign.json()) as { result: { error: Record<string, string[]> } }).result.error.ags).toEqual(["admin:municipalities.agsPattern"]);
    const taken = await post({ ags: "08336050", name: "Lörrach 2" });
    expect(((await taken.json()) as { result: { error: Record<string, string[]> } }).result.error.ags).toEqual(["admin:municipalities.agsTaken"]);
    const ok = await post({ ags: "08336999", name: "Neudorf", population: "1200" });
    expect(ok.status).toBe(200);
    const row = await db.municipality.findUniqueOrThrow({ where: { ags: "08336999" } });
    expect(row).toMatchObject({ name: "Neudorf", population: 1200, active: true });
    expect(await db.auditLog.count({ where: { action: "municipality.create", entityId: row.id } })).toBe(1);
  });

  it("says the population's range with the locale's digit grouping", async () => {
    const res = await action(routeArgs(postRequest("/admin/municipalities", session, { intent: "create", type: "Gemeinde", ags: "08336997", name: "Großdorf", population: "20000000" })));
    expect(res.status).toBe(400);
    const [error] = ((await res.json()) as { result: { error: Record<string, string[]> } }).result.error.population!;
    expect(translateError(createI18n("de").t, error!)).toBe("Bitte eine ganze Zahl von 0 bis 10.000.000 angeben.");
    expect(translateError(createI18n("en").t, error!)).toBe("Please give a whole number from 0 to 10,000,000.");
    expect(await db.municipality.count({ where: { ags: "08336997" } })).toBe(0);
  });

  it("renames and deactivates, audited, and never deletes", async () => {
    const row = await db.municipality.findUniqueOrThrow({ where: { ags: "08336999" } });
    const renamed = await action(routeArgs(postRequest("/admin/municipalities", session, { intent: "rename", municipalityId: row.id, name: "Neustadt" })));
    expect(renamed.status).toBe(302);
    const off = await action(routeArgs(postRequest("/admin/municipalities", session, { intent: "deactivate", municipalityId: row.id })));
    expect(off.status).toBe(200);
    expect(await db.municipality.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ name: "Neustadt", active: false });
    const log = await db.auditLog.findMany({ where: { entityId: row.id }, orderBy: { id: "asc" } });
    expect(log.map((e) => e.action)).toEqual(["municipality.create", "municipality.rename", "municipality.deactivate"]);
    expect(JSON.parse(log[1]!.detail!)).toEqual({ from: "Neudorf", to: "Neustadt" });
    await expect(action(routeArgs(postRequest("/admin/municipalities", session, { intent: "delete", municipalityId: row.id })))).rejects.toMatchObject({ status: 400 });
  });

  it("refuses a name another municipality has (case and spaces aside), on adding and renaming", async () => {
    const post = (fields: Record<string, string>) => action(routeArgs(postRequest("/admin/municipalities", session, fields)));
    const errorsOf = async (res: Response) => ((await res.json()) as { result: { error: Record<string, string[]> } }).result.error;
    const added = await post({ intent: "create", type: "Gemeinde", ags: "08336998", name: " LÖRRACH " });
    expect(added.status).toBe(400);
    expect((await errorsOf(added)).name).toEqual(["admin:municipalities.nameTaken"]);
    expect(await db.municipality.count({ where: { ags: "08336998" } })).toBe(0);

    const aitern = await db.municipality.findUniqueOrThrow({ where: { ags: "08336004" } });
    const renamed = await post({ intent: "rename", municipalityId: aitern.id, name: "lörrach" });
    expect(renamed.status).toBe(400);
    expect((await errorsOf(renamed)).name).toEqual(["admin:municipalities.nameTaken"]);
    expect((await db.municipality.findUniqueOrThrow({ where: { id: aitern.id } })).name).toBe(aitern.name);
    // Its own name in another spelling is no clash.
    expect((await post({ intent: "rename", municipalityId: aitern.id, name: aitern.name.toUpperCase() })).status).toBe(302);
  });

  it("is for admins only", async () => {
    const im = await signIn((await makeUser("im.neugierig", ["integration_manager"])).id);
    await expect(loader(routeArgs(getRequest("/admin/municipalities", im)))).rejects.toMatchObject({ status: 403 });
  });
});
