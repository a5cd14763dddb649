// "Replace identifying details" for exports that leave the system (REFI-QDA project, coded segments as CSV and
// DOCX, a transcript as TXT, DOCX, SRT, VTT or GAT 2, the memos as DOCX): the narrative redaction engine's proposals, all taken as suggested, without a review. Each case's texts
// are searched with that case's context (identity terms under the same role rule as a narrative, names learned
// from its transcripts, the district's small municipalities); reading the identity terms is audited per case.
import type { SessionUser } from "../auth/session.server.ts";
import { caseDetectContext, districtMunicipalities } from "./context.server.ts";
import type { DetectContext } from "./redaction/detect.ts";
import type { NameLexicon } from "./redaction/names.ts";
import { neutralSpeakers, replaceIdentifying } from "./redaction/replace.ts";
import type { Paragraph } from "../transcripts/formats/types.ts";

/** The query parameter of the export links and forms: "0" keeps the texts as they are, "1" (the default) replaces. */
export const REDACT_PARAM = "redact";

export type ExportContexts = {
  forCase(caseId: string): Promise<DetectContext>;
  /** for text that belongs to no single case (project and code memos): every case loaded so far, together */
  combined(): Promise<DetectContext>;
};

export function exportContexts(request: Request | null, user: SessionUser | null, format: string): ExportContexts {
  const cache = new Map<string, Promise<DetectContext>>();
  const forCase = (caseId: string) => {
    let ctx = cache.get(caseId);
    if (!ctx) {
      ctx = caseDetectContext(request, user, caseId, { purpose: "export-redaction", format });
      cache.set(caseId, ctx);
    }
    return ctx;
  };
  return {
    forCase,
    async combined() {
      const all = await Promise.all(cache.values());
      const lexicon: NameLexicon = new Map();
      for (const c of all) for (const [k, v] of c.lexicon) if (!lexicon.has(k)) lexicon.set(k, v);
      return { identity: all.flatMap((c) => c.identity), municipalities: all[0]?.municipalities ?? (await districtMunicipalities()), lexicon, manual: [] };
    },
  };
}

/** The option's value from a URL: on unless every value given is "0"; null for anything but "0" and "1". */
export function redactOption(url: URL): boolean | null {
  const values = url.searchParams.getAll(REDACT_PARAM);
  if (values.some((v) => v !== "0" && v !== "1")) return null;
  return !(values.length > 0 && values.every((v) => v === "0"));
}

/**
 * A transcript's turns with identifying details replaced and named speaker labels as P1, P2 ... (in order of
 * appearance). A turn whose text changed loses its word timings: they name the words that were replaced.
 */
export function redactParagraphs(paragraphs: readonly Paragraph[], ctx: DetectContext): { paragraphs: Paragraph[]; replaced: number } {
  const labels = neutralSpeakers(paragraphs.map((p) => p.speaker));
  let replaced = 0;
  const out = paragraphs.map((p) => {
    const r = replaceIdentifying(p.text, ctx);
    const speaker = labels.get(p.speaker) ?? p.speaker;
    replaced += r.edits.length + (speaker === p.speaker ? 0 : 1);
    return { ...p, speaker, text: r.text, ...(r.edits.length ? { words: null } : {}) };
  });
  return { paragraphs: out, replaced };
}
