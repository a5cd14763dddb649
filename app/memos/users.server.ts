// Display names of authors and editors: memos and notes keep only user ids (no relation), so a deleted or
// renamed account never blocks or rewrites research data.
import { db } from "../db/client.server.ts";

export async function userNames(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true } });
  return new Map(rows.map((r) => [r.id, r.displayName]));
}
