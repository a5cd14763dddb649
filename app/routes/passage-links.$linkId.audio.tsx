import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../permissions/permissions.server.ts";
import { passageClipResponse } from "../links/audio.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/**
 * Only the time range of a linked passage, for the timeline's play button: integration managers have no access
 * to recordings, so they hear what the link shows and nothing more (see app/links/audio.server.ts).
 */
export const loader = refusalsInReadersLanguage(async ({ request, params }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "timeline");
  return passageClipResponse(request, grant, params.linkId ?? "");
});

// No ErrorBoundary on purpose: a route that exports one is a page, not a resource route.
