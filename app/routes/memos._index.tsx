import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { listMemos, memoAuthors, parseMemoQuery } from "../memos/memos.server.ts";
import { MEMO_TARGETS, MEMO_TYPES } from "../memos/memo-fields.ts";
import { MemoList } from "../memos/memo-list.tsx";
import { FilterForm, FilterSelect } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { RedactOption } from "../components/redact-option.tsx";
import styles from "../styles/memos-notes.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "memo");
  const params = new URL(request.url).searchParams;
  const query = parseMemoQuery(params);
  const [result, authors] = await Promise.all([listMemos(query), memoAuthors()]);
  return json({
    title: pageTitle(request, "memos:list.title"),
    query: { type: query.type ?? "", target: query.target ?? "", author: query.authorId ?? "", q: query.q ?? "" },
    ...result,
    authors,
    canWrite: hasPermission(grant.user, "write", "memo"),
    deleted: params.get("deleted") === "1",
  });
}

/** The Word export of the list's filters, with identifying details replaced unless the box is unticked (redact=0). */
function ExportLink() {
  const { t } = useTranslation("memos");
  const { search } = useLocation(); // the export takes the list's filters as they are
  const [redact, setRedact] = useState(true);
  const params = new URLSearchParams(search);
  params.delete("redact");
  if (!redact) params.set("redact", "0");
  const query = params.toString();
  return (
    <div className="field">
      <RedactOption id="memos-redact" checked={redact} onChange={setRedact} label={t("export.redact")} hint={t("export.redactHint")} />
      <p className="actions-row">
        <a href={`/memos.docx${query ? `?${query}` : ""}`}>{t("export.docx")}</a>
      </p>
    </div>
  );
}

export default function MemoIndex() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("memos");
  const { query } = data;
  return (
    <>
      <h1>{t("list.title")}</h1>
      {data.deleted ? (
        <p className="notice" role="status">
          {t("list.deleted")}
        </p>
      ) : null}
      {data.canWrite ? (
        <p className="actions-row">
          <Link to="/memos/new" className="button">
            {t("list.newProject")}
          </Link>
        </p>
      ) : null}
      <FilterForm title={t("list.filters")} titleId="memo-filters-title">
        <FilterSelect id="f-type" name="type" label={t("fields.type")} value={query.type} emptyLabel={t("list.all")} options={MEMO_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))} />
        <FilterSelect id="f-target" name="target" label={t("fields.target")} value={query.target} emptyLabel={t("list.all")} options={MEMO_TARGETS.map((v) => ({ value: v, label: t(`targets.${v}`) }))} />
        <FilterSelect id="f-author" name="author" label={t("fields.author")} value={query.author} emptyLabel={t("list.all")} options={data.authors.map((a) => ({ value: a.id, label: a.name }))} />
        <div className="field">
          <label htmlFor="f-q">{t("list.text")}</label>
          <input id="f-q" name="q" type="search" defaultValue={query.q} key={`q-${query.q}`} maxLength={200} autoComplete="off" />
        </div>
      </FilterForm>
      <p role="status">{data.truncated ? t("list.countTruncated", { count: data.total, shown: data.rows.length }) : t("list.count", { count: data.total })}</p>
      {data.hidden ? <p className="muted">{t("list.hidden", { count: data.hidden })}</p> : null}
      {data.total ? <ExportLink /> : null}
      <MemoList rows={data.rows} headingLevel={2} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
