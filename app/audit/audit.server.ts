// Append-only audit log. This module only inserts; the database refuses updates and deletes (triggers
// in the init migration). `detail` must never hold identity values: say which fields, not what they are.
import { db, type Db } from "../db/client.server.ts";
import { clientIp } from "../auth/throttle.server.ts";
import type { AuditAction, AuditEntity } from "./actions.ts";

type Actor = { id: string; username: string } | null;

export type AuditEntry = {
  action: AuditAction; // noun.verb, e.g. identity.view, case.create, user.role.grant (list: actions.ts)
  entity: AuditEntity;
  entityId?: string | null;
  detail?: Record<string, unknown>;
};

/** Returns the entry's id (a batch refers to it, e.g. the undo of "code all hits"). */
export async function audit(request: Request | null, actor: Actor, entry: AuditEntry, tx: Pick<Db, "auditLog"> = db): Promise<number> {
  const row = await tx.auditLog.create({
    data: {
      userId: actor?.id ?? null,
      username: actor?.username ?? null,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      ip: request ? clientIp(request) : null,
    },
    select: { id: true },
  });
  return row.id;
}

/** Repeated views of one record by one person within this window make one entry (a page revalidated after
 *  each change, its tabs visited in turn): the log says who saw what and when, without one row per request. */
export const VIEW_WINDOW_MS = 10 * 60_000;

/** A read of personal data (a case, an interview, a transcript): logged once per person, record and window. */
export async function auditView(request: Request | null, actor: Actor, entry: AuditEntry & { entityId: string }) {
  if (actor) {
    const since = new Date(Date.now() - VIEW_WINDOW_MS);
    const recent = await db.auditLog.findFirst({ where: { userId: actor.id, at: { gte: since }, action: entry.action, entityId: entry.entityId }, select: { id: true } });
    if (recent) return;
  }
  await audit(request, actor, entry);
}

/**
 * Several reads at once (the memos a page shows beside codings): the same rule as auditView, one entry per
 * record and window, with one look-up for all of them instead of one per record.
 */
export async function auditViews(request: Request | null, actor: Actor, entries: (AuditEntry & { entityId: string })[]) {
  if (!entries.length) return;
  const since = new Date(Date.now() - VIEW_WINDOW_MS);
  const recent = actor
    ? await db.auditLog.findMany({
        where: { userId: actor.id, at: { gte: since }, action: { in: [...new Set(entries.map((e) => e.action))] }, entityId: { in: entries.map((e) => e.entityId) } },
        select: { action: true, entityId: true },
      })
    : [];
  const seen = new Set(recent.map((r) => `${r.action} ${r.entityId}`));
  for (const entry of entries) {
    const key = `${entry.action} ${entry.entityId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await audit(request, actor, entry);
  }
}
