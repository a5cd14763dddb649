// Downloads: a released narrative from its frozen HTML; for researchers, a draft from the current decisions.
// File names carry no case pseudonym, only the narrative's id. Every download is audited.
import { audit } from "../../audit/audit.server.ts";
import type { Grant } from "../../permissions/permissions.server.ts";
import { getNarrative, getReleased, isResearchGrant, redactionOf } from "../narratives.server.ts";
import { fromHtml, type RenderedNarrative } from "../render.ts";
import { narrativeDocx } from "./docx.server.ts";
import { narrativePdf } from "./pdf.server.ts";

const CONTENT_TYPES = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } as const;

const day = (d: Date | null) => (d ? new Intl.DateTimeFormat("de-DE", { dateStyle: "long", timeZone: "UTC" }).format(d) : "");

export async function exportNarrative(request: Request, grant: Grant, id: string, format: "pdf" | "docx") {
  let rendered: RenderedNarrative;
  let draft = false;
  let subtitle: string;
  if (!isResearchGrant(grant)) {
    const released = await getReleased(request, grant, id);
    rendered = released.rendered;
    subtitle = `Anonymisiertes Narrativ · freigegeben am ${day(released.releasedAt)}`;
  } else {
    const n = await getNarrative(null, grant, id);
    if (n.status === "released" && n.releasedHtml) {
      rendered = fromHtml(n.releasedHtml);
      subtitle = `Anonymisiertes Narrativ · freigegeben am ${day(n.releasedAt)}`;
    } else {
      rendered = (await redactionOf(request, grant.user, n)).anonymized;
      draft = true;
      subtitle = "Anonymisierungsvorschau";
    }
  }
  const body = format === "pdf" ? await narrativePdf(rendered, { draft, subtitle }) : await narrativeDocx(rendered, { draft, subtitle });
  await audit(request, grant.user, { action: "narrative.export", entity: "narrative", entityId: id, detail: { format, draft } });
  return { body, contentType: CONTENT_TYPES[format], name: `narrativ-${id.replace(/[^A-Za-z0-9-]/g, "_")}${draft ? "-entwurf" : ""}.${format}` };
}
