// The memo export with identifying details replaced (the default; see app/narratives/export-redaction.server.ts).
// Memos are researchers' own words, but they name people and places as easily as the transcripts do. A memo on
// an interview, a coding or a case is searched with its case's context; project and code memos with every
// exported case's context together (as the project export does). Title, text and a coding memo's quote are
// replaced; the memo's formatting stays.
import type { JSONContent } from "@tiptap/core";
import type { SessionUser } from "../auth/session.server.ts";
import { exportContexts } from "../narratives/export-redaction.server.ts";
import type { DetectContext } from "../narratives/redaction/detect.ts";
import { mapRange, replaceIdentifying } from "../narratives/redaction/replace.ts";
import type { ExportedMemo } from "./memos.server.ts";

/**
 * Replaces in each run of text nodes (a paragraph's or heading's text up to a line break) as one text, so a name
 * that a mark cuts in two ("Fil**mon**") is still found, and hands the new text back to the nodes: each keeps its
 * marks over the words it had, a replaced span goes to the node it started in.
 */
function redactRun(nodes: JSONContent[], ctx: DetectContext): { nodes: JSONContent[]; replaced: number } {
  const text = nodes.map((n) => n.text ?? "").join("");
  const r = replaceIdentifying(text, ctx);
  if (!r.edits.length) return { nodes, replaced: 0 };
  // Each node's end mapped once ("end" side), so neighbouring nodes share the boundary and nothing is doubled.
  const ends: number[] = [];
  let at = 0;
  for (const n of nodes) {
    at += (n.text ?? "").length;
    ends.push(mapRange(r.edits, at, at).end);
  }
  ends[ends.length - 1] = r.text.length;
  const out: JSONContent[] = [];
  let start = 0;
  nodes.forEach((n, i) => {
    const piece = r.text.slice(start, ends[i]);
    start = Math.max(start, ends[i]!);
    if (!piece) return;
    // A link's address may name the person as its text did ("mailto:…", a profile): it goes when the text or the
    // address has something to replace; the words stay.
    const named = (m: { type: string; attrs?: Record<string, unknown> }) => piece !== n.text || (typeof m.attrs?.href === "string" && replaceIdentifying(m.attrs.href, ctx).edits.length > 0);
    const marks = n.marks?.filter((m) => m.type !== "link" || !named(m));
    out.push({ ...n, text: piece, ...(marks ? { marks } : {}) });
  });
  return { nodes: out, replaced: r.edits.length };
}

export function redactRichText(node: JSONContent, ctx: DetectContext): { node: JSONContent; replaced: number } {
  if (!node.content) return { node, replaced: 0 };
  let replaced = 0;
  const content: JSONContent[] = [];
  let run: JSONContent[] = [];
  const flush = () => {
    if (!run.length) return;
    const r = redactRun(run, ctx);
    content.push(...r.nodes);
    replaced += r.replaced;
    run = [];
  };
  for (const child of node.content) {
    if (child.type === "text") {
      run.push(child);
      continue;
    }
    flush();
    const r = redactRichText(child, ctx);
    content.push(r.node);
    replaced += r.replaced;
  }
  flush();
  return { node: { ...node, content }, replaced };
}

export function redactMemo(memo: ExportedMemo, ctx: DetectContext): { memo: ExportedMemo; replaced: number } {
  const title = replaceIdentifying(memo.title, ctx);
  const quote = memo.target.quote ? replaceIdentifying(memo.target.quote, ctx) : null;
  let contentJson = memo.contentJson;
  let replaced = title.edits.length + (quote?.edits.length ?? 0);
  try {
    const r = redactRichText(JSON.parse(memo.contentJson) as JSONContent, ctx);
    contentJson = JSON.stringify(r.node);
    replaced += r.replaced;
  } catch {
    // Unreadable JSON prints as an empty memo (memosDocx); it must not print as it is here either.
    contentJson = "{}";
  }
  return { memo: { ...memo, title: title.text, contentJson, target: { ...memo.target, quote: quote?.text } }, replaced };
}

/** Every memo with its case's context (the others with all cases' together); `replaced` counts spans for the audit. */
export async function redactMemos(request: Request | null, user: SessionUser | null, memos: ExportedMemo[]): Promise<{ memos: ExportedMemo[]; replaced: number; combined: DetectContext }> {
  const contexts = exportContexts(request, user, "docx");
  // The cases first: the combined context is every case loaded so far.
  for (const caseId of new Set(memos.flatMap((m) => m.caseId ?? []))) await contexts.forCase(caseId);
  const combined = await contexts.combined();
  let replaced = 0;
  const out: ExportedMemo[] = [];
  for (const m of memos) {
    const r = redactMemo(m, m.caseId ? await contexts.forCase(m.caseId) : combined);
    replaced += r.replaced;
    out.push(r.memo);
  }
  return { memos: out, replaced, combined };
}
