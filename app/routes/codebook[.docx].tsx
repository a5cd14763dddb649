import type { LoaderFunctionArgs } from "@remix-run/node";
import { wordDownload } from "../utils/word-document.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { serverT } from "../i18n/title.server.ts";
import { loadCodebook } from "../coding/codebook.server.ts";
import { flatten } from "../coding/codebook-tree.ts";
import { codebookDocx } from "../coding/codebook-docx.server.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

/** The whole codebook as a Word document, in the page's language. It holds no personal data, so it is not audited. */
export const loader = refusalsInReadersLanguage(async ({ request }: LoaderFunctionArgs) => {
  const grant = await requirePermission(request, "read", "codebook");
  const tree = await loadCodebook(grant);
  const { t, language } = serverT(request);
  const body = await codebookDocx(tree, t, language, flatten(tree).length);
  return wordDownload(body, t("codebook:docx.fileName"));
});

// No ErrorBoundary and no default export: either would turn this resource route into a page.
