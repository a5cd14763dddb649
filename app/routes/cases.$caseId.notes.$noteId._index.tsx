import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { deleteNote, getNote, NoteConflict, updateNote } from "../notes/notes.server.ts";
import { noteSchema } from "../notes/note-fields.ts";
import { NoteForm } from "../notes/note-form.tsx";
import { readRichText } from "../rich-text/sanitize.server.ts";
import { RichTextView } from "../rich-text/rich-text-editor.tsx";
import { RefusedSave } from "../rich-text/refused-save.tsx";
import { dateInputValue, useFormatDate } from "../cases/format.ts";
import { erasureSchema } from "../consent/erasure-grounds.ts";
import { ErasureForm } from "../consent/erasure-ground-field.tsx";
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
    const erasure = parseWithZod(form, { schema: erasureSchema });
    // No legal ground: nothing is deleted, the form shows the message with the note as typed (the editor is untouched).
    if (erasure.status !== "success") return json({ deleteResult: erasure.reply(), result: null, contentErrors: null, unsaved: null }, { status: 400 });
    await deleteNote(request, grant, caseId, noteId, erasure.value);
    return redirect(`/cases/${caseId}/notes?deleted=1`);
  }
  const submission = parseWithZod(form, { schema: noteSchema });
  const content = readRichText(form, "content");
  const baseVersion = Number(form.get("version"));
  if (submission.status !== "success" || !content.ok || !Number.isInteger(baseVersion)) {
    return json({ result: submission.reply(), contentErrors: content.ok ? undefined : [content.error], unsaved: null }, { status: 400 });
  }
  // Saved meanwhile by someone else, or deleted: the person's text goes back to the page, which keeps it in the
  // editor (a reload would lose it).
  const unsaved = (reason: "conflict" | "gone") => ({
    reason,
    type: submission.value.type,
    noteDate: String(form.get("noteDate") ?? ""),
    title: submission.value.title,
    contentJson: content.value.json,
    contentText: content.value.text,
  });
  try {
    await updateNote(request, grant, caseId, noteId, baseVersion, submission.value, content.value);
  } catch (e) {
    if (e instanceof NoteConflict) return json({ result: submission.reply(), contentErrors: null, unsaved: unsaved("conflict") }, { status: 409 });
    if (e instanceof Response && e.status === 404) return json({ result: submission.reply(), contentErrors: null, unsaved: unsaved("gone") }, { status: 404 });
    throw e;
  }
  return redirect(`/cases/${caseId}/notes/${noteId}?saved=1`);
}

/** A note deleted meanwhile has no page to reload: keep this one, with the person's unsaved text. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => {
  const result = actionResult as { unsaved?: { reason?: string } | null } | undefined;
  return result?.unsaved?.reason === "gone" ? false : defaultShouldRevalidate;
};

export default function NotePage() {
  const { caseId, note, canWrite } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { t } = useTranslation("notes");
  const formatDate = useFormatDate();
  const base = `/cases/${caseId}/notes`;
  const unsaved = actionData?.unsaved ?? null;
  const deleting = useNavigation().formData?.get("intent") === "delete";
  return (
    <article aria-labelledby="note-title">
      <h2 id="note-title">{note.title}</h2>
      {search.get("saved") === "1" && !actionData ? (
        <p className="notice" role="status">
          {t("detail.saved")}
        </p>
      ) : null}
      {unsaved ? (
        <RefusedSave
          reason={unsaved.reason}
          message={unsaved.reason === "conflict" ? t("detail.conflict", { version: note.version }) : t("detail.gone")}
          newer={{ summary: t("detail.conflictNewer", { version: note.version }), title: note.title, html: note.contentHtml }}
        />
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
            // A new version remounts the editor with it, unless the person's unsaved text is kept.
            key={unsaved ? `unsaved-${unsaved.reason}-${note.version}` : note.version}
            id="edit-note"
            lastResult={actionData?.result}
            contentErrors={actionData?.contentErrors ?? undefined}
            defaults={
              unsaved
                ? { type: unsaved.type, noteDate: unsaved.noteDate, title: unsaved.title, contentJson: unsaved.contentJson, contentText: unsaved.contentText, version: note.version }
                : { type: note.type, noteDate: dateInputValue(note.noteDate), title: note.title, contentJson: note.contentJson, contentText: note.contentText, version: note.version }
            }
            action={unsaved?.reason === "gone" ? `${base}/new` : undefined}
            submitLabel={unsaved?.reason === "gone" ? t("detail.submitAsNew") : unsaved ? t("detail.submitMine", { version: note.version + 1 }) : t("detail.submit")}
          />
          {unsaved?.reason === "gone" ? null : (
            <section aria-labelledby="delete-note-title" className="card memo-danger">
              <h3 id="delete-note-title">{t("detail.deleteTitle")}</h3>
              <p>{t("detail.deleteHint")}</p>
              <ErasureForm
                id="delete-note"
                lastResult={actionData && "deleteResult" in actionData ? actionData.deleteResult : undefined}
                hidden={{ intent: "delete" }}
                confirm={t("detail.delete")}
                busy={deleting}
              />
            </section>
          )}
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
