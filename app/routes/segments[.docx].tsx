import type { LoaderFunctionArgs } from "@remix-run/node";
import { wordDownload } from "../utils/word-document.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { audit } from "../audit/audit.server.ts";
import { serverT } from "../i18n/title.server.ts";
import { MAX_EXPORT_ROWS, filterQuery, parseSegmentFilters } from "../retrieval/filters.ts";
import { allCodedSegments } from "../retrieval/segments.server.ts";
import { redactHits } from "../retrieval/redact.server.ts";
import { redactOption } from "../narratives/export-redaction.server.ts";
import { filterOptions, filterSummary, summaryRedaction } from "../retrieval/options.server.ts";
import { segmentsDocx } from "../retrieval/export.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** The coded segments of the filters in the URL (all pages, up to MAX_EXPORT_ROWS) as a Word document. */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "coding");
  const url = new URL(request.url);
  const replaceIdentifying = redactOption(url);
  if (replaceIdentifying === null) throw new Response("bad query: redact takes 0 or 1", { status: 400 });
  const filters = parseSegmentFilters(url);
  const [found, options] = await Promise.all([allCodedSegments(grant, filters, MAX_EXPORT_ROWS), filterOptions()]);
  const { hits, replaced } = replaceIdentifying ? await redactHits(request, grant.user, found.hits, "docx") : { hits: found.hits, replaced: 0 };
  const result = { ...found, hits };
  await audit(request, grant.user, { action: "coding.export", entity: "coding", detail: { format: "docx", filters: filterQuery(filters), rows: result.hits.length, total: result.total, memos: result.hits.reduce((n, h) => n + h.memos.length, 0), identifying: replaceIdentifying ? "replaced" : "kept", replaced } });
  const { t, language } = serverT(request);
  // The summary on top says no more than the replaced body does.
  const summary = filterSummary(filters, options, t, language, replaceIdentifying ? await summaryRedaction(filters) : undefined);
  const body = await segmentsDocx(result.hits, t, language, { title: t("retrieval:segments.title"), filterSummary: summary, total: result.total, replaced: replaceIdentifying });
  return wordDownload(body, t(replaceIdentifying ? "retrieval:export.fileNamePseudonymized" : "retrieval:export.fileName"));
});

// No ErrorBoundary and no default export: either would turn this resource route into a page.
