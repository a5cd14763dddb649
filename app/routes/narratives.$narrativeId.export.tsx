import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { exportNarrative } from "../narratives/export/export.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/**
 * ?format=pdf|docx (default pdf). The commissioner gets released narratives only (their frozen text);
 * researchers also a preview of a draft, built from the current decisions and marked as a draft.
 */
export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "narrative");
  const format = new URL(request.url).searchParams.get("format") ?? "pdf";
  if (format !== "pdf" && format !== "docx") throw new Response("unknown format", { status: 400 });
  const file = await exportNarrative(request, grant, params.narrativeId ?? "", format);
  return new Response(new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.name}"`,
      "Cache-Control": "private, no-store",
    },
  });
});

// No ErrorBoundary on purpose: a resource route (a download), not a page.
