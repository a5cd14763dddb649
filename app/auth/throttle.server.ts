// Failed-login throttling per username and per client address, over a sliding window.
import { db } from "../db/client.server.ts";
import { env } from "../env.server.ts";

export async function isThrottled(username: string, ip: string): Promise<boolean> {
  const since = new Date(Date.now() - env().LOGIN_WINDOW_MINUTES * 60_000);
  const max = env().LOGIN_MAX_FAILURES;
  const [byUser, byIp] = await Promise.all([
    db.loginAttempt.count({ where: { username, success: false, createdAt: { gte: since } } }),
    db.loginAttempt.count({ where: { ip, success: false, createdAt: { gte: since } } }),
  ]);
  // An address may try several accounts (a shared office), so it gets a larger allowance.
  return byUser >= max || byIp >= max * 4;
}

export async function recordAttempt(username: string, ip: string, success: boolean) {
  await db.loginAttempt.create({ data: { username, ip, success } });
  if (success) {
    // A successful login clears the user's failures so a colleague's typos don't lock them out later.
    const since = new Date(Date.now() - env().LOGIN_WINDOW_MINUTES * 60_000);
    await db.loginAttempt.deleteMany({ where: { username, success: false, createdAt: { gte: since } } });
  }
}

export function clientIp(request: Request): string {
  if (env().TRUST_PROXY === "true") {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("x-lebenswege-remote-addr") ?? "unknown";
}
