import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createMunicipality, listMunicipalities, renameMunicipality, setMunicipalityActive } from "../admin/municipalities.server.ts";
import { CreateMunicipalitySchema, DISTRICT_AGS_PREFIX, MUNICIPALITY_TYPES, RenameMunicipalitySchema } from "../admin/schemas.ts";
import { formatNumber } from "../admin/dates.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, SubmitButton, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage", "municipalities");
  return json({ municipalities: await listMunicipalities() });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "municipalities");
  const form = await readForm(request, grant.user);
  const ctx = { request, actor: grant.user };
  const intent = form.get("intent");

  if (intent === "create") {
    const submission = parseWithZod(form, { schema: CreateMunicipalitySchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply(), done: false }, { status: 400 });
    const outcome = await createMunicipality(ctx, submission.value);
    if (!outcome.ok) return json({ intent, result: submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), done: false }, { status: 400 });
    return json({ intent, result: submission.reply({ resetForm: true }), done: true });
  }
  if (intent === "rename") {
    const submission = parseWithZod(form, { schema: RenameMunicipalitySchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply(), done: false }, { status: 400 });
    const outcome = await renameMunicipality(ctx, submission.value.municipalityId, submission.value.name);
    if (!outcome.ok) return json({ intent, result: submission.reply({ fieldErrors: outcome.fieldErrors }), done: false }, { status: 400 });
    return redirect("/admin/municipalities?renamed=1");
  }
  if (intent === "activate" || intent === "deactivate") {
    const municipalityId = form.get("municipalityId");
    if (typeof municipalityId !== "string" || !municipalityId) throw new Response("missing municipality", { status: 400 });
    await setMunicipalityActive(ctx, municipalityId, intent === "activate");
    return json({ intent, result: null, done: true });
  }
  throw new Response("unknown intent", { status: 400 });
}

export default function Municipalities() {
  const { municipalities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const renaming = municipalities.find((m) => m.id === searchParams.get("rename"));

  const [createForm, createFields] = useForm({
    id: "create-municipality",
    lastResult: actionData?.intent === "create" ? actionData.result : undefined,
    defaultValue: { ags: DISTRICT_AGS_PREFIX, type: "Gemeinde" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateMunicipalitySchema }),
    shouldRevalidate: "onInput",
  });
  const [renameForm, renameFields] = useForm({
    id: `rename-${renaming?.id ?? "none"}`,
    lastResult: actionData?.intent === "rename" ? actionData.result : undefined,
    defaultValue: { municipalityId: renaming?.id ?? "", name: renaming?.name ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RenameMunicipalitySchema }),
    shouldRevalidate: "onInput",
  });
  const typeLabel = (type: string) => t(`municipalities.types.${type}`, { defaultValue: type });

  return (
    <>
      <h1>{t("municipalities.title")}</h1>
      {/* The rename's notice (from its redirect) gives way to the next action's own. */}
      {searchParams.get("renamed") && !actionData ? (
        <p className="notice" role="status">
          {t("municipalities.renamed")}
        </p>
      ) : null}
      {actionData?.done && actionData.intent !== "rename" ? (
        <p className="notice" role="status">
          {t(`municipalities.done.${String(actionData.intent)}`)}
        </p>
      ) : null}

      {renaming ? (
        <section className="card" aria-labelledby="rename-title">
          <h2 id="rename-title">{t("municipalities.renameTitle", { name: renaming.name })}</h2>
          <Form method="post" {...getFormProps(renameForm)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="rename" />
            <input type="hidden" name="municipalityId" value={renaming.id} />
            <FormErrors errors={renameForm.errors} id={renameForm.errorId} />
            <TextField field={renameFields.name} label={t("municipalities.name")} autoFocus />
            <div className="actions-row">
              <SubmitButton>{tc("actions.save")}</SubmitButton>
              <Link to="/admin/municipalities">{tc("actions.cancel")}</Link>
            </div>
          </Form>
        </section>
      ) : null}

      <div className="table-wrap">
        <table>
          <caption>{t("municipalities.tableCaption", { count: municipalities.length })}</caption>
          <thead>
            <tr>
              <th scope="col">
                <abbr title={t("municipalities.ags")}>{t("municipalities.agsShort")}</abbr>
              </th>
              <th scope="col">{t("municipalities.name")}</th>
              <th scope="col">{t("municipalities.type")}</th>
              <th scope="col" className="num">
                {t("municipalities.population")}
              </th>
              <th scope="col">{t("municipalities.association")}</th>
              <th scope="col" className="num">
                {t("municipalities.activeCases")}
              </th>
              <th scope="col">{t("municipalities.managers")}</th>
              <th scope="col">{t("municipalities.status")}</th>
              <th scope="col">{t("municipalities.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {municipalities.map((m) => (
              <tr key={m.id}>
                <td>{m.ags}</td>
                <th scope="row">{m.name}</th>
                <td>{typeLabel(m.type)}</td>
                <td className="num">{m.population == null ? tc("none") : formatNumber(m.population, i18n.language)}</td>
                <td>{m.association ?? tc("none")}</td>
                <td className="num">{formatNumber(m.activeCases, i18n.language)}</td>
                <td>{m.managers.length ? m.managers.map((u) => u.displayName).join(", ") : tc("none")}</td>
                <td>
                  <span className={`badge ${m.active ? "active" : "inactive"}`}>{m.active ? t("municipalities.active") : t("municipalities.inactive")}</span>
                </td>
                <td>
                  <div className="row-actions">
                    <Link to={`?rename=${m.id}`} aria-label={t("municipalities.renameLabel", { name: m.name })}>
                      {t("municipalities.rename")}
                    </Link>
                    <Form method="post" className="row-form">
                      <CsrfInput />
                      <input type="hidden" name="municipalityId" value={m.id} />
                      <button
                        type="submit"
                        name="intent"
                        value={m.active ? "deactivate" : "activate"}
                        className="secondary"
                        aria-label={t(m.active ? "municipalities.deactivateLabel" : "municipalities.activateLabel", { name: m.name })}
                      >
                        {m.active ? t("municipalities.deactivate") : t("municipalities.activate")}
                      </button>
                    </Form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">{t("municipalities.noDelete")}</p>

      <section className="card" aria-labelledby="create-title">
        <h2 id="create-title">{t("municipalities.add")}</h2>
        <Form method="post" {...getFormProps(createForm)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <FormErrors errors={createForm.errors} id={createForm.errorId} />
          <div className="inline-fields">
            <TextField field={createFields.ags} label={t("municipalities.ags")} hint={t("municipalities.agsHint")} inputMode="numeric" />
            <TextField field={createFields.name} label={t("municipalities.name")} />
            <SelectField field={createFields.type} label={t("municipalities.type")} options={MUNICIPALITY_TYPES.map((v) => ({ value: v, label: typeLabel(v) }))} />
            <TextField field={createFields.population} label={t("municipalities.population")} type="number" min={0} />
            <TextField field={createFields.association} label={t("municipalities.association")} />
          </div>
          <div className="actions-row">
            <SubmitButton>{tc("actions.create")}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
