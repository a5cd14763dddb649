import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { listVersions, NoteConflict, restoreVersion } from "../notes/notes.server.ts";
import { RichTextView } from "../rich-text/rich-text-editor.tsx";
import { useFormatDate } from "../cases/format.ts";
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
  const { note, versions } = await listVersions(request, grant, caseId, params.noteId ?? "");
  return json({ caseId, note, versions, canWrite: hasPermission(grant.user, "write", "note") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "note");
  const caseId = params.caseId ?? "";
  const noteId = params.noteId ?? "";
  const form = await readForm(request, grant.user);
  const from = Number(form.get("restore"));
  const base = Number(form.get("version"));
  if (!Number.isInteger(from) || !Number.isInteger(base)) return json({ conflict: false }, { status: 400 });
  try {
    await restoreVersion(request, grant, caseId, noteId, from, base);
  } catch (e) {
    if (e instanceof NoteConflict) return json({ conflict: true }, { status: 409 });
    throw e;
  }
  return redirect(`/cases/${caseId}/notes/${noteId}/versions`);
}

function useFormatDateTime() {
  const { i18n } = useTranslation();
  return (value: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(new Date(value));
}

export default function NoteVersions() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("notes");
  const formatDate = useFormatDate();
  const formatDateTime = useFormatDateTime();
  const base = `/cases/${data.caseId}/notes/${data.note.id}`;
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t("versions.title", { title: data.note.title })}</h2>
      {actionData?.conflict ? (
        <p className="form-error" role="alert">
          {t("detail.conflict")}
        </p>
      ) : null}
      <ol className="version-list" reversed>
        {data.versions.map((v) => (
          <li key={v.version}>
            <details open={v.version === data.note.version}>
              <summary>
                {t("versions.entry", { version: v.version, who: v.editedBy ?? t("unknownAuthor"), when: formatDateTime(v.createdAt) })}
                {v.version === data.note.version ? ` ${t("versions.current")}` : ""}
              </summary>
              <p className="item-meta">
                <span className="badge-type">{t(`types.${v.type}`)}</span>
                <span>{formatDate(v.noteDate)}</span>
                <strong>{v.title}</strong>
              </p>
              <RichTextView html={v.contentHtml} />
              {data.canWrite && v.version !== data.note.version ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="version" value={data.note.version} />
                  <button type="submit" name="restore" value={v.version} className="secondary">
                    {t("versions.restore", { version: v.version })}
                  </button>
                </Form>
              ) : null}
            </details>
          </li>
        ))}
      </ol>
      <p>
        <Link to={base}>{t("versions.back")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
