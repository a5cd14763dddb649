// The codebook as retrieval needs it: the tree (for the filter form), each code's dimension (the key of its
// root: STR, KUL, SOZ, IDE, X) and the expansion of a code into itself plus its sub-codes.
import { db } from "../db/client.server.ts";

export type CodeNode = {
  id: string;
  key: string | null;
  name: string;
  nameEn: string | null;
  colour: string;
  specialCategory: boolean;
  parentId: string | null;
  depth: number;
  /** key of the root code (STR, KUL, SOZ, IDE, X), or the root's name for roots made in the app */
  dimension: string;
};

export type CodeTree = { nodes: CodeNode[]; byId: Map<string, CodeNode>; children: Map<string | null, CodeNode[]> };

export async function loadCodeTree(): Promise<CodeTree> {
  const rows = await db.code.findMany({
    select: { id: true, key: true, name: true, nameEn: true, colour: true, specialCategory: true, parentId: true, position: true },
    orderBy: [{ position: "asc" }, { name: "asc" }],
  });
  const children = new Map<string | null, typeof rows>();
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const parent = r.parentId && ids.has(r.parentId) ? r.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  // Depth-first in codebook order, so the list reads like the tree.
  const nodes: CodeNode[] = [];
  const walk = (parentId: string | null, depth: number, dimension: string | null) => {
    for (const r of children.get(parentId) ?? []) {
      const dim = dimension ?? r.key ?? r.name;
      nodes.push({ id: r.id, key: r.key, name: r.name, nameEn: r.nameEn, colour: r.colour, specialCategory: r.specialCategory, parentId: r.parentId, depth, dimension: dim });
      if (depth < 50) walk(r.id, depth + 1, dim);
    }
  };
  walk(null, 0, null);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const childNodes = new Map<string | null, CodeNode[]>();
  for (const n of nodes) {
    const list = childNodes.get(n.parentId) ?? [];
    list.push(n);
    childNodes.set(n.parentId, list);
  }
  return { nodes, byId, children: childNodes };
}

/** The code and, when asked, every code below it. Unknown ids give an empty list. */
export function expandCode(tree: CodeTree, id: string, withSubcodes: boolean): string[] {
  if (!tree.byId.has(id)) return [];
  if (!withSubcodes) return [id];
  const out: string[] = [];
  const stack = [id];
  while (stack.length) {
    const next = stack.pop()!;
    out.push(next);
    for (const child of tree.children.get(next) ?? []) stack.push(child.id);
  }
  return out;
}

export function codeLabel(node: Pick<CodeNode, "key" | "name" | "nameEn">, language: string): string {
  const name = language === "en" && node.nameEn ? node.nameEn : node.name;
  return node.key ? `${node.key} ${name}` : name;
}
