import crypto from "node:crypto";
process.env.SESSION_SECRET ??= crypto.randomBytes(32).toString("hex");
process.env.IDENTITY_KEY ??= crypto.randomBytes(32).toString("base64");
process.env.TEST_TMP_DIR = "/tmp/scratch/prof";
const { createTestDatabase } = await import("../../tests/support/db.ts");
process.env.DATABASE_URL = await createTestDatabase();
const { default: Database } = await import("better-sqlite3");
const raw = new Database(process.env.DATABASE_URL.slice(5));
const N = Number(process.env.N ?? 2_000_000);
const actions = ["identity.view", "case.view", "case.update", "snapshot.create", "note.view", "note.update", "transcript.view", "transcript.update", "coding.create", "audit.view", "login", "memo.update", "interview.view"];
const users = Array.from({ length: 40 }, (_, i) => [`u${i}`, `user${i}`]);
const ins = raw.prepare(`INSERT INTO "AuditLog" ("at","userId","username","action","entity","entityId","detail","ip") VALUES (?,?,?,?,?,?,?,?)`);
let t = Date.now();
const start = Date.now() - 3 * 365 * 86400_000;
raw.transaction(() => {
  for (let i = 0; i < N; i++) {
    const [uid, un] = users[i % 40]!;
    const a = actions[(i * 7) % actions.length]!;
    ins.run(new Date(start + (i / N) * 3 * 365 * 86400_000).toISOString().replace("Z", "+00:00"), uid, un, a, a.split(".")[0], `case${i % 20000}`, '{"fields":["name"]}', "127.0.0.1");
  }
})();
console.log("inserted", N, Date.now() - t, "ms");
const { db } = await import("../../app/db/client.server.ts");
const q = await import("../../app/admin/audit-query.server.ts");
const up = await q.latestAuditId();
for (const [label, f, page] of [["none", {}, 1], ["page 2000", {}, 2000], ["user", { user: "user7" }, 1], ["action prefix", { action: "identity" }, 1], ["entity+id", { entity: "case", entityId: "case123" }, 1], ["date range", { from: "2025-01-01", to: "2025-01-31" }, 1], ["user+date", { user: "user7", from: "2025-01-01", to: "2025-01-31" }, 1]] as const) {
  for (let r = 0; r < 2; r++) {
    t = performance.now();
    const res = await q.auditPage(f as any, page as number, up);
    console.log(label, Math.round(performance.now() - t), "ms", res.total);
  }
}
t = performance.now(); await q.auditCounts(); console.log("counts", Math.round(performance.now() - t));
