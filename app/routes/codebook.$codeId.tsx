import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { deleteCode, getCode, listCodes, mergeCodes, moveCode, updateCode, type CodebookError } from "../coding/codebook.server.ts";
import { CodeSchema, DeleteSchema, MergeSchema, MoveSchema } from "../coding/codebook-schemas.ts";
import { buildTree, codeName, descendantIds, flatten } from "../coding/codebook-tree.ts";
import { CodeSwatch } from "../coding/code-swatch.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors, TextAreaField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/codebook.css";
import { pageTitle, serverT } from "../i18n/title.server.ts";
import { db } from "../db/client.server.ts";
import { RESEARCH_LANGUAGE } from "../i18n/content-language.ts";
import { ErasureGroundField } from "../consent/erasure-ground-field.tsx";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "codebook");
  const code = await getCode(grant, params.codeId ?? "");
  const all = flatten(buildTree(await listCodes()));
  const below = descendantIds(all, code.id);
  const name = serverT(request).language === "en" && code.nameEn ? code.nameEn : code.name;
  return json({
    title: `${name} – ${pageTitle(request, "codebook:title")}`,
    code,
    // every code in tree order, marked where it cannot be a new parent (itself and its sub-codes) or a merge target
    codes: all.map((c) => ({ id: c.id, key: c.key, name: c.name, nameEn: c.nameEn, depth: c.depth, specialCategory: c.specialCategory, parentId: c.parentId, inside: c.id === code.id || below.has(c.id) })),
    canManage: hasPermission(grant.user, "manage", "codebook"),
    // Memos on the code itself (a passage's memos are with its coding), and a way to write one.
    memos: hasPermission(grant.user, "read", "memo") ? await db.memo.findMany({ where: { codeId: code.id }, select: { id: true, title: true }, orderBy: { updatedAt: "desc" }, take: 50 }) : [],
    canWriteMemo: hasPermission(grant.user, "write", "memo"),
  });
}

type Intent = "update" | "move" | "merge" | "delete";
const refused = (intent: Intent, error: CodebookError) => json({ intent, error: error as CodebookError | null, result: undefined as SubmissionResult<string[]> | undefined }, { status: 400 });

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "codebook");
  const form = await readForm(request, grant.user);
  const code = await getCode(grant, params.codeId ?? "");
  const intent = String(form.get("intent") ?? "") as Intent;
  if (intent === "update") {
    const submission = parseWithZod(form, { schema: CodeSchema });
    if (submission.status !== "success") return json({ intent, error: null as CodebookError | null, result: submission.reply() as SubmissionResult<string[]> | undefined }, { status: 400 });
    const base = new Date(String(form.get("base") ?? ""));
    const result = await updateCode(request, grant, code.id, { ...submission.value, specialCategory: submission.value.specialCategory ?? false }, Number.isNaN(base.getTime()) ? undefined : base);
    return result.ok ? redirect(`/codebook/${code.id}?done=updated`) : refused(intent, result.error);
  }
  if (intent === "move") {
    const submission = parseWithZod(form, { schema: MoveSchema });
    if (submission.status !== "success") return json({ intent, error: null as CodebookError | null, result: submission.reply() as SubmissionResult<string[]> | undefined }, { status: 400 });
    const result = await moveCode(request, grant, code.id, { parentId: submission.value.parentId || null, position: submission.value.place - 1 });
    return result.ok ? redirect(`/codebook/${code.id}?done=moved`) : refused(intent, result.error);
  }
  if (intent === "merge") {
    const submission = parseWithZod(form, { schema: MergeSchema });
    if (submission.status !== "success") return refused(intent, "target-missing");
    // A merge cannot be undone (the codings move, the code is deleted): the form asks, as for deleting codings.
    if (submission.value.confirm !== true) return refused(intent, "merge-confirm-required");
    const result = await mergeCodes(request, grant, code.id, submission.value.targetId);
    return result.ok ? redirect(`/codebook/${submission.value.targetId}?done=merged&moved=${result.codingsMoved + result.duplicatesCollapsed}`) : refused(intent, result.error);
  }
  if (intent === "delete") {
    const submission = parseWithZod(form, { schema: DeleteSchema });
    // Dropping codings without a legal ground: nothing is deleted, the message stands at the field, the note stays.
    if (submission.status !== "success") return json({ intent, error: null as CodebookError | null, result: submission.reply() as SubmissionResult<string[]> | undefined }, { status: 400 });
    const { codings, targetId, confirm, ground, note } = submission.value;
    const choice = codings === "reassign" ? { codings, targetId: targetId ?? "" } : codings === "delete" && ground ? { codings, confirm: confirm === true, ground, note } : { codings: "none" as const };
    const result = await deleteCode(request, grant, code.id, choice);
    return result.ok ? redirect("/codebook?done=deleted") : json({ intent, error: result.error as CodebookError | null, result: submission.reply() as SubmissionResult<string[]> | undefined }, { status: 400 });
  }
  throw new Response("unknown intent", { status: 400 });
}

export default function CodePage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation("codebook");
  const { code } = data;
  const name = codeName(code, i18n.language);
  const label = (c: { key: string | null; name: string; nameEn: string | null; depth: number }) => `${"\u2003".repeat(c.depth)}${c.key ? `${c.key} ` : ""}${codeName(c, i18n.language)}`;
  const others = data.codes.filter((c) => c.id !== code.id);
  const mergeTargets = data.codes.filter((c) => !c.inside);
  const parentChoices = data.codes.filter((c) => !c.inside);
  const siblings = data.codes.filter((c) => c.parentId === code.parentId).length;
  const [deleteChoice, setDeleteChoice] = useState<"reassign" | "delete">("reassign");
  const [form, fields] = useForm({
    id: "edit-code",
    lastResult: actionData?.intent === "update" ? actionData.result : undefined,
    defaultValue: { name: code.name, nameEn: code.nameEn ?? "", colour: code.colour, description: code.description, examples: code.examples.join("\n") },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CodeSchema }),
    shouldRevalidate: "onInput",
  });
  const colourProps = getInputProps(fields.colour, { type: "color" });
  // The delete form's ground and note (asked only when the codings are dropped), so a refusal keeps the note typed.
  const [deleteForm, deleteFields] = useForm<z.input<typeof DeleteSchema>>({ id: "delete-code", lastResult: actionData?.intent === "delete" ? actionData.result : undefined });
  const errorFor = (intent: Intent) => (actionData && actionData.intent === intent && actionData.error ? t(`errors.${actionData.error}`) : null);
  const done = params.get("done");

  return (
    <div className="codebook-page">
      <p>
        <Link to={`/codebook#code-${code.id}`}>{t("detail.back")}</Link>
      </p>
      <h1 className="code-heading">
        <CodeSwatch colour={code.colour} /> {code.key ? <span className="code-key">{code.key}</span> : null} {name}
      </h1>
      {done ? (
        <p className="notice" role="status">
          {t(`done.${done}`, { count: Number(params.get("moved") ?? 0) })}
        </p>
      ) : null}
      <dl className="code-facts">
        <dt>{t("detail.usage")}</dt>
        <dd>{t("tree.usage", { count: code.usage })}</dd>
        <dt>{t("detail.memos")}</dt>
        <dd>
          {code.memos}
          {data.memos.length ? (
            <ul className="code-memos">
              {data.memos.map((m) => (
                <li key={m.id}>
                  <Link to={`/memos/${m.id}`}>{m.title}</Link>
                </li>
              ))}
            </ul>
          ) : null}
          {data.canWriteMemo ? (
            <p>
              <Link to={`/memos/new?codeId=${encodeURIComponent(code.id)}`}>{t("detail.writeMemo")}</Link>
            </p>
          ) : null}
        </dd>
        <dt>{t("fields.specialCategory")}</dt>
        <dd>{code.specialCategory ? <span className="badge code-special">{t("special.badge")}</span> : t("detail.no")}</dd>
      </dl>
      {code.description ? <p>{code.description}</p> : null}
      {code.examples.length ? (
        <>
          <h2>{t("fields.examplesTitle")}</h2>
          <ul className="code-examples">
            {code.examples.map((e, i) => (
              <li key={i}>
                <q lang={RESEARCH_LANGUAGE}>{e}</q>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {data.canManage ? (
        <div className="grid-2">
          <section className="card" aria-labelledby="edit-title">
            <h2 id="edit-title">{t("edit.title")}</h2>
            <Form method="post" {...getFormProps(form)}>
              <CsrfInput />
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="base" value={String(code.updatedAt)} />
              <FormErrors errors={errorFor("update") ? [errorFor("update")!] : form.errors} id={form.errorId} />
              <TextField field={fields.name} label={t("fields.name")} />
              <TextField field={fields.nameEn} label={t("fields.nameEn")} />
              <div className="field">
                <label htmlFor={fields.colour.id}>{t("fields.colour")}</label>
                <input {...colourProps} key={colourProps.key} />
                <ErrorText id={fields.colour.errorId} errors={fields.colour.errors} />
              </div>
              <TextAreaField field={fields.description} label={t("fields.description")} />
              <TextAreaField field={fields.examples} label={t("fields.examples")} />
              <div className="field checkbox">
                <input type="checkbox" id="edit-special" name={fields.specialCategory.name} defaultChecked={code.specialCategory} aria-describedby="edit-special-hint" />
                <label htmlFor="edit-special">{t("fields.specialCategory")}</label>
                <div id="edit-special-hint" className="muted">
                  {t("special.hint")}
                </div>
              </div>
              <button type="submit">{t("edit.submit")}</button>
            </Form>
          </section>

          <div>
            <section className="card" aria-labelledby="move-title">
              <h2 id="move-title">{t("move.title")}</h2>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="move" />
                {errorFor("move") ? (
                  <p className="form-error" role="alert">
                    {errorFor("move")}
                  </p>
                ) : null}
                <div className="field">
                  <label htmlFor="move-parent">{t("fields.parent")}</label>
                  <select id="move-parent" name="parentId" defaultValue={code.parentId ?? ""}>
                    <option value="">{t("fields.topLevel")}</option>
                    {parentChoices.map((c) => (
                      <option key={c.id} value={c.id}>
                        {label(c)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="move-place">{t("move.place")}</label>
                  <input id="move-place" name="place" type="number" min={1} max={Math.max(1, siblings + 1)} defaultValue={code.position + 1} required />
                </div>
                <button type="submit">{t("move.submit")}</button>
              </Form>
            </section>

            <section className="card" aria-labelledby="merge-title">
              <h2 id="merge-title">{t("merge.title")}</h2>
              <p className="muted">{t("merge.explain", { name, count: code.usage })}</p>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="merge" />
                {errorFor("merge") ? (
                  <p className="form-error" role="alert">
                    {errorFor("merge")}
                  </p>
                ) : null}
                <div className="field">
                  <label htmlFor="merge-target">{t("merge.target")}</label>
                  <select id="merge-target" name="targetId" required defaultValue="">
                    <option value="" disabled>
                      {t("fields.choose")}
                    </option>
                    {mergeTargets.map((c) => (
                      <option key={c.id} value={c.id}>
                        {label(c)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field checkbox">
                  <input type="checkbox" id="merge-confirm" name="confirm" />
                  <label htmlFor="merge-confirm">{t("merge.confirm", { name })}</label>
                </div>
                <button type="submit">{t("merge.submit")}</button>
              </Form>
            </section>

            <section className="card danger-zone" aria-labelledby="delete-title">
              <h2 id="delete-title">{t("delete.title")}</h2>
              <Form method="post" {...getFormProps(deleteForm)}>
                <CsrfInput />
                <input type="hidden" name="intent" value="delete" />
                {errorFor("delete") ? (
                  <p className="form-error" role="alert">
                    {errorFor("delete")}
                  </p>
                ) : null}
                {code.children ? <p className="muted">{t("delete.children", { count: code.children })}</p> : null}
                {code.usage > 0 ? (
                  <fieldset>
                    <legend>{t("delete.question", { count: code.usage })}</legend>
                    <div className="field checkbox">
                      <input type="radio" id="delete-reassign" name="codings" value="reassign" checked={deleteChoice === "reassign"} onChange={() => setDeleteChoice("reassign")} />
                      <label htmlFor="delete-reassign">{t("delete.reassign")}</label>
                    </div>
                    <div className="field">
                      <label htmlFor="delete-target">{t("delete.target")}</label>
                      <select id="delete-target" name="targetId" defaultValue="" disabled={deleteChoice !== "reassign"}>
                        <option value="" disabled>
                          {t("fields.choose")}
                        </option>
                        {others.map((c) => (
                          <option key={c.id} value={c.id}>
                            {label(c)}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div className="field checkbox">
                      <input type="radio" id="delete-codings" name="codings" value="delete" checked={deleteChoice === "delete"} onChange={() => setDeleteChoice("delete")} />
                      <label htmlFor="delete-codings">{t("delete.dropCodings", { count: code.usage })}</label>
                    </div>
                    <div className="field checkbox">
                      <input type="checkbox" id="delete-confirm" name="confirm" disabled={deleteChoice !== "delete"} />
                      <label htmlFor="delete-confirm">{t("delete.confirm", { count: code.usage, memos: code.memos })}</label>
                    </div>
                    {deleteChoice === "delete" ? <ErasureGroundField ground={deleteFields.ground} note={deleteFields.note} groundHint={t("delete.groundHint")} /> : null}
                  </fieldset>
                ) : (
                  <input type="hidden" name="codings" value="none" />
                )}
                <button type="submit" className="danger">
                  {t("delete.submit")}
                </button>
              </Form>
            </section>
          </div>
        </div>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
