import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { exportCodebook } from "../refi/export.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** GET /exchange/codebook.qdc: the codebook as a REFI-QDA codebook file (audited). */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "export", "refi");
  const file = await exportCodebook(request, grant);
  // The schema needs at least one code: with an empty codebook the page says so instead.
  if (!file) return redirect("/exchange?empty=codebook");
  return new Response(file.xml, {
    headers: {
      "Content-Type": "application/xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
});

// No ErrorBoundary on purpose: a resource route (a download), not a page.
