// The redaction of a whole narrative, pure: segments (title and blocks in timeline order), proposals, the marked
// preview, the anonymized result and the final check. The server builds the context (context.server.ts).
import { buildProposals, findAll, applySegment, partsToText, releaseProblems, type Proposal, type Segment, type SegmentHits, type AppliedPart } from "./redaction/proposals.ts";
import type { DetectContext } from "./redaction/detect.ts";
import type { RedactionState } from "./redaction/types.ts";
import { sortByTimeline, type Block } from "./blocks.ts";
import { section, type RenderedNarrative } from "./render.ts";

export { SMALL_MUNICIPALITY_MAX_POPULATION } from "./redaction/places.ts";

/** The narrative's texts: its title and each block, in timeline order. */
export function segmentsOf(title: string, blocks: readonly Block[]): Segment[] {
  return [{ id: "title", text: title }, ...sortByTimeline(blocks).map((b) => ({ id: b.id, text: b.text }))];
}

export type RedactionView = {
  proposals: Proposal[];
  segments: { id: string; parts: AppliedPart[] }[];
  anonymized: RenderedNarrative;
  problems: ReturnType<typeof releaseProblems>;
};

export function redactionView(title: string, blocks: readonly Block[], state: RedactionState, ctx: DetectContext): RedactionView {
  const ordered = sortByTimeline(blocks);
  const found: SegmentHits[] = findAll(segmentsOf(title, ordered), ctx);
  const proposals = buildProposals(found, state);
  const byKey = new Map(proposals.map((p) => [p.key, p]));
  const segments = found.map((s) => ({ id: s.id, parts: applySegment(s, byKey) }));
  const textOf = (id: string) => partsToText(segments.find((s) => s.id === id)!.parts);
  const anonymized: RenderedNarrative = {
    title: textOf("title"),
    sections: ordered.map((b) => section(b.kind, textOf(b.id))).filter((s) => s.paragraphs.length > 0),
  };
  const problems = releaseProblems(
    proposals,
    ctx,
    segments.map((s) => ({ id: s.id, text: textOf(s.id) })),
  );
  return { proposals, segments, anonymized, problems };
}

