import type { LoaderFunctionArgs } from "@remix-run/node";
import { wordDownload } from "../utils/word-document.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { audit } from "../audit/audit.server.ts";
import { serverT } from "../i18n/title.server.ts";
import { memoAuthors, memosForExport, parseMemoQuery } from "../memos/memos.server.ts";
import { memosDocx } from "../memos/export.server.ts";
import { redactMemos } from "../memos/redact.server.ts";
import { redactOption } from "../narratives/export-redaction.server.ts";
import { replaceIdentifying as replaceIn } from "../narratives/redaction/replace.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** The memos of the list's filters in the URL (all of them, not only the page shown) as a Word document. */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "memo");
  const url = new URL(request.url);
  const replaceIdentifying = redactOption(url);
  if (replaceIdentifying === null) throw new Response("bad query: redact takes 0 or 1", { status: 400 });
  const params = url.searchParams;
  const filter = parseMemoQuery(params);
  // Memos the consent hides (no analysis) are left out in the query and only counted (readableMemo).
  const [{ memos: found, hidden }, authors] = await Promise.all([memosForExport(filter), memoAuthors()]);
  const redacted = replaceIdentifying ? await redactMemos(request, grant.user, found) : null;
  const memos = redacted?.memos ?? found;
  await audit(request, grant.user, { action: "memo.export", entity: "memo", detail: { format: "docx", filters: params.toString(), rows: memos.length, hidden, identifying: replaceIdentifying ? "replaced" : "kept", replaced: redacted?.replaced ?? 0 } });
  const { t, language } = serverT(request);
  const filters = [
    filter.type ? `${t("memos:fields.type")}: ${t(`memos:types.${filter.type}`)}` : null,
    filter.target ? `${t("memos:fields.target")}: ${t(`memos:targets.${filter.target}`)}` : null,
    filter.authorId ? `${t("memos:fields.author")}: ${authors.find((a) => a.id === filter.authorId)?.name ?? t("memos:unknownAuthor")}` : null,
    // The search text may be a name; the summary on top says no more than the replaced memos do.
    filter.q ? `${t("memos:list.text")}: „${redacted ? replaceIn(filter.q, redacted.combined).text : filter.q}“` : null,
  ].filter((f): f is string => f !== null);
  const body = await memosDocx(memos, t, language, { title: t("memos:list.title"), filterSummary: t("memos:export.summary", { filters: filters.join(" · ") || t("memos:export.all") }), replaced: replaceIdentifying, hidden });
  return wordDownload(body, t(replaceIdentifying ? "memos:export.fileNamePseudonymized" : "memos:export.fileName"));
});

// No ErrorBoundary and no default export: either would turn this resource route into a page.
