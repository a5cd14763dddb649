import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createNote, requireNoteCase } from "../notes/notes.server.ts";
import { noteSchema } from "../notes/note-fields.ts";
import { NoteForm } from "../notes/note-form.tsx";
import { readRichText } from "../rich-text/sanitize.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/memos-notes.css";
import richTextStyles from "../styles/rich-text.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: richTextStyles },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "note");
  const row = await requireNoteCase(grant, params.caseId ?? "");
  return json({ caseId: row.id });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "note");
  const caseId = params.caseId ?? "";
  const form = await readForm(request, grant.user);
  await requireNoteCase(grant, caseId);
  const submission = parseWithZod(form, { schema: noteSchema });
  const content = readRichText(form, "content");
  if (submission.status !== "success" || !content.ok) {
    return json({ result: submission.reply(), contentErrors: content.ok ? undefined : [content.error] }, { status: 400 });
  }
  const note = await createNote(request, grant, caseId, submission.value, content.value);
  return redirect(`/cases/${caseId}/notes/${note.id}?saved=1`);
}

export default function NewNote() {
  const { caseId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("notes");
  return (
    <section aria-labelledby="new-note-heading">
      <h2 id="new-note-heading">{t("new.title")}</h2>
      <NoteForm id="new-note" lastResult={actionData?.result} contentErrors={actionData?.contentErrors} submitLabel={t("new.submit")} />
      <p>
        <Link to={`/cases/${caseId}/notes`}>{t("backToList")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
