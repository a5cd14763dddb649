import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { languageOf } from "../i18n/language.server.ts";
import { transcriptForExport } from "../transcripts/transcripts.server.ts";
import { writeTranscriptFile } from "../transcripts/formats/index.server.ts";
import { EXPORT_FORMATS, type ExportFormat } from "../transcripts/formats/types.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";
import { redactOption } from "../narratives/export-redaction.server.ts";
import { wordLanguage } from "../utils/word-document.server.ts";

// The header in the reader's language throughout, like the DOCX header and the other exports: GAT 2 has its
// English edition (Couper-Kuhlen & Barth-Weingarten 2011, "minimal transcript"), so the convention does not
// require German, and a half-English, half-German header read as a mistake.
const TITLE = { de: "Transkript", en: "Transcript" } as const;
const GAT2_KIND = { de: "GAT 2 Minimaltranskript", en: "GAT 2 minimal transcript" } as const;

/**
 * ?format=txt|docx|srt|vtt|gat2 (default txt): the transcript as a download named after the interview code;
 * identifying details replaced unless redact=0 (docs/decisions/0019-exports-replace-identifying-details.md).
 */
export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "transcript");
  const url = new URL(request.url);
  const format = url.searchParams.get("format") ?? "txt";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new Response("unknown format", { status: 400 });
  const replaceIdentifying = redactOption(url);
  if (replaceIdentifying === null) throw new Response("bad query: redact takes 0 or 1", { status: 400 });
  const { interview, paragraphs, language } = await transcriptForExport(request, grant, params.interviewId ?? "", format, { replaceIdentifying });
  // Nothing to export yet: the transcript page says so and offers the import.
  if (!paragraphs) return redirect(`/interviews/${interview.id}/transcript`);
  const reader = languageOf(request);
  // The DOCX's language is the transcript's (German unless the transcription said otherwise), not the reader's.
  const file = await writeTranscriptFile(format as ExportFormat, paragraphs, { title: `${TITLE[reader]} ${interview.code}`, kind: GAT2_KIND[reader], language: wordLanguage(language) });
  // Interview codes are ASCII (INT-2025-0007), so the name needs no encoding.
  const name = `${interview.code.replace(/[^A-Za-z0-9-]/g, "_")}.${file.extension}`;
  return new Response(typeof file.body === "string" ? file.body : new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
});

// No ErrorBoundary on purpose: a resource route (a download), not a page.
