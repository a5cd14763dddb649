import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { redactOption } from "../narratives/export-redaction.server.ts";
import { exportProject } from "../refi/export.server.ts";
import { exportQuerySchema } from "../refi/schemas.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** GET /exchange/project.qdpx[?audio=1][&redact=0]: the REFI-QDA project as a zip streamed to the browser (audited). */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "export", "refi");
  const url = new URL(request.url);
  const query = exportQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  const replaceIdentifying = redactOption(url);
  if (!query.success || replaceIdentifying === null) throw new Response("bad query: audio and redact take 0 or 1", { status: 400 });
  const file = await exportProject(request, grant, { includeAudio: query.data.audio === "1", replaceIdentifying });
  return new Response(createReadableStreamFromReadable(file.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
});

// No ErrorBoundary on purpose: a resource route (a download), not a page.
