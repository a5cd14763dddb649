import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { listNotes } from "../notes/notes.server.ts";
import { NOTE_TYPES, type NoteType } from "../notes/note-fields.ts";
import { RichTextView } from "../rich-text/rich-text-editor.tsx";
import { useFormatDate } from "../cases/format.ts";
import { FilterForm, FilterSelect } from "../components/forms.tsx";
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
  const url = new URL(request.url);
  const typeParam = url.searchParams.get("type");
  const type = typeParam && (NOTE_TYPES as readonly string[]).includes(typeParam) ? (typeParam as NoteType) : undefined;
  const notes = await listNotes(request, grant, caseId, { type });
  return json({
    caseId,
    notes,
    type: type ?? "",
    deleted: url.searchParams.get("deleted") === "1",
    canWrite: hasPermission(grant.user, "write", "note"),
    research: grant.access === "linked",
  });
}

export default function CaseNotes() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("notes");
  const formatDate = useFormatDate();
  const base = `/cases/${data.caseId}/notes`;
  return (
    <section aria-labelledby="notes-title">
      <h2 id="notes-title">{t("list.title")}</h2>
      {data.research ? <p className="readonly-banner">{t("list.researchReadOnly")}</p> : null}
      {data.deleted ? (
        <p className="notice" role="status">
          {t("list.deleted")}
        </p>
      ) : null}
      {data.canWrite ? (
        <p className="actions-row">
          <Link to={`${base}/new`} className="button">
            {t("list.new")}
          </Link>
        </p>
      ) : null}
      <FilterForm title={t("list.filters")}>
        <FilterSelect id="f-note-type" name="type" label={t("fields.type")} value={data.type} emptyLabel={t("list.all")} options={NOTE_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))} />
      </FilterForm>
      <p role="status">{t("list.count", { count: data.notes.length })}</p>
      {data.notes.length ? (
        <ul className="note-list">
          {data.notes.map((n) => (
            <li key={n.id} className="note-item">
              <h3>
                <Link to={`${base}/${n.id}`}>{n.title}</Link>
              </h3>
              <p className="item-meta">
                <span className="badge-type">{t(`types.${n.type}`)}</span>
                <span>{formatDate(n.noteDate)}</span>
                <span>{n.author ?? t("unknownAuthor")}</span>
                <span>{t("list.version", { version: n.version })}</span>
              </p>
              <RichTextView html={n.contentHtml} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("list.empty")}</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
