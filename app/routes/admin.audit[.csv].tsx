import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { audit } from "../audit/audit.server.ts";
import { AUDIT_CSV_COLUMNS, auditCsvStream, latestAuditId, parseAuditFilter } from "../admin/audit-query.server.ts";
import { i18nFor } from "../i18n/i18n.server.ts";
import { languageOf } from "../i18n/language.server.ts";
import { auditActionKey } from "../audit/actions.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";
import { csvFormat } from "../statistics/csv.ts";
import { readableRows } from "../audit/detail.server.ts";
import { auditDetailText } from "../audit/detail-text.ts";

/** The filtered audit log as CSV, streamed in batches (same filters as /admin/audit). */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "audit");
  const { filter } = parseAuditFilter(new URL(request.url).searchParams);
  const upTo = await latestAuditId();
  await audit(request, grant.user, { action: "audit.export", entity: "audit", detail: { filter } });
  const i18n = i18nFor(languageOf(request));
  const format = csvFormat(i18n.language);
  const header = AUDIT_CSV_COLUMNS.map((c) => i18n.t(`admin:audit.columns.${c}`));
  const day = new Date().toISOString().slice(0, 10);
  const actionLabel = (action: string) => {
    const key = auditActionKey(action);
    return key ? i18n.t(`admin:${key}`) : "";
  };
  // The details as the page shows them (names instead of ids), resolved for this reader one batch at a time.
  const detailTexts = async (rows: Parameters<typeof readableRows>[0]) => (await readableRows(rows, grant.user)).map((r) => (r.detail ? auditDetailText(r.detail, i18n) : ""));
  return new Response(auditCsvStream(filter, upTo, header, actionLabel, format, undefined, detailTexts), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});

// No ErrorBoundary here on purpose: Remix treats a route that exports one as a page, not a resource route,
// and would render the admin layout instead of sending the file.
