import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { audit } from "../audit/audit.server.ts";
import { serverT } from "../i18n/title.server.ts";
import { csvResponse } from "../statistics/csv.ts";
import { MAX_EXPORT_ROWS, filterQuery, parseSegmentFilters } from "../retrieval/filters.ts";
import { allCodedSegments } from "../retrieval/segments.server.ts";
import { redactHits } from "../retrieval/redact.server.ts";
import { redactOption } from "../narratives/export-redaction.server.ts";
import { segmentsCsv } from "../retrieval/export.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** The coded segments of the filters in the URL (all pages, up to MAX_EXPORT_ROWS) as CSV. */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "coding");
  const url = new URL(request.url);
  const replaceIdentifying = redactOption(url);
  if (replaceIdentifying === null) throw new Response("bad query: redact takes 0 or 1", { status: 400 });
  const filters = parseSegmentFilters(url);
  const found = await allCodedSegments(grant, filters, MAX_EXPORT_ROWS);
  const { hits, replaced } = replaceIdentifying ? await redactHits(request, grant.user, found.hits, "csv") : { hits: found.hits, replaced: 0 };
  const result = { ...found, hits };
  await audit(request, grant.user, { action: "coding.export", entity: "coding", detail: { format: "csv", filters: filterQuery(filters), rows: result.hits.length, total: result.total, memos: result.hits.reduce((n, h) => n + h.memos.length, 0), identifying: replaceIdentifying ? "replaced" : "kept", replaced } });
  const { t, language } = serverT(request);
  const day = new Date().toISOString().slice(0, 10);
  return csvResponse(segmentsCsv(result.hits, t, language, { replaced: replaceIdentifying }), `${t(replaceIdentifying ? "retrieval:export.fileNamePseudonymized" : "retrieval:export.fileName")}-${day}.csv`);
});

// No ErrorBoundary and no default export: either would turn this resource route into a page.
