// User administration: create, change roles and municipalities, reset passwords, deactivate.
// Every change is audited in the same transaction as the change itself; passwords never reach the log.
import crypto from "node:crypto";
import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import type { AuditAction } from "../audit/actions.ts";
import { hashPassword } from "../auth/password.server.ts";
import { openSessionWhere } from "../auth/session.server.ts";
import { oneTimePasswordValidUntil } from "../auth/one-time-password.ts";
import { isRole, type Role } from "../permissions/roles.ts";
import { notFound } from "../utils/responses.server.ts";
import { mergeSet } from "../utils/field-merge.ts";
import { municipalityRuleError } from "./schemas.ts";
import { byGermanName } from "../statistics/order.ts";

export type AdminContext = { request: Request | null; actor: { id: string; username: string } };
export type Outcome<T extends object = object> = ({ ok: true } & T) | { ok: false; fieldErrors?: Record<string, string[]>; formErrors?: string[] };

// No 0/O, 1/l/I: the password is read off the screen and typed in elsewhere.
const PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** 16 random characters in four groups (about 92 bits). */
export function generatePassword(): string {
  const chars = Array.from({ length: 16 }, () => PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

export type UserFilter = { role?: Role; active?: boolean };

export async function listUsers(filter: UserFilter = {}) {
  const users = await db.user.findMany({
    where: { ...(filter.role ? { roles: { some: { role: filter.role } } } : {}), ...(filter.active === undefined ? {} : { active: filter.active }) },
    select: {
      id: true,
      username: true,
      displayName: true,
      active: true,
      roles: { select: { role: true } },
      municipalities: { select: { municipality: { select: { name: true } } } },
    },
    orderBy: { username: "asc" },
  });
  const lastLogins = await lastLoginOf(users.map((u) => u.id));
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    active: u.active,
    roles: u.roles.map((r) => r.role).filter(isRole).sort(),
    municipalities: u.municipalities.map((m) => m.municipality.name).sort((a, b) => a.localeCompare(b, "de")),
    lastLoginAt: lastLogins.get(u.id) ?? null,
  }));
}

async function lastLoginOf(userIds: string[]): Promise<Map<string, Date>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.auditLog.groupBy({ by: ["userId"], where: { action: "login.success", userId: { in: userIds } }, _max: { at: true } });
  return new Map(rows.flatMap((r) => (r.userId && r._max.at ? [[r.userId, r._max.at] as const] : [])));
}

export async function getUser(userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      username: true,
      displayName: true,
      active: true,
      createdAt: true,
      oneTimePasswordSetAt: true,
      roles: { select: { role: true } },
      municipalities: { select: { municipalityId: true } },
      _count: { select: { sessions: { where: openSessionWhere() } } },
    },
  });
  if (!user) return null;
  const lastLogin = await lastLoginOf([user.id]);
  const since = new Date(Date.now() - FAILED_LOGIN_DAYS * 86_400_000);
  const failedLogins = await db.auditLog.count({ where: { entity: "user", entityId: user.id, action: { in: ["login.failed", "login.throttled"] }, at: { gte: since } } });
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    active: user.active,
    createdAt: user.createdAt,
    /** Null once the user has chosen their own password. */
    oneTimePasswordValidUntil: user.oneTimePasswordSetAt ? oneTimePasswordValidUntil(user.oneTimePasswordSetAt) : null,
    roles: user.roles.map((r) => r.role).filter(isRole),
    municipalityIds: user.municipalities.map((m) => m.municipalityId),
    sessionCount: user._count.sessions,
    lastLoginAt: lastLogin.get(user.id) ?? null,
    failedLogins,
    failedLoginDays: FAILED_LOGIN_DAYS,
  };
}

/** The user page counts failed and throttled logins on the account over this many days. */
export const FAILED_LOGIN_DAYS = 30;

/** Municipalities offered in the user forms: the active ones, plus inactive ones already assigned. */
export async function municipalityChoices(assigned: string[] = []) {
  const rows = await db.municipality.findMany({ where: { OR: [{ active: true }, { id: { in: assigned } }] }, select: { id: true, name: true, active: true } });
  // German order (Schönau before Schwörstadt): the database sorts by bytes.
  return rows.sort(byGermanName);
}

/** New assignments must name existing, active municipalities; kept ones may since have been deactivated. */
async function checkMunicipalityIds(ids: string[], alreadyAssigned: string[] = []): Promise<string | null> {
  const added = ids.filter((id) => !alreadyAssigned.includes(id));
  if (added.length === 0) return null;
  const found = await db.municipality.count({ where: { id: { in: added }, active: true } });
  return found === new Set(added).size ? null : "admin:users.municipalityUnknown";
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "P2002";
}

/** `generated`: made by generatePassword (else typed by the admin); either way a one-time password (ADR 0024). */
export type CreateUserInput = { username: string; displayName: string; password: string; generated?: boolean; roles: Role[]; municipalityIds: string[] };

/**
 * A password set by anyone but its owner is a one-time password (docs/decisions/0024): the time it was set goes on
 * the user (until then only /account answers; after ONE_TIME_PASSWORD_DAYS it no longer signs in), and the log says
 * so, with the date it expires. Never the password.
 */
export async function markOneTimePassword(tx: Tx, request: Request | null, actor: AdminContext["actor"] | null, userId: string, detail: { generated: boolean; via?: string }) {
  const setAt = new Date();
  await tx.user.update({ where: { id: userId }, data: { oneTimePasswordSetAt: setAt } });
  await audit(request, actor, { action: "user.password.one-time", entity: "user", entityId: userId, detail: { ...detail, validUntil: oneTimePasswordValidUntil(setAt).toISOString() } }, tx);
}

export async function createUser(ctx: AdminContext, input: CreateUserInput): Promise<Outcome<{ userId: string }>> {
  const roles = [...new Set(input.roles)];
  const municipalityIds = [...new Set(input.municipalityIds)];
  const fieldErrors: Record<string, string[]> = {};
  if (await db.user.findUnique({ where: { username: input.username }, select: { id: true } })) fieldErrors.username = ["admin:users.usernameTaken"];
  const ruleError = municipalityRuleError(roles, municipalityIds) ?? (await checkMunicipalityIds(municipalityIds));
  if (ruleError) fieldErrors.municipalityIds = [ruleError];
  if (roles.length === 0) fieldErrors.roles = ["admin:users.rolesRequired"];
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };

  const passwordHash = await hashPassword(input.password);
  try {
    const userId = await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          username: input.username,
          displayName: input.displayName,
          passwordHash,
          roles: { create: roles.map((role) => ({ role })) },
          municipalities: { create: municipalityIds.map((municipalityId) => ({ municipalityId })) },
        },
        select: { id: true },
      });
      await audit(ctx.request, ctx.actor, { action: "user.create", entity: "user", entityId: user.id, detail: { roles, municipalities: municipalityIds.length } }, tx);
      for (const role of roles) await audit(ctx.request, ctx.actor, { action: "user.role.grant", entity: "user", entityId: user.id, detail: { role } }, tx);
      for (const municipalityId of municipalityIds) {
        await audit(ctx.request, ctx.actor, { action: "user.municipality.assign", entity: "user", entityId: user.id, detail: { municipalityId } }, tx);
      }
      await markOneTimePassword(tx, ctx.request, ctx.actor, user.id, { generated: input.generated ?? false });
      return user.id;
    });
    return { ok: true, userId };
  } catch (e) {
    // Someone took the name between the check and the insert.
    if (isUniqueViolation(e)) return { ok: false, fieldErrors: { username: ["admin:users.usernameTaken"] } };
    throw e;
  }
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** Active admins other than the given user: when none are left, that user must stay an active admin. */
function otherActiveAdmins(tx: Tx, userId: string) {
  return tx.user.count({ where: { id: { not: userId }, active: true, roles: { some: { role: "admin" } } } });
}

export type ProfileInput = { displayName: string; roles: Role[]; municipalityIds: string[] };
export type ProfileField = "displayName" | "roles" | "municipalityIds";

/**
 * Saves the profile form. `base` (what the form was loaded with) merges it with a save made meanwhile by another
 * admin (ADR 0013): roles and municipalities element by element, so a role revoked meanwhile is not granted again
 * by a form that still showed it; a display name both changed is refused. `keptTheirs` names what kept the other's
 * change.
 */
export async function updateUserProfile(ctx: AdminContext, userId: string, mine: ProfileInput, base: ProfileInput | null = null): Promise<Outcome<{ changed: boolean; keptTheirs: ProfileField[] }>> {
  const current = await getUser(userId);
  if (!current) throw notFound();
  if (base && mine.displayName !== base.displayName && current.displayName !== base.displayName && current.displayName !== mine.displayName) {
    return { ok: false, fieldErrors: { displayName: ["admin:users.nameChangedMeanwhile"] } };
  }
  const input: ProfileInput = {
    displayName: base && mine.displayName === base.displayName ? current.displayName : mine.displayName,
    roles: mergeSet(base?.roles ?? null, mine.roles, current.roles as Role[]),
    municipalityIds: mergeSet(base?.municipalityIds ?? null, mine.municipalityIds, current.municipalityIds),
  };
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const keptTheirs: ProfileField[] = [];
  if (input.displayName !== mine.displayName) keptTheirs.push("displayName");
  if (!sameSet(input.roles, [...new Set(mine.roles)])) keptTheirs.push("roles");
  if (!sameSet(input.municipalityIds, [...new Set(mine.municipalityIds)])) keptTheirs.push("municipalityIds");
  const roles = input.roles;
  const municipalityIds = input.municipalityIds;
  if (roles.length === 0) return { ok: false, fieldErrors: { roles: ["admin:users.rolesRequired"] } };
  const losesAdmin = current.roles.includes("admin") && !roles.includes("admin");
  if (losesAdmin && userId === ctx.actor.id) return { ok: false, fieldErrors: { roles: ["admin:users.ownAdminRole"] } };
  const ruleError = municipalityRuleError(roles, municipalityIds) ?? (await checkMunicipalityIds(municipalityIds, current.municipalityIds));
  if (ruleError) return { ok: false, fieldErrors: { municipalityIds: [ruleError] } };

  const granted = roles.filter((r) => !current.roles.includes(r));
  const revoked = current.roles.filter((r) => !roles.includes(r));
  const assigned = municipalityIds.filter((m) => !current.municipalityIds.includes(m));
  const unassigned = current.municipalityIds.filter((m) => !municipalityIds.includes(m));
  const nameChanged = input.displayName !== current.displayName;
  if (!nameChanged && !granted.length && !revoked.length && !assigned.length && !unassigned.length) return { ok: true, changed: false, keptTheirs };

  const result = await db.$transaction(async (tx): Promise<Outcome<{ changed: boolean; keptTheirs: ProfileField[] }>> => {
    if (losesAdmin && current.active && (await otherActiveAdmins(tx, userId)) === 0) return { ok: false, fieldErrors: { roles: ["admin:users.lastAdmin"] } };
    const log = (action: AuditAction, detail?: Record<string, unknown>) => audit(ctx.request, ctx.actor, { action, entity: "user", entityId: userId, detail }, tx);
    if (nameChanged) {
      await tx.user.update({ where: { id: userId }, data: { displayName: input.displayName } });
      await log("user.update", { fields: ["displayName"] });
    }
    if (revoked.length) await tx.userRole.deleteMany({ where: { userId, role: { in: revoked } } });
    for (const role of revoked) await log("user.role.revoke", { role });
    for (const role of granted) {
      await tx.userRole.create({ data: { userId, role } });
      await log("user.role.grant", { role });
    }
    if (unassigned.length) await tx.userMunicipality.deleteMany({ where: { userId, municipalityId: { in: unassigned } } });
    for (const municipalityId of unassigned) await log("user.municipality.unassign", { municipalityId });
    for (const municipalityId of assigned) {
      await tx.userMunicipality.create({ data: { userId, municipalityId } });
      await log("user.municipality.assign", { municipalityId });
    }
    return { ok: true, changed: true, keptTheirs };
  });
  return result;
}

/** Sets a new (one-time) password and ends the user's sessions, so whoever knew the old one is signed out. */
export async function resetPassword(ctx: AdminContext, userId: string, password: string, generated: boolean): Promise<Outcome> {
  const exists = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!exists) throw notFound();
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    const open = await tx.session.count({ where: { userId, ...openSessionWhere() } });
    await tx.session.deleteMany({ where: { userId } });
    await audit(ctx.request, ctx.actor, { action: "user.password.reset", entity: "user", entityId: userId, detail: { generated, sessionsEnded: open } }, tx);
    await markOneTimePassword(tx, ctx.request, ctx.actor, userId, { generated });
  });
  return { ok: true };
}

/** Deactivating ends every session of the user at once; an admin cannot deactivate themselves. */
export async function setUserActive(ctx: AdminContext, userId: string, active: boolean): Promise<Outcome> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, active: true, roles: { select: { role: true } } } });
  if (!user) throw notFound();
  if (!active && userId === ctx.actor.id) return { ok: false, formErrors: ["admin:users.cannotDeactivateSelf"] };
  if (user.active === active) return { ok: true };
  return db.$transaction(async (tx): Promise<Outcome> => {
    if (!active && user.roles.some((r) => r.role === "admin") && (await otherActiveAdmins(tx, userId)) === 0) return { ok: false, formErrors: ["admin:users.lastAdmin"] };
    await tx.user.update({ where: { id: userId }, data: { active } });
    if (active) {
      await audit(ctx.request, ctx.actor, { action: "user.reactivate", entity: "user", entityId: userId }, tx);
    } else {
      const open = await tx.session.count({ where: { userId, ...openSessionWhere() } });
      await tx.session.deleteMany({ where: { userId } });
      await audit(ctx.request, ctx.actor, { action: "user.deactivate", entity: "user", entityId: userId, detail: { sessionsEnded: open } }, tx);
    }
    return { ok: true };
  });
}

export async function userCounts() {
  const [total, active] = await Promise.all([db.user.count(), db.user.count({ where: { active: true } })]);
  return { total, active };
}
