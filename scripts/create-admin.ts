// npm run user:create-admin -- <username> ["Display name"]: the first admin of a production install (the seed makes
// users only for the demo district), or another one when every admin is locked out. Prints a random one-time
// password once: it signs in only to choose an own password under "Mein Konto" (every other page waits until then),
// and only for ONE_TIME_PASSWORD_DAYS (docs/decisions/0024). Refuses a username that exists, so it never
// takes over an account; `--reissue <username>` gives a new one-time password only to an admin who has never chosen
// their own (the first admin's expired before they signed in). Reads the same configuration as the app (.env or the
// environment).
import fs from "node:fs";
import path from "node:path";
import url from "node:url";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
if (fs.existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
process.chdir(root);

function fail(message: string): never {
  console.error(`Cannot create the admin: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2).filter((a) => a !== "--");
const reissue = args.includes("--reissue");
const [rawUsername, rawName] = args.filter((a) => a !== "--reissue");
if (!rawUsername) fail('name the username, e.g. npm run user:create-admin -- a.mueller "Anna Müller".');
const username = rawUsername.trim().toLowerCase();
const { USERNAME_PATTERN } = await import("../app/admin/schemas.ts");
if (!USERNAME_PATTERN.test(username)) fail(`"${rawUsername}" is no valid username (2 to 50 characters: a-z, 0-9, dot, _ and -, starting with a letter or digit).`);
const displayName = rawName?.trim() || username;

const { db } = await import("../app/db/client.server.ts");
const { generatePassword, markOneTimePassword } = await import("../app/admin/users.server.ts");
const { ONE_TIME_PASSWORD_DAYS } = await import("../app/auth/one-time-password.ts");
const { hashPassword } = await import("../app/auth/password.server.ts");
const { audit } = await import("../app/audit/audit.server.ts");

const existing = await db.user.findUnique({ where: { username }, select: { id: true, active: true, oneTimePasswordSetAt: true, roles: { select: { role: true } } } });
// Still on a password nobody but the command line knew (never replaced by its owner): safe to hand out a new one.
const unclaimedAdmin = !!existing && existing.active && existing.oneTimePasswordSetAt !== null && existing.roles.some((r) => r.role === "admin");
if (existing && !(reissue && unclaimedAdmin)) {
  await db.$disconnect();
  if (unclaimedAdmin) fail(`the user "${username}" exists already. It has not chosen its own password yet: npm run user:create-admin -- --reissue ${username} prints a new one-time password.`);
  if (reissue) fail(`"${username}" has chosen their own password (or is no active admin), so the command line does not reset it: an admin resets passwords under Verwaltung › Benutzer.`);
  fail(`the user "${username}" exists already. Choose another username (an admin resets passwords under Verwaltung › Benutzer).`);
}
if (!existing && reissue) {
  await db.$disconnect();
  fail(`there is no user "${username}" to reissue a password for; without --reissue the command creates it.`);
}
if (existing) {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: existing.id }, data: { passwordHash } });
    const ended = await tx.session.deleteMany({ where: { userId: existing.id } });
    await audit(null, null, { action: "user.password.reset", entity: "user", entityId: existing.id, detail: { generated: true, sessionsEnded: ended.count, via: "command line" } }, tx);
    await markOneTimePassword(tx, null, null, existing.id, { generated: true, via: "command line" });
  });
  await db.$disconnect();
  console.log(`New one-time password for admin "${username}" (shown only now, not stored anywhere readable): ${password}`);
  console.log(`It is valid for ${ONE_TIME_PASSWORD_DAYS} days and only to choose your own: sign in at /login, which leads to "Mein Konto" (/account).`);
  process.exit(0);
}
const password = generatePassword();
const passwordHash = await hashPassword(password);
try {
  await db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { username, displayName, passwordHash, roles: { create: [{ role: "admin" }] } }, select: { id: true } });
    // No actor: made on the server's command line, not by a signed-in user.
    await audit(null, null, { action: "user.create", entity: "user", entityId: user.id, detail: { roles: ["admin"], municipalities: 0, via: "command line" } }, tx);
    await audit(null, null, { action: "user.role.grant", entity: "user", entityId: user.id, detail: { role: "admin" } }, tx);
    await markOneTimePassword(tx, null, null, user.id, { generated: true, via: "command line" });
  });
} catch (e) {
  await db.$disconnect();
  // Someone took the name between the check and the insert.
  if (typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002") fail(`the user "${username}" exists already.`);
  throw e;
}
await db.$disconnect();
console.log(`Admin "${username}" created.`);
console.log(`One-time password (shown only now, not stored anywhere readable): ${password}`);
console.log(`It is valid for ${ONE_TIME_PASSWORD_DAYS} days and only to choose your own: sign in at /login, which leads to "Mein Konto" (/account).`);
