// The demo users are made once: what an admin changes afterwards (a municipality or role taken away, a password)
// is not undone by the seed that every `npm start` runs.
import { describe, expect, it } from "vitest";
import { db } from "../../app/db/client.server.ts";
import { hashPassword, verifyPassword } from "../../app/auth/password.server.ts";
import { seedReference } from "./reference.ts";
import { DEMO_USERS, seedDemo } from "./demo.ts";

describe("demo users across restarts", () => {
  it("keeps an admin's changes to a demo user's municipalities, roles and password", async () => {
    await seedReference(db);
    await seedDemo(db, { cases: 3 });
    const im = DEMO_USERS.find((u) => u.username === "im.loerrach")!;
    const user = await db.user.findUniqueOrThrow({ where: { username: im.username }, select: { id: true, municipalities: { select: { municipalityId: true } }, roles: { select: { role: true } } } });
    expect(user.municipalities.length).toBeGreaterThan(1);
    const removed = user.municipalities[0]!.municipalityId;
    await db.userMunicipality.delete({ where: { userId_municipalityId: { userId: user.id, municipalityId: removed } } });
    await db.userRole.deleteMany({ where: { userId: user.id } });
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword("ein ganz anderes Passwort 2026") } });

    await seedDemo(db, { cases: 3 });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, municipalities: { select: { municipalityId: true } }, roles: true } });
    expect(after.municipalities.map((m) => m.municipalityId)).not.toContain(removed);
    expect(after.municipalities).toHaveLength(user.municipalities.length - 1);
    expect(after.roles).toEqual([]);
    expect(await verifyPassword(after.passwordHash, im.password)).toBe(false);
  });
});
