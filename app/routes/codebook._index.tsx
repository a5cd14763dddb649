import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createCode, loadCodebook } from "../coding/codebook.server.ts";
import { CodeSchema } from "../coding/codebook-schemas.ts";
import { codeName, flatten, type CodeNode } from "../coding/codebook-tree.ts";
import { CodeSwatch } from "../coding/code-swatch.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors, SelectField, SubmitButton, TextAreaField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/codebook.css";
import { pageTitle } from "../i18n/title.server.ts";
import { RESEARCH_LANGUAGE } from "../i18n/content-language.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "codebook");
  return json({ title: pageTitle(request, "codebook:title"), tree: await loadCodebook(grant), canManage: hasPermission(grant.user, "manage", "codebook") });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "codebook");
  const form = await readForm(request, grant.user);
  const submission = parseWithZod(form, { schema: CodeSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const { parentId, ...fields } = submission.value;
  const result = await createCode(request, grant, { ...fields, parentId: parentId || null });
  if (!result.ok) return json({ result: submission.reply({ formErrors: [`codebook:errors.${result.error}`] }) }, { status: 400 });
  return redirect(`/codebook?created=${encodeURIComponent(result.id)}#code-${result.id}`);
}

function CodeItem({ node }: { node: CodeNode }) {
  const { t, i18n } = useTranslation("codebook");
  const name = codeName(node, i18n.language);
  return (
    <li id={`code-${node.id}`}>
      <div className="code-row">
        <CodeSwatch colour={node.colour} />
        {node.key ? <span className="code-key">{node.key}</span> : null}
        <Link to={`/codebook/${node.id}`} className="code-name">
          {name}
        </Link>
        {node.specialCategory ? (
          <span className="badge code-special" title={t("special.hint")}>
            {t("special.badge")}
          </span>
        ) : null}
        <span className="code-usage" aria-label={t("tree.usageLabel", { count: node.usage, total: node.totalUsage })}>
          {node.children.length ? t("tree.usageWithSub", { count: node.usage, total: node.totalUsage }) : t("tree.usage", { count: node.usage })}
        </span>
      </div>
      {node.description ? <p className="code-description">{node.description}</p> : null}
      {node.examples.length ? (
        <ul className="code-examples" aria-label={t("tree.examples", { name })}>
          {node.examples.map((e, i) => (
            <li key={i}>
              <q lang={RESEARCH_LANGUAGE}>{e}</q>
            </li>
          ))}
        </ul>
      ) : null}
      {node.children.length ? (
        <ul className="code-tree">
          {node.children.map((c) => (
            <CodeItem key={c.id} node={c} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export default function CodebookPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation("codebook");
  const [form, fields] = useForm({
    id: "add-code",
    lastResult: actionData?.result,
    defaultValue: { colour: "#9e9e9e" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CodeSchema }),
    shouldRevalidate: "onInput",
  });
  const tree = data.tree as unknown as CodeNode[];
  const all = flatten(tree);
  const done = params.get("done");
  const colourProps = getInputProps(fields.colour, { type: "color" });
  return (
    <div className="codebook-page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {all.length ? (
        <p className="actions-row">
          <a href="/codebook.docx">
            {t("docx.link")}
          </a>
        </p>
      ) : null}
      {params.get("created") ? (
        <p className="notice" role="status">
          {t("done.created")}
        </p>
      ) : null}
      {done ? (
        <p className="notice" role="status">
          {t(`done.${done}`, { defaultValue: "" })}
        </p>
      ) : null}
      <div className="grid-2 codebook-layout">
        <section aria-labelledby="tree-title">
          <h2 id="tree-title">{t("tree.title", { count: all.length })}</h2>
          {tree.length ? (
            <ul className="code-tree code-tree-root">
              {tree.map((n) => (
                <CodeItem key={n.id} node={n} />
              ))}
            </ul>
          ) : (
            <p className="muted">{t("tree.empty")}</p>
          )}
        </section>
        {data.canManage ? (
          <section className="card" aria-labelledby="add-title">
            <h2 id="add-title">{t("add.title")}</h2>
            <Form method="post" {...getFormProps(form)}>
              <CsrfInput />
              <FormErrors errors={form.errors} id={form.errorId} />
              <TextField field={fields.name} label={t("fields.name")} />
              <TextField field={fields.nameEn} label={t("fields.nameEn")} />
              <SelectField
                field={fields.parentId}
                label={t("fields.parent")}
                placeholder={t("fields.topLevel")}
                options={all.map((c) => ({ value: c.id, label: `${"\u2003".repeat(c.depth)}${c.key ? `${c.key} ` : ""}${codeName(c, i18n.language)}` }))}
              />
              <div className="field">
                <label htmlFor={fields.colour.id}>{t("fields.colour")}</label>
                <input {...colourProps} key={colourProps.key} />
                <ErrorText id={fields.colour.errorId} errors={fields.colour.errors} />
              </div>
              <TextAreaField field={fields.description} label={t("fields.description")} />
              <TextAreaField field={fields.examples} label={t("fields.examples")} />
              <div className="field checkbox">
                <input type="checkbox" id="add-special" name={fields.specialCategory.name} />
                <label htmlFor="add-special">{t("fields.specialCategory")}</label>
              </div>
              <SubmitButton>{t("add.submit")}</SubmitButton>
            </Form>
          </section>
        ) : null}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
