// Failed-login throttling per username and per client address, over a sliding window. Each attempt is noted as a
// failure before its password is checked and counts by its place among the window's failures: guesses sent all
// at once see each other (counting first and noting after let every one of them through).
import { db } from "../db/client.server.ts";
import { env } from "../env.server.ts";

const windowStart = () => new Date(Date.now() - env().LOGIN_WINDOW_MINUTES * 60_000);

/** Notes an attempt (as failed until it succeeds); its id orders it among attempts sent at the same time. */
export async function beginAttempt(username: string, ip: string): Promise<number> {
  return (await db.loginAttempt.create({ data: { username, ip, success: false }, select: { id: true } })).id;
}

/**
 * Whether the noted attempt `id` is over the limit: more than LOGIN_MAX_FAILURES failures of the user name up to
 * and including it in the window (an address may try several accounts, a shared office: four times as many). A
 * refused attempt is taken back, so attempts during the lockout do not prolong it.
 */
export async function refuseIfThrottled(username: string, ip: string, id: number): Promise<boolean> {
  const since = windowStart();
  const max = env().LOGIN_MAX_FAILURES;
  const [byUser, byIp] = await Promise.all([
    db.loginAttempt.count({ where: { username, success: false, createdAt: { gte: since }, id: { lte: id } } }),
    db.loginAttempt.count({ where: { ip, success: false, createdAt: { gte: since }, id: { lte: id } } }),
  ]);
  const throttled = byUser > max || byIp > max * 4;
  if (throttled) await db.loginAttempt.deleteMany({ where: { id } });
  return throttled;
}

/** The attempt succeeded: the user's failures in the window go (a colleague's typos do not lock them out later). */
export async function attemptSucceeded(username: string, id: number) {
  await db.$transaction([
    db.loginAttempt.update({ where: { id }, data: { success: true } }),
    db.loginAttempt.deleteMany({ where: { username, success: false, createdAt: { gte: windowStart() } } }),
  ]);
}

export function clientIp(request: Request): string {
  if (env().TRUST_PROXY === "true") {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("x-lebenswege-remote-addr") ?? "unknown";
}
