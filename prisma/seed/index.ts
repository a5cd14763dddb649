// npm run db:seed [-- --demo]: reference data always, the demo district on request.
import { db } from "../../app/db/client.server.ts";
import { seedReference } from "./reference.ts";
import { DEMO_USERS, seedDemo } from "./demo.ts";
import { fixturesDir, seedDemoInterviews } from "./demo-interviews.ts";
import { seedDemoLinks } from "./demo-links.ts";
import { seedDemoNotes } from "./demo-notes.ts";
import { seedDemoNarratives } from "./demo-narratives.ts";
import { rebuildEntries } from "../../search/reindex.server.ts";
import { verifyPassword } from "../../app/auth/password.server.ts";

const demo = process.argv.includes("--demo");
const started = Date.now();
await seedReference(db);
if (demo) {
  await seedDemo(db);
  const made = await seedDemoInterviews(db);
  if (made.interviews && !fixturesDir()) console.log("Demo interviews without audio: ../shared/fixtures/interviews not found (set LEBENSWEGE_FIXTURES_DIR).");
  await seedDemoNotes(db); // after the codebook seed, so code memos find their codes
  await seedDemoLinks(db);
  await seedDemoNarratives(db);
  // Everything seeded above without the app's write paths (codebook, notes) becomes searchable.
  await rebuildEntries(db);
}
if (demo && process.argv.includes("--print-logins")) {
  console.log("\nDemo logins (demo data only, never in production):");
  console.log(`  ${"role".padEnd(22)} ${"user".padEnd(13)} password`);
  for (const u of DEMO_USERS) {
    // A demo password changed in the app is not printed as if it still worked.
    const row = await db.user.findUnique({ where: { username: u.username }, select: { passwordHash: true, active: true } });
    const password = !row ? "(missing)" : !row.active ? "(deactivated)" : (await verifyPassword(row.passwordHash, u.password)) ? u.password : "(changed in the app)";
    console.log(`  ${u.roles.join(", ").padEnd(22)} ${u.username.padEnd(13)} ${password}`);
  }
  console.log("");
}
console.log(`Seed done in ${((Date.now() - started) / 1000).toFixed(1)} s${demo ? " (with demo district)" : ""}.`);
// A production install starts with no user at all, and /login offers nothing: say how to get in.
const admins = await db.user.count({ where: { active: true, roles: { some: { role: "admin" } } } });
if (admins === 0) console.log("No active admin account exists: create one with `npm run user:create-admin -- <username>` (it prints a one-time password).");
await db.$disconnect();
