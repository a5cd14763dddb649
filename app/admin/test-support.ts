// Test helpers: a signed-in admin's cookie and CSRF token, and requests as the browser would send them.
import { createSession, getSessionUser } from "../auth/session.server.ts";
import { hashPassword } from "../auth/password.server.ts";
import { db } from "../db/client.server.ts";

export type TestSession = { cookie: string; csrf: string; userId: string; username: string };

export async function makeUser(username: string, roles: string[], { active = true, municipalityIds = [] as string[] } = {}) {
  return db.user.create({
    data: {
      username,
      displayName: username.toUpperCase(),
      active,
      passwordHash: await hashPassword(`${username}-password-123`),
      roles: { create: roles.map((role) => ({ role })) },
      municipalities: { create: municipalityIds.map((municipalityId) => ({ municipalityId })) },
    },
    select: { id: true, username: true },
  });
}

export async function signIn(userId: string): Promise<TestSession> {
  const setCookie = await createSession(new Request("http://localhost/login"), userId);
  const cookie = setCookie.split(";")[0]!;
  const user = await getSessionUser(new Request("http://localhost/", { headers: { cookie } }));
  if (!user) throw new Error("session did not sign in");
  return { cookie, csrf: user.csrfToken, userId, username: user.username };
}

export function getRequest(url: string, session: TestSession) {
  return new Request(new URL(url, "http://localhost").toString(), { headers: { cookie: session.cookie } });
}

export function postRequest(url: string, session: TestSession, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  body.append("_csrf", session.csrf);
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return new Request(new URL(url, "http://localhost").toString(), {
    method: "POST",
    headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

export const routeArgs = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
