import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { exportProject } from "../refi/export.server.ts";
import { exportQuerySchema } from "../refi/schemas.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** GET /exchange/project.qdpx[?audio=1]: the REFI-QDA project as a zip streamed to the browser (audited). */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "export", "refi");
  const query = exportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response("bad query", { status: 400 });
  const file = await exportProject(request, grant, { includeAudio: query.data.audio === "1" });
  return new Response(createReadableStreamFromReadable(file.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
});

// No ErrorBoundary on purpose: a resource route (a download), not a page.
