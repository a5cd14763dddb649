// The codebook as a tree, shared by the server (checks for cycles) and the pages (tree view, pickers).

export type FlatCode = {
  id: string;
  key: string | null;
  parentId: string | null;
  name: string;
  nameEn: string | null;
  description: string;
  examples: string[];
  colour: string;
  specialCategory: boolean;
  position: number;
  /** codings with exactly this code */
  usage: number;
};

export type CodeNode = FlatCode & { depth: number; /** codings of this code and all its sub-codes */ totalUsage: number; children: CodeNode[] };

/** Roots and children in their stored order; a code whose parent is missing shows as a root. */
export function buildTree(codes: readonly FlatCode[]): CodeNode[] {
  const byParent = new Map<string | null, FlatCode[]>();
  const ids = new Set(codes.map((c) => c.id));
  for (const c of codes) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  const build = (parentId: string | null, depth: number, seen: Set<string>): CodeNode[] =>
    (byParent.get(parentId) ?? [])
      .filter((c) => !seen.has(c.id))
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name, "de"))
      .map((c) => {
        const children = build(c.id, depth + 1, new Set([...seen, c.id]));
        return { ...c, depth, children, totalUsage: c.usage + children.reduce((n, k) => n + k.totalUsage, 0) };
      });
  return build(null, 0, new Set());
}

/** The tree in reading order (depth-first), for lists and selects. */
export function flatten(nodes: readonly CodeNode[]): CodeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** Ids of every code below `id` (not `id` itself). */
export function descendantIds(codes: readonly { id: string; parentId: string | null }[], id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const c of codes) if (c.parentId) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c.id]);
  const out = new Set<string>();
  const stack = [...(children.get(id) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

/** The display name in the UI language (English falls back to German). */
export const codeName = (code: { name: string; nameEn: string | null }, language: string) => (language.startsWith("en") && code.nameEn ? code.nameEn : code.name);
