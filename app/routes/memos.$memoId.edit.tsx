import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { deleteMemo, getMemo, updateMemo } from "../memos/memos.server.ts";
import { memoSchema } from "../memos/memo-fields.ts";
import { MemoForm } from "../memos/memo-form.tsx";
import { MemoTargetLabel } from "../memos/memo-list.tsx";
import { readRichText } from "../rich-text/sanitize.server.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { forbidden } from "../utils/responses.server.ts";
import styles from "../styles/memos-notes.css";
import richTextStyles from "../styles/rich-text.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: richTextStyles },
];

export const meta: MetaFunction = () => [{ title: "Memo bearbeiten – Lebenswege" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "memo");
  const memo = await getMemo(grant, params.memoId ?? "");
  // Others may read a memo, only its author or an admin may change it.
  if (!memo.canChange) throw forbidden();
  return json({ memo });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "memo");
  const memoId = params.memoId ?? "";
  const form = await readForm(request, grant.user);
  if (form.get("intent") === "delete") {
    await deleteMemo(request, grant, memoId);
    return redirect("/memos?deleted=1");
  }
  const submission = parseWithZod(form, { schema: memoSchema });
  const content = readRichText(form, "content");
  if (submission.status !== "success" || !content.ok) {
    return json({ result: submission.reply(), contentErrors: content.ok ? undefined : [content.error] }, { status: 400 });
  }
  await updateMemo(request, grant, memoId, submission.value, content.value);
  return redirect(`/memos/${memoId}`);
}

export default function EditMemo() {
  const { memo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("memos");
  return (
    <>
      <h1>{t("edit.title", { title: memo.title })}</h1>
      <p>
        {t("fields.target")}: <MemoTargetLabel target={memo.target} />
      </p>
      <MemoForm
        id="edit-memo"
        lastResult={actionData?.result}
        contentErrors={actionData?.contentErrors}
        defaults={{ title: memo.title, type: memo.type, contentJson: memo.contentJson, contentText: memo.contentText }}
        submitLabel={t("edit.submit")}
      />
      <section aria-labelledby="delete-memo-title" className="card memo-danger">
        <h2 id="delete-memo-title">{t("edit.deleteTitle")}</h2>
        <p>{t("edit.deleteHint")}</p>
        <Form method="post">
          <CsrfInput />
          <button type="submit" name="intent" value="delete" className="danger">
            {t("edit.delete")}
          </button>
        </Form>
      </section>
      <p>
        <Link to={`/memos/${memo.id}`}>{t("edit.back")}</Link>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
