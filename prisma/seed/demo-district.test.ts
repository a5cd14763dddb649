// The demo district reads like real work: what is recorded on a case is the work of its municipality's integration
// manager, so a demo manager never finds a colleague's name under an entry on one of her own cases.
import { expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { seedReference } from "./reference.ts";
import { DEMO_USERS, seedDemo } from "./demo.ts";

it("attributes every entry on a case of a demo manager's municipality to that manager", async () => {
  await seedReference(db);
  await seedDemo(db, { cases: 60 });
  const managers = DEMO_USERS.filter((u) => u.roles.includes("integration_manager"));
  let checked = 0;
  for (const manager of managers) {
    const { id } = await db.user.findUniqueOrThrow({ where: { username: manager.username }, select: { id: true } });
    const cases = await db.case.findMany({
      where: { municipality: { ags: { in: manager.municipalities } } },
      select: { pseudonym: true, createdById: true, snapshots: { select: { recordedById: true } }, contacts: { select: { createdById: true } }, plans: { select: { createdById: true } } },
    });
    expect(cases.length, manager.username).toBeGreaterThan(0);
    for (const c of cases) {
      const authors = [c.createdById, ...c.snapshots.map((s) => s.recordedById), ...c.contacts.map((x) => x.createdById), ...c.plans.map((x) => x.createdById)];
      expect(new Set(authors), `${c.pseudonym} (${manager.username})`).toEqual(new Set([id]));
      checked += authors.length;
    }
  }
  expect(checked).toBeGreaterThan(100);
});
