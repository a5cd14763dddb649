// Municipality register: add, rename, activate/deactivate. There is no delete: cases refer to their
// municipality, and a deactivated one simply stops being offered for new cases and assignments.
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { notFound } from "../utils/responses.server.ts";
import type { AdminContext, Outcome } from "./users.server.ts";

export async function listMunicipalities() {
  const [rows, caseCounts, managers] = await Promise.all([
    db.municipality.findMany({
      select: { id: true, ags: true, name: true, type: true, population: true, association: true, active: true },
      orderBy: { ags: "asc" },
    }),
    db.case.groupBy({ by: ["municipalityId"], where: { status: "active" }, _count: { _all: true } }),
    db.userMunicipality.findMany({
      where: { user: { active: true, roles: { some: { role: "integration_manager" } } } },
      select: { municipalityId: true, user: { select: { id: true, displayName: true } } },
      orderBy: { user: { displayName: "asc" } },
    }),
  ]);
  const cases = new Map(caseCounts.map((c) => [c.municipalityId, c._count._all]));
  const byMunicipality = new Map<string, { id: string; displayName: string }[]>();
  for (const m of managers) {
    const list = byMunicipality.get(m.municipalityId) ?? [];
    list.push(m.user);
    byMunicipality.set(m.municipalityId, list);
  }
  return rows.map((m) => ({ ...m, activeCases: cases.get(m.id) ?? 0, managers: byMunicipality.get(m.id) ?? [] }));
}

export type CreateMunicipalityInput = { ags: string; name: string; type: string; population?: number; association?: string };

/** Names compared as people read them: case, spacing and Unicode form do not make "Lörrach" another place. */
const nameKey = (name: string) => name.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("de");

/** Whether another municipality has this name: users, cases and figures are assigned by name in every form. */
async function nameTaken(name: string, exceptId: string | null = null): Promise<boolean> {
  const rows = await db.municipality.findMany({ where: exceptId ? { id: { not: exceptId } } : {}, select: { name: true } });
  return rows.some((r) => nameKey(r.name) === nameKey(name));
}

export async function createMunicipality(ctx: AdminContext, input: CreateMunicipalityInput): Promise<Outcome<{ municipalityId: string }>> {
  if (await db.municipality.findUnique({ where: { ags: input.ags }, select: { id: true } })) return { ok: false, fieldErrors: { ags: ["admin:municipalities.agsTaken"] } };
  if (await nameTaken(input.name)) return { ok: false, fieldErrors: { name: ["admin:municipalities.nameTaken"] } };
  try {
    const municipalityId = await db.$transaction(async (tx) => {
      const row = await tx.municipality.create({
        data: { ags: input.ags, name: input.name, type: input.type, population: input.population ?? null, association: input.association || null },
        select: { id: true },
      });
      await audit(ctx.request, ctx.actor, { action: "municipality.create", entity: "municipality", entityId: row.id, detail: { ags: input.ags, name: input.name } }, tx);
      return row.id;
    });
    return { ok: true, municipalityId };
  } catch (e) {
    if (typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002") return { ok: false, fieldErrors: { ags: ["admin:municipalities.agsTaken"] } };
    throw e;
  }
}

export async function renameMunicipality(ctx: AdminContext, municipalityId: string, name: string): Promise<Outcome> {
  const current = await db.municipality.findUnique({ where: { id: municipalityId }, select: { name: true } });
  if (!current) throw notFound();
  if (current.name === name) return { ok: true };
  if (await nameTaken(name, municipalityId)) return { ok: false, fieldErrors: { name: ["admin:municipalities.nameTaken"] } };
  await db.$transaction(async (tx) => {
    await tx.municipality.update({ where: { id: municipalityId }, data: { name } });
    // Municipality names are public register data, so the log may hold them.
    await audit(ctx.request, ctx.actor, { action: "municipality.rename", entity: "municipality", entityId: municipalityId, detail: { from: current.name, to: name } }, tx);
  });
  return { ok: true };
}

export async function setMunicipalityActive(ctx: AdminContext, municipalityId: string, active: boolean): Promise<Outcome> {
  const current = await db.municipality.findUnique({ where: { id: municipalityId }, select: { active: true } });
  if (!current) throw notFound();
  if (current.active === active) return { ok: true };
  await db.$transaction(async (tx) => {
    await tx.municipality.update({ where: { id: municipalityId }, data: { active } });
    await audit(ctx.request, ctx.actor, { action: active ? "municipality.activate" : "municipality.deactivate", entity: "municipality", entityId: municipalityId }, tx);
  });
  return { ok: true };
}

export async function municipalityCounts() {
  const [total, active] = await Promise.all([db.municipality.count(), db.municipality.count({ where: { active: true } })]);
  return { total, active };
}
