// What the transcript page needs for coding: the codebook as a tree in order, the transcript's codings, and whether
// this user may code this interview (write:coding and the consent's analysis scope; Art. 9 codes need its
// specialCategories scope). The server decides again on every action (app/coding/codings.server.ts).
import { db } from "../../db/client.server.ts";
import { mayProcess } from "../../consent/gates.server.ts";
import { hasPermission, type Grant } from "../../permissions/permissions.server.ts";
import { listCodings } from "../codings.server.ts";
import { auditMemosShown, memosOnCodings } from "../../memos/memos.server.ts";
import type { CodingSetup, EditorCode, PanelMemo } from "./types.ts";

/** How much of a memo's text its coding's card shows; the memo page has the whole. */
const MEMO_EXCERPT = 160;

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

/**
 * The memos on the codings, shown on their cards to readers of memos, only while the consent allows analysis (as
 * memos on codings are written). Showing a memo's text is a memo read: logged as the memo page logs it (ADR 0016).
 */
async function panelMemos(request: Request | null, grant: Grant, codingIds: string[], analysisAllowed: boolean): Promise<Record<string, PanelMemo[]>> {
  if (!analysisAllowed || !hasPermission(grant.user, "read", "memo")) return {};
  const byCoding = await memosOnCodings(codingIds);
  await auditMemosShown(request, grant.user, [...byCoding.values()].flat());
  const excerpt = (text: string) => (text.length > MEMO_EXCERPT ? `${text.slice(0, MEMO_EXCERPT).trimEnd()} …` : text);
  return Object.fromEntries([...byCoding].map(([id, memos]) => [id, memos.map((m) => ({ id: m.id, title: m.title, excerpt: excerpt(m.text) }))]));
}

export async function codingSetup(request: Request | null, grant: Grant, interviewId: string, language: string): Promise<CodingSetup> {
  const [{ transcriptVersion, codings }, codes, analysis, special] = await Promise.all([
    listCodings(grant, interviewId),
    editorCodes(language),
    mayProcess(interviewId, "analysis"),
    mayProcess(interviewId, "specialCategories"),
  ]);
  const mayWrite = hasPermission(grant.user, "write", "coding");
  const memos = await panelMemos(request, grant, codings.map((c) => c.id), analysis.ok);
  return {
    interviewId,
    transcriptVersion,
    codes,
    // the editor shows a placed coding's words from its own text; only orphans need their stored quote
    codings: codings.map((c) => ({ ...c, quote: c.orphaned ? c.quote : "", createdAt: c.createdAt.toISOString() })),
    canCode: mayWrite && analysis.ok,
    specialAllowed: special.ok,
    gateNote: mayWrite && !analysis.ok ? `gate.${analysis.reason}` : null,
    memos,
    canWriteMemo: hasPermission(grant.user, "write", "memo") && analysis.ok,
  };
}
