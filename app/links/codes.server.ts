// A code's seeded key and integration dimension, also for codes made in the app (they have no key): the
// nearest keyed ancestor decides (a sub-code of KUL.SPR speaks about language too).
import { db } from "../db/client.server.ts";
export { dimensionOfKey } from "./dimensions.ts";

export type CodeTree = Map<string, { key: string | null; parentId: string | null }>;

export async function loadCodeTree(): Promise<CodeTree> {
  const rows = await db.code.findMany({ select: { id: true, key: true, parentId: true } });
  return new Map(rows.map((r) => [r.id, { key: r.key, parentId: r.parentId }]));
}

/** The nearest key on the way to the root (the code's own first), or null. */
export function effectiveKey(tree: CodeTree, codeId: string): string | null {
  const seen = new Set<string>();
  for (let id: string | null = codeId; id && !seen.has(id); id = tree.get(id)?.parentId ?? null) {
    seen.add(id);
    const key = tree.get(id)?.key;
    if (key) return key;
  }
  return null;
}
