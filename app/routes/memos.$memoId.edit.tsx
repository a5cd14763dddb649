import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { deleteMemo, getMemo, MemoConflict, updateMemo } from "../memos/memos.server.ts";
import { auditView } from "../audit/audit.server.ts";
import { memoSchema, type MemoHiddenRefusal } from "../memos/memo-fields.ts";
import { MemoForm } from "../memos/memo-form.tsx";
import { MemoTargetLabel } from "../memos/memo-list.tsx";
import { readRichText } from "../rich-text/sanitize.server.ts";
import { RefusedSave } from "../rich-text/refused-save.tsx";
import { erasureSchema } from "../consent/erasure-grounds.ts";
import { ErasureForm } from "../consent/erasure-ground-field.tsx";
import { MemoErrorBoundary } from "../memos/memo-refusal.tsx";
import { forbidden } from "../utils/responses.server.ts";
import styles from "../styles/memos-notes.css";
import richTextStyles from "../styles/rich-text.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: richTextStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "memo");
  const memo = await getMemo(grant, params.memoId ?? "");
  // Others may read a memo, only its author may change it.
  if (!memo.canChange) throw forbidden();
  await auditView(request, grant.user, { action: "memo.view", entity: "memo", entityId: memo.id, detail: memo.targetQuery ? { target: memo.targetQuery } : undefined });
  return json({ title: pageTitle(request, "memos:edit.title", { title: memo.title }), memo });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "memo");
  const memoId = params.memoId ?? "";
  const form = await readForm(request, grant.user);
  if (form.get("intent") === "delete") {
    const erasure = parseWithZod(form, { schema: erasureSchema });
    // No legal ground: nothing is deleted, the form shows the message with the note as typed (the editor is untouched).
    if (erasure.status !== "success") return json({ deleteResult: erasure.reply(), result: null, contentErrors: null, unsaved: null }, { status: 400 });
    await deleteMemo(request, grant, memoId, erasure.value);
    return redirect("/memos?deleted=1");
  }
  const submission = parseWithZod(form, { schema: memoSchema });
  const content = readRichText(form, "content");
  const base = new Date(String(form.get("base") ?? ""));
  if (submission.status !== "success" || !content.ok) {
    return json({ result: submission.reply(), contentErrors: content.ok ? undefined : [content.error], unsaved: null }, { status: 400 });
  }
  // Saved meanwhile (another tab) or deleted: the person's text goes back to the page, which keeps it in
  // the editor (a reload would lose it).
  const unsaved = (reason: "conflict" | "gone" | "hidden", refusal: MemoHiddenRefusal | null = null) => ({ reason, interviewCode: refusal?.interviewCode ?? null, casePseudonym: refusal?.casePseudonym ?? null, title: submission.value.title, type: submission.value.type, contentJson: content.value.json, contentText: content.value.text });
  try {
    await updateMemo(request, grant, memoId, submission.value, content.value, Number.isNaN(base.getTime()) ? undefined : base);
  } catch (e) {
    if (e instanceof MemoConflict) return json({ result: submission.reply(), contentErrors: null, unsaved: unsaved("conflict") }, { status: 409 });
    if (e instanceof Response && e.status === 404) return json({ result: submission.reply(), contentErrors: null, unsaved: unsaved("gone") }, { status: 404 });
    // The consent stopped covering analysis while the person was writing: nothing is stored, but the words they
    // typed go back to their own page (no one else's), so they do not vanish unexplained (ADR 0013, 0018).
    if (e instanceof Response && e.status === 403) {
      const refusal = (await e.clone().json().catch(() => null)) as MemoHiddenRefusal | null;
      if (refusal?.error === "memo-analysis-consent") return json({ result: submission.reply(), contentErrors: null, unsaved: unsaved("hidden", refusal) }, { status: 403 });
    }
    throw e;
  }
  return redirect(`/memos/${memoId}`);
}

/** A memo deleted meanwhile has no page to reload: keep this one, with the person's unsaved text. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => {
  const result = actionResult as { unsaved?: { reason?: string } | null } | undefined;
  // Deleted meanwhile, or hidden by the consent: reloading would replace the page (and the typed text) with a refusal.
  return result?.unsaved?.reason === "gone" || result?.unsaved?.reason === "hidden" ? false : defaultShouldRevalidate;
};

export default function EditMemo() {
  const { memo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("memos");
  const unsaved = actionData?.unsaved ?? null;
  const deleting = useNavigation().formData?.get("intent") === "delete";
  // A case memo's refusal names the case (no interview to name).
  const hiddenMessage = (u: { interviewCode: string | null; casePseudonym: string | null }) =>
    !u.interviewCode && u.casePseudonym ? t("edit.hiddenCase", { case: u.casePseudonym }) : t("edit.hidden", { interview: u.interviewCode ?? "" });
  return (
    <>
      <h1>{t("edit.title", { title: memo.title })}</h1>
      <p>
        {t("fields.target")}: <MemoTargetLabel target={memo.target} />
      </p>
      {unsaved ? (
        <RefusedSave
          reason={unsaved.reason === "conflict" ? "conflict" : "gone"}
          message={unsaved.reason === "conflict" ? t("edit.conflict") : unsaved.reason === "hidden" ? hiddenMessage(unsaved) : t("edit.gone")}
          newer={{ summary: t("edit.conflictNewer"), title: memo.title, html: memo.contentHtml }}
        />
      ) : null}
      <MemoForm
        // After a refused save the editor keeps the person's text (a new state of the memo would replace it).
        key={unsaved ? `unsaved-${unsaved.reason}-${memo.updatedAt}` : memo.updatedAt}
        id="edit-memo"
        lastResult={actionData?.result}
        contentErrors={actionData?.contentErrors ?? undefined}
        defaults={unsaved ?? { title: memo.title, type: memo.type, contentJson: memo.contentJson, contentText: memo.contentText }}
        base={memo.updatedAt}
        action={unsaved?.reason === "gone" ? `/memos/new${memo.targetQuery ? `?${memo.targetQuery}` : ""}` : undefined}
        submitLabel={unsaved?.reason === "gone" ? t("edit.submitAsNew") : unsaved ? t("edit.submitMine") : t("edit.submit")}
      />
      {unsaved?.reason === "gone" || unsaved?.reason === "hidden" ? null : (
        <section aria-labelledby="delete-memo-title" className="card memo-danger">
          <h2 id="delete-memo-title">{t("edit.deleteTitle")}</h2>
          <p>{t("edit.deleteHint")}</p>
          <ErasureForm
            id="delete-memo"
            lastResult={actionData && "deleteResult" in actionData ? actionData.deleteResult : undefined}
            hidden={{ intent: "delete" }}
            confirm={t("edit.delete")}
            busy={deleting}
          />
        </section>
      )}
      <p>
        <Link to={`/memos/${memo.id}`}>{t("edit.back")}</Link>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <MemoErrorBoundary />;
}
