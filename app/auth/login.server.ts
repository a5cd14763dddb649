import { db } from "../db/client.server.ts";
import { audit } from "../audit/audit.server.ts";
import { isLanguage } from "../i18n/config.ts";
import { languageCookie } from "../i18n/language.server.ts";
import { dummyVerify, verifyPassword } from "./password.server.ts";
import { createSession } from "./session.server.ts";
import { oneTimePasswordValidUntil } from "./one-time-password.ts";
import { attemptSucceeded, beginAttempt, clientIp, refuseIfThrottled } from "./throttle.server.ts";

type LoginResult = { ok: true; cookies: string[] } | { ok: false; reason: "failed" | "throttled" | "one-time-expired" };

/** Unknown user, inactive user and wrong password give the same answer, in about the same time. */
export async function login(request: Request, rawUsername: string, password: string): Promise<LoginResult> {
  const username = rawUsername.trim().toLowerCase();
  const ip = clientIp(request);
  const user = await db.user.findUnique({ where: { username }, select: { id: true, username: true, passwordHash: true, active: true, locale: true, oneTimePasswordSetAt: true } });
  // Attempts on an existing account name it as their object, so its user page and the log can show them.
  const target = user?.id ?? null;
  const attempt = await beginAttempt(username, ip);
  if (await refuseIfThrottled(username, ip, attempt)) {
    await audit(request, null, { action: "login.throttled", entity: "user", entityId: target, detail: { username } });
    return { ok: false, reason: "throttled" };
  }
  const valid = user ? await verifyPassword(user.passwordHash, password) : await dummyVerify(password);
  if (!user || !valid || !user.active) {
    await audit(request, null, { action: "login.failed", entity: "user", entityId: target, detail: { username } });
    return { ok: false, reason: "failed" };
  }
  // Told only to whoever knows the password: a one-time password left unused for days is no longer a secret.
  if (user.oneTimePasswordSetAt && oneTimePasswordValidUntil(user.oneTimePasswordSetAt) < new Date()) {
    await audit(request, null, { action: "login.one-time-expired", entity: "user", entityId: user.id, detail: { username } });
    return { ok: false, reason: "one-time-expired" };
  }
  await attemptSucceeded(username, attempt);
  await audit(request, user, { action: "login.success", entity: "user", entityId: user.id });
  const cookies = [await createSession(request, user.id)];
  if (isLanguage(user.locale)) cookies.push(languageCookie(user.locale));
  return { ok: true, cookies };
}
