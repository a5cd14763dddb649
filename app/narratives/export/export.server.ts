// Downloads: a released narrative from its frozen HTML; for researchers, a draft from the current decisions.
// File names carry no case pseudonym, only the narrative's id. Every download is audited.
import { audit } from "../../audit/audit.server.ts";
import { serverT } from "../../i18n/title.server.ts";
import type { Grant } from "../../permissions/permissions.server.ts";
import { getNarrative, getReleased, isResearchGrant, redactionOf } from "../narratives.server.ts";
import { fromHtml, type RenderedNarrative } from "../render.ts";
import { narrativeDocx } from "./docx.server.ts";
import { narrativePdf } from "./pdf.server.ts";

const CONTENT_TYPES = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } as const;

/** What the file says around the narrative, in the reader's language; the narrative itself is as written. */
export type ExportLabels = { subtitle: string; draftMark: string | null; lang: string };

export async function exportNarrative(request: Request, grant: Grant, id: string, format: "pdf" | "docx") {
  const { t, language } = serverT(request);
  const lang = language === "en" ? "en-GB" : "de-DE";
  const day = (d: Date | null) => (d ? new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(d) : "");
  const released = (rendered: RenderedNarrative, at: Date | null) => ({ rendered, draft: false, subtitle: t("narratives:released.subtitle", { date: day(at) }) });
  let file: { rendered: RenderedNarrative; draft: boolean; subtitle: string };
  if (!isResearchGrant(grant)) {
    const r = await getReleased(request, grant, id);
    file = released(r.rendered, r.releasedAt);
  } else {
    const n = await getNarrative(null, grant, id);
    if (n.status === "released" && n.releasedHtml) file = released(fromHtml(n.releasedHtml), n.releasedAt);
    else file = { rendered: (await redactionOf(request, grant.user, n)).anonymized, draft: true, subtitle: t("narratives:released.draftSubtitle") };
  }
  const labels: ExportLabels = { subtitle: file.subtitle, draftMark: file.draft ? t("narratives:released.draftMark") : null, lang };
  const body = format === "pdf" ? await narrativePdf(file.rendered, labels) : await narrativeDocx(file.rendered, labels);
  await audit(request, grant.user, { action: "narrative.export", entity: "narrative", entityId: id, detail: { format, draft: file.draft } });
  const name = `${t("narratives:released.fileName")}-${id.replace(/[^A-Za-z0-9-]/g, "_")}${file.draft ? `-${t("narratives:released.draftFileName")}` : ""}.${format}`;
  return { body, contentType: CONTENT_TYPES[format], name };
}
