import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { getMemo } from "../memos/memos.server.ts";
import { auditView } from "../audit/audit.server.ts";
import { MemoTargetLabel } from "../memos/memo-list.tsx";
import { RichTextView } from "../rich-text/rich-text-editor.tsx";
import { useFormatDate } from "../cases/format.ts";
import { MemoErrorBoundary } from "../memos/memo-refusal.tsx";
import styles from "../styles/memos-notes.css";
import richTextStyles from "../styles/rich-text.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: richTextStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.memo.title} – Memo – Lebenswege` : "Lebenswege" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "memo");
  const memo = await getMemo(grant, params.memoId ?? "");
  // A memo may describe a person in the researcher's words (ADR 0016).
  await auditView(request, grant.user, { action: "memo.view", entity: "memo", entityId: memo.id, detail: memo.targetQuery ? { target: memo.targetQuery } : undefined });
  return json({ memo, canChange: memo.canChange && hasPermission(grant.user, "write", "memo") });
}

export default function MemoPage() {
  const { memo, canChange } = useLoaderData<typeof loader>();
  const { t } = useTranslation("memos");
  const formatDate = useFormatDate();
  return (
    <article aria-labelledby="memo-title">
      <h1 id="memo-title">{memo.title}</h1>
      <p className="item-meta">
        <span className="badge-type">{t(`types.${memo.type}`)}</span>
        <MemoTargetLabel target={memo.target} />
        <span>{memo.author ?? t("unknownAuthor")}</span>
        <span>{t("detail.created", { date: formatDate(memo.createdAt) })}</span>
        <span>{t("detail.updated", { date: formatDate(memo.updatedAt) })}</span>
      </p>
      {memo.target.quote ? <blockquote className="muted">„{memo.target.quote}“</blockquote> : null}
      <RichTextView html={memo.contentHtml} />
      <p className="actions-row">
        {canChange ? (
          <Link to={`/memos/${memo.id}/edit`} className="button">
            {t("detail.edit")}
          </Link>
        ) : (
          <span className="muted">{t("detail.readOnly")}</span>
        )}{" "}
        <Link to="/memos">{t("backToList")}</Link>
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <MemoErrorBoundary />;
}
