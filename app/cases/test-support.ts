// Helpers for the case register's tests: users with sessions, grants and form requests against the real
// (per-file, migrated) test database. Not imported by the app.
import { db } from "../db/client.server.ts";
import { createSession, getSessionUser, type SessionUser } from "../auth/session.server.ts";
import { accessFor, type Role } from "../permissions/roles.ts";
import type { Grant } from "../permissions/permissions.server.ts";
import { seedReference } from "../../prisma/seed/reference.ts";
import { newRecordKey } from "../statistics/record-key.server.ts";

export const BASE = "http://localhost";

let seeded: Promise<void> | undefined;
/** Municipalities and indicator definitions, once per test file. */
export function ensureReference() {
  seeded ??= seedReference(db);
  return seeded;
}

export async function municipalityId(ags: string) {
  return (await db.municipality.findUniqueOrThrow({ where: { ags }, select: { id: true } })).id;
}

export type TestUser = { user: SessionUser; cookie: string };

/** A user with roles and municipalities, signed in: the cookie works with the route loaders and actions. */
export async function signedInUser(username: string, roles: Role[], municipalityIds: string[] = []): Promise<TestUser> {
  const row = await db.user.create({
    data: {
      username,
      displayName: username,
      passwordHash: "not-used",
      roles: { create: roles.map((role) => ({ role })) },
      municipalities: { create: municipalityIds.map((municipalityId) => ({ municipalityId })) },
    },
    select: { id: true },
  });
  const setCookie = await createSession(new Request(`${BASE}/login`), row.id);
  const cookie = setCookie.split(";")[0]!;
  const user = await getSessionUser(new Request(`${BASE}/`, { headers: { cookie } }));
  if (!user) throw new Error("test session did not work");
  return { user, cookie };
}

export function grantFor(user: SessionUser, action: string, entity: string): Grant {
  const access = accessFor(user.roles, action, entity);
  if (!access) throw new Error(`${user.username} lacks ${action}:${entity}`);
  return { user, access };
}

export function getRequest(path: string, who: TestUser) {
  return new Request(`${BASE}${path}`, { headers: { cookie: who.cookie } });
}

/** A POST like the browser sends it, CSRF token included. */
export function postRequest(path: string, who: TestUser, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  body.append("_csrf", who.user.csrfToken);
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return new Request(`${BASE}${path}`, { method: "POST", headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded" }, body });
}

/** Runs a loader or action and returns the thrown or returned Response's status. */
export async function statusOf(run: () => Promise<unknown>): Promise<number> {
  try {
    const res = await run();
    return res instanceof Response ? res.status : 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

export async function jsonOf<T = any>(run: () => Promise<Response>): Promise<T> {
  const res = await run();
  return (await res.json()) as T;
}

export const ctx = { context: {} };

/** A case row written directly, for fixtures (the create flow has its own tests). */
export async function insertCase(pseudonym: string, municipalityId: string, extra: { group?: string; imStart?: Date; status?: string } = {}) {
  return db.case.create({
    data: { recordKey: newRecordKey(), pseudonym, municipalityId, group: extra.group ?? "refugee", imStart: extra.imStart ?? new Date("2024-03-01T00:00:00Z"), status: extra.status ?? "active" },
    select: { id: true, pseudonym: true },
  });
}
