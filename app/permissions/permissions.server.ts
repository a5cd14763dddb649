// The one place where access is decided. Every loader and action starts with requirePermission();
// resource scope (municipality) is returned as a Prisma `where` fragment that goes into the query itself,
// so another municipality's row is never read, not read-and-hidden.
import { requireUser, type SessionUser } from "../auth/session.server.ts";
import { accessFor, type PermissionAccess } from "./roles.ts";
import { forbidden } from "../utils/responses.server.ts";
import type { Prisma } from "../db/client.server.ts";

export type Grant = { user: SessionUser; access: PermissionAccess };

export async function requirePermission(request: Request, action: string, entity: string): Promise<Grant> {
  const user = await requireUser(request);
  const access = accessFor(user.roles, action, entity);
  if (!access) throw forbidden();
  return { user, access };
}

export function hasPermission(user: SessionUser, action: string, entity: string): boolean {
  return accessFor(user.roles, action, entity) !== null;
}

/** Municipality ids the grant covers, or "all". */
export function municipalityScope(grant: Grant): "all" | string[] {
  if (grant.access === "any") return "all";
  if (grant.access === "own") return grant.user.municipalityIds;
  return [];
}

/** A `where` fragment for Case rows within the grant's scope. */
export function caseScope(grant: Grant): { municipalityId?: { in: string[] } } {
  const scope = municipalityScope(grant);
  return scope === "all" ? {} : { municipalityId: { in: scope } };
}

/** A `where` fragment for Municipality rows within the grant's scope. */
export function municipalityWhere(grant: Grant): { id?: { in: string[] } } {
  const scope = municipalityScope(grant);
  return scope === "all" ? {} : { id: { in: scope } };
}

/**
 * A `where` fragment for Case rows whose counselling data (biography notes, timeline) the grant may read:
 * own/any by municipality as above; "linked" (researchers) only cases whose person consented to linking
 * research with the register, i.e. a current consent with the linking scope on an interview not withdrawn.
 */
export function counsellingCaseScope(grant: Grant): Prisma.CaseWhereInput {
  if (grant.access === "linked") {
    return { interviews: { some: { status: { not: "withdrawn" }, consents: { some: { current: true, scopeLinking: true } } } } };
  }
  return caseScope(grant);
}
