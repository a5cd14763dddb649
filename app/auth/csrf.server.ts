// CSRF: every form of a signed-in user carries the session's synchronizer token (<CsrfInput/>), checked
// here. As a second layer the HTTP server refuses cross-site unsafe requests by Origin/Sec-Fetch-Site
// (app/http/security.js), which also covers the login form, where no session exists yet.
import crypto from "node:crypto";
import type { SessionUser } from "./session.server.ts";

export const CSRF_FIELD = "_csrf";

/** Whether the form carries this session's token (compared in constant time). */
function csrfMatches(form: FormData, user: SessionUser): boolean {
  const token = form.get(CSRF_FIELD);
  return typeof token === "string" && token.length === user.csrfToken.length && crypto.timingSafeEqual(Buffer.from(token), Buffer.from(user.csrfToken));
}

export function checkCsrf(form: FormData, user: SessionUser) {
  if (!csrfMatches(form, user)) throw new Response("invalid CSRF token", { status: 403, statusText: "Forbidden" });
}

/** Reads a submitted form and verifies its CSRF token. */
export async function readForm(request: Request, user: SessionUser): Promise<FormData> {
  const form = await request.formData();
  checkCsrf(form, user);
  return form;
}

/**
 * For routes a page's script posts to (autosave, coding): null instead of a thrown 403 when the token is not this
 * session's. That happens after a new login in another tab while the page still holds the ended session's token;
 * the caller answers it like an ended session, so the page keeps its unsaved work (a thrown 403 replaced the editor
 * with the error page) and sends it again once it has reloaded its data (ADR 0013).
 */
export async function readScriptForm(request: Request, user: SessionUser): Promise<FormData | null> {
  const form = await request.formData();
  return csrfMatches(form, user) ? form : null;
}
