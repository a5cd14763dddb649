// Coded segments as CSV or DOCX with identifying details replaced (the default; see
// app/narratives/export-redaction.server.ts). Context, coded words and context after are searched as one text,
// so a name that the passage's edge cuts through is still found; the coded words keep the placeholder of any
// replaced span they touch. Speaker labels other than the role labels become P1, P2 ... (numbered per interview
// in the order the transcript first uses them, as in the project export), and the interview date keeps month and
// year, as a date in the text is coarsened.
import type { SessionUser } from "../auth/session.server.ts";
import { db } from "../db/client.server.ts";
import { exportContexts } from "../narratives/export-redaction.server.ts";
import { mapRange, neutralSpeakers, replaceIdentifying } from "../narratives/redaction/replace.ts";
import { SPEAKER_NAME } from "../transcripts/formats/types.ts";
import type { DetectContext } from "../narratives/redaction/detect.ts";
import type { SegmentHit } from "./segments.server.ts";

export function redactHit(hit: SegmentHit, ctx: DetectContext): { hit: SegmentHit; replaced: number } {
  const sepBefore = hit.before && hit.gapBefore ? " " : "";
  const sepAfter = hit.after && hit.gapAfter ? " " : "";
  const head = hit.before + sepBefore;
  const r = replaceIdentifying(head + hit.text + sepAfter + hit.after, ctx);
  const range = mapRange(r.edits, head.length, head.length + hit.text.length);
  const before = r.text.slice(0, range.start);
  const after = r.text.slice(range.end);
  const keptBefore = sepBefore !== "" && before.endsWith(sepBefore);
  const keptAfter = sepAfter !== "" && after.startsWith(sepAfter);
  const comments = hit.comments.map((c) => replaceIdentifying(c, ctx));
  const codingComments = hit.codings.map((c) => replaceIdentifying(c.comment, ctx));
  // Memos name people and places as easily as the passage does: title and text with the same case's context.
  const memos = hit.memos.map((m) => ({ memo: m, title: replaceIdentifying(m.title, ctx), text: replaceIdentifying(m.text, ctx) }));
  return {
    hit: {
      ...hit,
      before: keptBefore ? before.slice(0, -1) : before,
      text: r.text.slice(range.start, range.end),
      after: keptAfter ? after.slice(1) : after,
      gapBefore: hit.before ? keptBefore : hit.gapBefore,
      gapAfter: hit.after ? keptAfter : hit.gapAfter,
      comments: comments.map((c) => c.text),
      codings: hit.codings.map((c, i) => ({ ...c, comment: codingComments[i]!.text })),
      memos: memos.map((m) => ({ ...m.memo, title: m.title.text, text: m.text.text })),
    },
    replaced: r.edits.length + comments.reduce((n, c) => n + c.edits.length, 0) + memos.reduce((n, m) => n + m.title.edits.length + m.text.edits.length, 0),
  };
}

// A turn label inside a passage over several turns: "…\nFilmon: text" (see passage.ts).
const TURN_LABEL = new RegExp(`(^|\n)(${SPEAKER_NAME}):`, "gu");

/** The hit with neutral speaker labels (in the speaker column and before each turn) and the date's month only. */
export function relabelHit(hit: SegmentHit, labels: ReadonlyMap<string, string>): SegmentHit {
  const label = (s: string) => labels.get(s) ?? s;
  return {
    ...hit,
    interviewDate: hit.interviewDate.slice(0, 7),
    speaker: hit.speaker === "" ? "" : hit.speaker.split(", ").map(label).join(", "),
    text: hit.text.replace(TURN_LABEL, (all, lead: string, name: string) => (labels.has(name) ? `${lead}${label(name)}:` : all)),
  };
}

/** Every hit with its case's context; `replaced` counts the replaced spans (for the audit entry). */
export async function redactHits(request: Request | null, user: SessionUser | null, hits: SegmentHit[], format: "csv" | "docx"): Promise<{ hits: SegmentHit[]; replaced: number }> {
  const interviews = await db.interview.findMany({ where: { id: { in: [...new Set(hits.map((h) => h.interviewId))] } }, select: { id: true, caseId: true } });
  const caseOf = new Map(interviews.map((i) => [i.id, i.caseId]));
  const turns = await db.transcriptParagraph.findMany({
    where: { transcriptId: { in: [...new Set(hits.map((h) => h.transcriptId))] } },
    orderBy: [{ transcriptId: "asc" }, { position: "asc" }],
    select: { transcriptId: true, speaker: true },
  });
  const speakersOf = new Map<string, string[]>();
  for (const t of turns) {
    const list = speakersOf.get(t.transcriptId) ?? [];
    list.push(t.speaker);
    speakersOf.set(t.transcriptId, list);
  }
  const labelsOf = new Map([...speakersOf].map(([id, speakers]) => [id, neutralSpeakers(speakers)]));
  const contexts = exportContexts(request, user, format);
  let replaced = 0;
  const out: SegmentHit[] = [];
  for (const h of hits) {
    const r = redactHit(relabelHit(h, labelsOf.get(h.transcriptId) ?? new Map()), await contexts.forCase(caseOf.get(h.interviewId)!));
    replaced += r.replaced;
    out.push(r.hit);
  }
  return { hits: out, replaced };
}
