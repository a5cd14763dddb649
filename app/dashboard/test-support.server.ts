// Test helpers for the dashboard, snapshot and report tests: users with roles and municipalities, signed-in
// requests (a real session in the test database, CSRF token included), cases and snapshots.
import { db } from "../db/client.server.ts";
import { createSession, getSessionUser } from "../auth/session.server.ts";
import { encodeValue } from "../indicators/values.ts";
import { newRecordKey } from "../statistics/record-key.server.ts";

const ORIGIN = "http://localhost";
let counter = 0;

export async function makeUser(username: string, roles: string[], municipalityIds: string[] = [], { active = true } = {}) {
  const user = await db.user.create({
    data: {
      username,
      displayName: `${username} (Test)`,
      passwordHash: "not-used",
      active,
      roles: { create: roles.map((role) => ({ role })) },
      municipalities: { create: municipalityIds.map((municipalityId) => ({ municipalityId })) },
    },
    select: { id: true },
  });
  return user.id;
}

export type SignedIn = {
  get(path: string): Request;
  post(path: string, fields: Record<string, string | string[]>, options?: { csrf?: boolean }): Request;
};

/** A browser session of the user: requests carry its cookie; posted forms its CSRF token. */
export async function signIn(userId: string): Promise<SignedIn> {
  const setCookie = await createSession(new Request(ORIGIN), userId);
  const cookie = setCookie.split(";")[0]!;
  const user = await getSessionUser(new Request(ORIGIN, { headers: { cookie } }));
  if (!user) throw new Error("test session did not start");
  return {
    get: (path) => new Request(`${ORIGIN}${path}`, { headers: { cookie } }),
    post: (path, fields, { csrf = true } = {}) => {
      const body = new URLSearchParams();
      if (csrf) body.append("_csrf", user.csrfToken);
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      return new Request(`${ORIGIN}${path}`, { method: "POST", body, headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    },
  };
}

export async function municipalityId(ags: string) {
  return (await db.municipality.findUniqueOrThrow({ where: { ags }, select: { id: true } })).id;
}

export async function indicatorId(code: string) {
  return (await db.indicatorDefinition.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
}

export async function makeCase(municipality: string, data: { group?: string; status?: string; imStart?: string; archivedAt?: string | null; pseudonym?: string; recordKey?: number } = {}) {
  counter++;
  const row = await db.case.create({
    data: {
      recordKey: data.recordKey ?? newRecordKey(),
      pseudonym: data.pseudonym ?? `TST-2026-${String(counter).padStart(4, "0")}`,
      municipalityId: municipality,
      group: data.group ?? "refugee",
      imStart: new Date(`${data.imStart ?? "2024-01-01"}T00:00:00Z`),
      status: data.status ?? "active",
      archivedAt: data.archivedAt ? new Date(`${data.archivedAt}T00:00:00Z`) : null,
      archiveReason: data.status === "archived" ? "other" : null,
    },
    select: { id: true, pseudonym: true },
  });
  return row;
}

export async function snap(caseId: string, code: string, state: "known" | "unknown" | "not_applicable", observedAt: Date, value?: unknown) {
  await db.snapshot.create({
    data: {
      caseId,
      indicatorId: await indicatorId(code),
      state,
      value: state === "known" ? encodeValue(value) : null,
      observedAt,
      source: "im_akte",
    },
  });
}

export const daysAgo = (days: number, now = new Date()) => new Date(now.getTime() - days * 86400_000);

/** Runs a loader/action and returns the thrown or returned Response. */
export async function respond(fn: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await fn();
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${typeof result}`);
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}
