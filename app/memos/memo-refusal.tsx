// The page of a memo the consent hides (readableMemo in memos.server.ts): a 403 that says why and names the
// interview (a case memo: the case), and nothing of the memo (its title and text stay out of the page and its title).
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import type { MemoHiddenRefusal } from "./memo-fields.ts";

const isHiddenRefusal = (data: unknown): data is MemoHiddenRefusal => !!data && typeof data === "object" && (data as { error?: unknown }).error === "memo-analysis-consent";

/** The memo pages' ErrorBoundary: the hidden memo's refusal, any other error as the app's error page. */
export function MemoErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation("memos");
  if (!isRouteErrorResponse(error) || error.status !== 403 || !isHiddenRefusal(error.data)) return <GeneralErrorBoundary />;
  const { interviewCode: code, casePseudonym } = error.data;
  return (
    <section className="error-page" aria-labelledby="memo-hidden-title">
      <h1 id="memo-hidden-title">
        {t("hiddenMemo.title")} <span className="muted">(403)</span>
      </h1>
      <p role="alert">{code ? t("hiddenMemo.text", { interview: code }) : casePseudonym ? t("hiddenMemo.textCase", { case: casePseudonym }) : t("hiddenMemo.textNoCode")}</p>
      <p>
        <Link to="/memos">{t("backToList")}</Link>
      </p>
    </section>
  );
}
