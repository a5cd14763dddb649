import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createIndicator, listIndicators } from "../admin/indicators.server.ts";
import { CreateIndicatorSchema, INDICATOR_CATEGORIES, INDICATOR_DIMENSIONS } from "../admin/schemas.ts";
import { INDICATOR_TYPES } from "../indicators/values.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, SubmitButton, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { NEVER_STALE_MONTHS } from "../indicators/staleness.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage", "indicators");
  return json({ indicators: await listIndicators() });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "indicators");
  const form = await readForm(request, grant.user);
  const submission = parseWithZod(form, { schema: CreateIndicatorSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const outcome = await createIndicator({ request, actor: grant.user }, submission.value);
  if (!outcome.ok) return json(submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), { status: 400 });
  return redirect(`/admin/indicators/${outcome.indicatorId}?created=1`);
}

export default function Indicators() {
  const { indicators } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const [form, fields] = useForm({
    id: "create-indicator",
    lastResult,
    defaultValue: { category: "soft" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateIndicatorSchema }),
    shouldRevalidate: "onInput",
  });
  const en = i18n.language === "en";
  return (
    <>
      <h1>{t("indicators.title")}</h1>
      <div className="table-wrap">
        <table>
          <caption>{t("indicators.tableCaption", { count: indicators.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("indicators.code")}</th>
              <th scope="col">{t("indicators.labelDe")}</th>
              <th scope="col">{t("indicators.labelEn")}</th>
              <th scope="col">{t("indicators.category")}</th>
              <th scope="col">{t("indicators.dimension")}</th>
              <th scope="col">{t("indicators.type")}</th>
              <th scope="col">{t("indicators.allowedValues")}</th>
              <th scope="col" className="num">
                {t("indicators.staleness")}
              </th>
              <th scope="col">{t("indicators.status")}</th>
            </tr>
          </thead>
          <tbody>
            {indicators.map((ind) => (
              <tr key={ind.id}>
                <th scope="row">
                  <Link to={`/admin/indicators/${ind.id}`} aria-label={t("indicators.editLabel", { code: ind.code, label: en ? ind.labelEn : ind.labelDe })}>
                    {ind.code}
                  </Link>
                </th>
                <td lang="de">{ind.labelDe}</td>
                <td lang="en">{ind.labelEn}</td>
                <td>{t(`indicators.categories.${ind.category}`, { defaultValue: ind.category })}</td>
                <td>{ind.dimension ? t(`indicators.dimensions.${ind.dimension}`, { defaultValue: ind.dimension }) : tc("none")}</td>
                <td>{t(`indicators.types.${ind.type}`, { defaultValue: ind.type })}</td>
                <td>
                  {ind.allowedValues?.length
                    ? ind.allowedValues.join(", ")
                    : ind.type === "number" && (ind.minValue != null || ind.maxValue != null)
                      ? `${ind.minValue ?? "…"} – ${ind.maxValue ?? "…"}`
                      : tc("none")}
                </td>
                <td className="num">{ind.stalenessMonths >= NEVER_STALE_MONTHS ? t("indicators.neverStale") : t("indicators.months", { count: ind.stalenessMonths })}</td>
                <td>
                  <span className={`badge ${ind.active ? "active" : "inactive"}`}>{ind.active ? t("indicators.active") : t("indicators.inactive")}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="card" aria-labelledby="new-indicator-title">
        <h2 id="new-indicator-title">{t("indicators.new")}</h2>
        <p className="muted">{t("indicators.newHint")}</p>
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <FormErrors errors={form.errors} id={form.errorId} />
          <div className="inline-fields">
            <TextField field={fields.code} label={t("indicators.code")} hint={t("indicators.codeHint")} autoCapitalize="characters" spellCheck={false} />
            <TextField field={fields.labelDe} label={t("indicators.labelDe")} lang="de" />
            <TextField field={fields.labelEn} label={t("indicators.labelEn")} lang="en" />
            <SelectField field={fields.type} label={t("indicators.type")} placeholder={t("indicators.chooseType")} options={INDICATOR_TYPES.map((v) => ({ value: v, label: t(`indicators.types.${v}`) }))} />
            <SelectField field={fields.category} label={t("indicators.category")} options={INDICATOR_CATEGORIES.map((v) => ({ value: v, label: t(`indicators.categories.${v}`) }))} />
            <SelectField
              field={fields.dimension}
              label={t("indicators.dimension")}
              placeholder={tc("none")}
              options={INDICATOR_DIMENSIONS.map((v) => ({ value: v, label: t(`indicators.dimensions.${v}`) }))}
            />
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
