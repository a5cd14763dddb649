// npm run user:create-admin -- <username> ["Display name"]: the first admin of a production install (the seed makes
// users only for the demo district), or another one when every admin is locked out. Prints a random one-time
// password once: it signs in only to choose an own password under "Mein Konto" (every other page waits until then),
// and only for ONE_TIME_PASSWORD_DAYS (docs/decisions/0024). Refuses a username that exists, so it never
// takes over an account. Reads the same configuration as the app (.env or the environment).
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

const [rawUsername, rawName] = process.argv.slice(2).filter((a) => a !== "--");
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

if (await db.user.findUnique({ where: { username }, select: { id: true } })) {
  await db.$disconnect();
  fail(`the user "${username}" exists already. Choose another username (an admin resets passwords under Verwaltung › Benutzer).`);
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
