// Server-side sessions: the cookie holds a random token, the database holds sha256(token),
// idle and absolute expiry are enforced here on every request.
import crypto from "node:crypto";
import { createCookie, json, redirect } from "@remix-run/node";
import { db } from "../db/client.server.ts";
import { env } from "../env.server.ts";
import { i18nFor } from "../i18n/i18n.server.ts";
import { languageOf } from "../i18n/language.server.ts";
import type { Role } from "../permissions/roles.ts";

const COOKIE_NAME = "lw_session";

function sessionCookie(request: Request) {
  const e = env();
  const secure = e.SECURE_COOKIES === "auto" ? isHttps(request) : e.SECURE_COOKIES === "true";
  return createCookie(COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    secrets: [e.SESSION_SECRET],
  });
}

function isHttps(request: Request) {
  if (new URL(request.url).protocol === "https:") return true;
  return env().TRUST_PROXY === "true" && request.headers.get("x-forwarded-proto") === "https";
}

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  locale: string;
  roles: Role[];
  municipalityIds: string[];
  sessionId: string;
  csrfToken: string;
  /** Signed in with a one-time password: only /account (and logout) answer until the user has chosen their own. */
  mustChangePassword?: boolean;
};

/** Sessions still usable at `now`: neither past their absolute expiry nor idle too long (see readSession). */
export function openSessionWhere(now = new Date()) {
  return { expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - env().SESSION_IDLE_MINUTES * 60_000) } };
}

export async function createSession(request: Request, userId: string): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = new Date();
  // Ended sessions are refused anyway; each login clears them away (anyone's), so none lingers in the table.
  await db.session.deleteMany({ where: { NOT: openSessionWhere(now) } });
  await db.session.create({
    data: {
      id: sha256(token),
      userId,
      csrfToken: crypto.randomBytes(24).toString("base64url"),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + env().SESSION_ABSOLUTE_HOURS * 3600_000),
    },
  });
  return sessionCookie(request).serialize(token, { maxAge: env().SESSION_ABSOLUTE_HOURS * 3600 });
}

export async function destroySessionCookie(request: Request): Promise<string> {
  return sessionCookie(request).serialize("", { maxAge: 0 });
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie(request).parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

// lastSeenAt is written at most once a minute so page loads do not all write.
const TOUCH_EVERY_MS = 60_000;

// Root and route loaders of one page share the Request object: look the session up once per request.
const perRequest = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user, or null. Expired sessions are deleted as they are met. */
export function getSessionUser(request: Request): Promise<SessionUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = lookupSessionUser(request);
    perRequest.set(request, pending);
  }
  return pending;
}

async function lookupSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await readToken(request);
  if (!token) return null;
  const id = sha256(token);
  const session = await db.session.findUnique({
    where: { id },
    select: {
      id: true,
      csrfToken: true,
      lastSeenAt: true,
      expiresAt: true,
      user: {
        select: {
          id: true,
          username: true,
          displayName: true,
          locale: true,
          active: true,
          oneTimePasswordSetAt: true,
          roles: { select: { role: true } },
          municipalities: { select: { municipalityId: true } },
        },
      },
    },
  });
  if (!session) return null;
  const now = Date.now();
  const idleLimit = session.lastSeenAt.getTime() + env().SESSION_IDLE_MINUTES * 60_000;
  if (!session.user.active || now > session.expiresAt.getTime() || now > idleLimit) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.update({ where: { id }, data: { lastSeenAt: new Date(now) } });
  }
  return {
    id: session.user.id,
    username: session.user.username,
    displayName: session.user.displayName,
    locale: session.user.locale,
    roles: session.user.roles.map((r) => r.role as Role),
    municipalityIds: session.user.municipalities.map((m) => m.municipalityId),
    sessionId: session.id,
    csrfToken: session.csrfToken,
    mustChangePassword: session.user.oneTimePasswordSetAt !== null,
  };
}

/**
 * For requests a page's own script sends (autosave, applying codes, suggestions): an ended session answers 401 with
 * `body`, which the page shows, instead of the login redirect, which the script would follow away from unsaved work.
 * Null while the session lives.
 */
export async function endedSessionReply<T>(request: Request, body: T) {
  if (await getSessionUser(request)) return null;
  return json(body, { status: 401, headers: { "Set-Cookie": await destroySessionCookie(request), "Cache-Control": "no-store" } });
}

/**
 * The signed-in user, else the login redirect. Every loader and action reaches the user through here (or through
 * requirePermission, which calls it), so this is where a one-time password is enforced: while the user has not
 * chosen their own, pages redirect to /account and resource routes answer 403 (docs/decisions/0024). Only the
 * account page itself passes `{ duringPasswordChange: true }`.
 */
export async function requireUser(request: Request, options: { duringPasswordChange?: boolean } = {}): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    throw redirect(`/login?redirectTo=${encodeURIComponent(pageAddress(request))}`, {
      headers: { "Set-Cookie": await destroySessionCookie(request) },
    });
  }
  if (user.mustChangePassword && !options.duringPasswordChange) throw passwordChangeRequired(request);
  return user;
}

/** Where the browser was going: the path and query without Remix's own parameters (`_data`, `index`). */
function pageAddress(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_data");
  url.searchParams.delete("index");
  return url.pathname + url.search;
}

// Requests for resource routes (downloads, media, JSON for scripts), marked by app/http/resource-requests.js before
// their loader or action runs: they answer with a status, not a redirect to a page a script or player cannot show.
const resourceRequests = new WeakSet<Request>();
export function markResourceRequest(request: Request) {
  resourceRequests.add(request);
}

function passwordChangeRequired(request: Request): Response {
  if (resourceRequests.has(request)) {
    const language = languageOf(request);
    const text = i18nFor(language).t("common:refusals.passwordChange");
    return new Response(text, {
      status: 403,
      statusText: "Forbidden",
      headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Language": language, "Cache-Control": "no-store", "X-Password-Change-Required": "1" },
    });
  }
  // A form sent from elsewhere cannot be carried over: after the change the browser goes back to its page.
  const to = request.method === "GET" || request.method === "HEAD" ? pageAddress(request) : new URL(request.url).pathname;
  return redirect(`/account?redirectTo=${encodeURIComponent(to)}`);
}

export async function endSession(request: Request) {
  const token = await readToken(request);
  if (token) await db.session.deleteMany({ where: { id: sha256(token) } });
}

export async function endAllSessions(userId: string) {
  await db.session.deleteMany({ where: { userId } });
}
