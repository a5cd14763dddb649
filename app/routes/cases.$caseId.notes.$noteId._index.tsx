import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { deleteNote, getNote, NoteConflict, updateNote } from "../notes/notes.server.ts";
import { noteSchema } from "../notes/note-fields.ts";
import { NoteForm } from "../notes/note-form.tsx";
import { readRichText } from "../rich-text/sanitize.server.ts";
import { RichTextView } from "../rich-text/rich-text-editor.tsx";
import { dateInputValue, useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/memos-notes.css";
import richTextStyles from "../styles/rich-text.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: richTextStyles },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "note");
  const caseId = params.caseId ?? "";
  const note = await getNote(request, grant, caseId, params.noteId ?? "");
  return json({ caseId, note, canWrite: hasPermission(grant.user, "write", "note") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "note");
  const caseId = params.caseId ?? "";
  const noteId = params.noteId ?? "";
  const form = await readForm(request, grant.user);
  if (form.get("intent") === "delete") {
    await deleteNote(request, grant, caseId, noteId);
    return redirect(`/cases/${caseId}/notes?deleted=1`);
  }
  const submission = parseWithZod(form, { schema: noteSchema });
  const content = readRichText(form, "content");
  const baseVersion = Number(form.get("version"));
  if (submission.status !== "success" || !content.ok || !Number.isInteger(baseVersion)) {
    return json({ result: submission.reply(), contentErrors: content.ok ? undefined : [content.error], conflict: false }, { status: 400 });
  }
  try {
    await updateNote(request, grant, caseId, noteId, baseVersion, submission.value, content.value);
  } catch (e) {
    if (e instanceof NoteConflict) return json({ result: submission.reply(), contentErrors: undefined, conflict: true }, { status: 409 });
    throw e;
  }
  return redirect(`/cases/${caseId}/notes/${noteId}?saved=1`);
}

export default function NotePage() {
  const { caseId, note, canWrite } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { t } = useTranslation("notes");
  const formatDate = useFormatDate();
  const base = `/cases/${caseId}/notes`;
  return (
    <article aria-labelledby="note-title">
      <h2 id="note-title">{note.title}</h2>
      {search.get("saved") === "1" && !actionData ? (
        <p className="notice" role="status">
          {t("detail.saved")}
        </p>
      ) : null}
      {actionData?.conflict ? (
        <p className="form-error" role="alert">
          {t("detail.conflict")}
        </p>
      ) : null}
      <p className="item-meta">
        <span className="badge-type">{t(`types.${note.type}`)}</span>
        <span>{formatDate(note.noteDate)}</span>
        <span>{note.author ?? t("unknownAuthor")}</span>
        <span>{t("list.version", { version: note.version })}</span>
        <Link to={`${base}/${note.id}/versions`}>{t("detail.history")}</Link>
      </p>
      {canWrite ? (
        <>
          <NoteForm
            key={note.version}
            id="edit-note"
            lastResult={actionData?.result}
            contentErrors={actionData?.contentErrors}
            defaults={{ type: note.type, noteDate: dateInputValue(note.noteDate), title: note.title, contentJson: note.contentJson, contentText: note.contentText, version: note.version }}
            submitLabel={t("detail.submit")}
          />
          <section aria-labelledby="delete-note-title" className="card memo-danger">
            <h3 id="delete-note-title">{t("detail.deleteTitle")}</h3>
            <p>{t("detail.deleteHint")}</p>
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="delete" className="danger">
                {t("detail.delete")}
              </button>
            </Form>
          </section>
        </>
      ) : (
        <RichTextView html={note.contentHtml} />
      )}
      <p>
        <Link to={base}>{t("backToList")}</Link>
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
