// npm run db:seed [-- --demo]: reference data always, the demo district on request.
import { db } from "../../app/db/client.server.ts";
import { seedReference } from "./reference.ts";
import { seedDemo } from "./demo.ts";

const demo = process.argv.includes("--demo");
const started = Date.now();
await seedReference(db);
if (demo) await seedDemo(db);
console.log(`Seed done in ${((Date.now() - started) / 1000).toFixed(1)} s${demo ? " (with demo district)" : ""}.`);
await db.$disconnect();
