import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../db/client.server.ts";
import { caseScope, requirePermission } from "../permissions/permissions.server.ts";
import { documentResponse } from "../recordings/media.server.ts";
import { notFound, refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** A scanned consent form as a download (audited). */
export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "interview");
  const document = await db.consentDocument.findFirst({
    where: { id: params.documentId ?? "", interview: { case: caseScope(grant) } },
    select: { id: true, interviewId: true, storageKey: true, contentType: true, sizeBytes: true, displayName: true },
  });
  if (!document) throw notFound();
  return documentResponse(request, grant.user, document);
});

// No ErrorBoundary here on purpose: Remix treats a route that exports one as a page, not a resource route,
// and would render HTML instead of sending the file.
