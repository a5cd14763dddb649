// What the transcript page needs for coding: the codebook as a tree in order, the transcript's codings, and whether
// this user may code this interview (write:coding and the consent's analysis scope; Art. 9 codes need its
// specialCategories scope). The server decides again on every action (app/coding/codings.server.ts).
import { db } from "../../db/client.server.ts";
import { mayProcess } from "../../consent/gates.server.ts";
import { hasPermission, type Grant } from "../../permissions/permissions.server.ts";
import { listCodings } from "../codings.server.ts";
import type { CodingSetup, EditorCode } from "./types.ts";

/** The codebook, parents before their children, siblings by position (a depth-first walk). */
export async function editorCodes(language: string): Promise<EditorCode[]> {
  const rows = await db.code.findMany({
    orderBy: [{ position: "asc" }, { key: "asc" }, { name: "asc" }],
    select: { id: true, key: true, name: true, nameEn: true, colour: true, parentId: true, specialCategory: true },
  });
  const children = new Map<string | null, typeof rows>();
  for (const row of rows) children.set(row.parentId, [...(children.get(row.parentId) ?? []), row]);
  const out: EditorCode[] = [];
  const seen = new Set<string>();
  const walk = (parentId: string | null) => {
    for (const row of children.get(parentId) ?? []) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      out.push({ id: row.id, key: row.key, name: language === "en" && row.nameEn ? row.nameEn : row.name, colour: row.colour, parentId: row.parentId, specialCategory: row.specialCategory });
      walk(row.id);
    }
  };
  walk(null);
  return out;
}

export async function codingSetup(grant: Grant, interviewId: string, language: string): Promise<CodingSetup> {
  const [{ transcriptVersion, codings }, codes, analysis, special] = await Promise.all([
    listCodings(grant, interviewId),
    editorCodes(language),
    mayProcess(interviewId, "analysis"),
    mayProcess(interviewId, "specialCategories"),
  ]);
  const mayWrite = hasPermission(grant.user, "write", "coding");
  return {
    interviewId,
    transcriptVersion,
    codes,
    // the editor shows a placed coding's words from its own text; only orphans need their stored quote
    codings: codings.map((c) => ({ ...c, quote: c.orphaned ? c.quote : "", createdAt: c.createdAt.toISOString() })),
    canCode: mayWrite && analysis.ok,
    specialAllowed: special.ok,
    gateNote: mayWrite && !analysis.ok ? `gate.${analysis.reason}` : null,
  };
}
