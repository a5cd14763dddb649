import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { getIndicator, updateIndicator } from "../admin/indicators.server.ts";
import { indicatorUpdateSchema, splitAllowedValues } from "../admin/schemas.ts";
import { formatNumber } from "../admin/dates.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { notFound } from "../utils/responses.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manage", "indicators");
  const indicator = await getIndicator(params.indicatorId ?? "");
  if (!indicator) throw notFound();
  return json({ indicator });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "indicators");
  const form = await readForm(request, grant.user);
  const indicator = await getIndicator(params.indicatorId ?? "");
  if (!indicator) throw notFound();
  const submission = parseWithZod(form, { schema: indicatorUpdateSchema(indicator.type) });
  if (submission.status !== "success") return json({ result: submission.reply(), changed: null }, { status: 400 });
  const v = submission.value;
  const hasValues = indicator.type === "enum" || indicator.type === "multi";
  const outcome = await updateIndicator(
    { request, actor: grant.user },
    indicator.id,
    {
      labelDe: v.labelDe,
      labelEn: v.labelEn,
      stalenessMonths: v.stalenessMonths,
      active: v.active,
      allowedValues: hasValues ? splitAllowedValues(v.allowedValues) : undefined,
      minValue: v.minValue ?? null,
      maxValue: v.maxValue ?? null,
    },
  );
  if (!outcome.ok) return json({ result: submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), changed: null }, { status: 400 });
  return json({ result: submission.reply(), changed: outcome.changed });
}

export default function EditIndicator() {
  const { indicator } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const schema = indicatorUpdateSchema(indicator.type);
  const [form, fields] = useForm({
    id: `indicator-${indicator.id}`,
    lastResult: actionData?.result,
    defaultValue: {
      labelDe: indicator.labelDe,
      labelEn: indicator.labelEn,
      stalenessMonths: String(indicator.stalenessMonths),
      active: indicator.active ? "on" : undefined,
      allowedValues: (indicator.allowedValues ?? []).join("\n"),
      minValue: indicator.minValue == null ? undefined : String(indicator.minValue),
      maxValue: indicator.maxValue == null ? undefined : String(indicator.maxValue),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const hasValues = indicator.type === "enum" || indicator.type === "multi";
  const activeProps = getInputProps(fields.active, { type: "checkbox" });
  const valuesProps = getTextareaProps(fields.allowedValues, { ariaDescribedBy: `${fields.allowedValues.id}-hint` });
  return (
    <>
      <p>
        <Link to="/admin/indicators">{t("indicators.backToList")}</Link>
      </p>
      <h1>
        {indicator.code} <span className="muted">{i18n.language === "en" ? indicator.labelEn : indicator.labelDe}</span>
      </h1>
      {searchParams.get("created") && !actionData ? (
        <p className="notice" role="status">
          {t("indicators.created")}
        </p>
      ) : null}
      {actionData?.changed ? (
        <p className="notice" role="status">
          {/* "active" changed says which way: "Gespeichert: Aktiv." after a deactivation read as the opposite. */}
          {actionData.changed.length ? t("indicators.saved", { fields: actionData.changed.map((f) => (f === "active" ? t(indicator.active ? "indicators.nowActive" : "indicators.nowInactive") : t(`indicators.fields.${f}`))).join(", ") }) : t("indicators.unchanged")}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("indicators.type")}</dt>
        <dd>{t(`indicators.types.${indicator.type}`, { defaultValue: indicator.type })}</dd>
        <dt>{t("indicators.category")}</dt>
        <dd>{t(`indicators.categories.${indicator.category}`, { defaultValue: indicator.category })}</dd>
        <dt>{t("indicators.dimension")}</dt>
        <dd>{indicator.dimension ? t(`indicators.dimensions.${indicator.dimension}`, { defaultValue: indicator.dimension }) : tc("none")}</dd>
        <dt>{t("indicators.snapshots")}</dt>
        <dd>{formatNumber(indicator.snapshotCount, i18n.language)}</dd>
      </dl>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors errors={form.errors} id={form.errorId} />
        <div className="grid-2">
          <div>
            <TextField field={fields.labelDe} label={t("indicators.labelDe")} lang="de" />
            <TextField field={fields.labelEn} label={t("indicators.labelEn")} lang="en" />
            <TextField field={fields.stalenessMonths} label={t("indicators.stalenessMonths")} hint={t("indicators.stalenessHint")} type="number" min={1} max={1200} step={1} />
            <div className="field">
              <label className="checkbox-row" htmlFor={fields.active.id}>
                <input {...activeProps} key={activeProps.key} />
                {t("indicators.activeLabel")}
              </label>
              <ErrorText id={fields.active.errorId} errors={fields.active.errors} />
            </div>
          </div>
          <div>
            {hasValues ? (
              <div className="field">
                <label htmlFor={fields.allowedValues.id}>{t("indicators.allowedValues")}</label>
                <div id={`${fields.allowedValues.id}-hint`} className="muted">
                  {indicator.type === "multi" ? t("indicators.allowedValuesHintMulti") : t("indicators.allowedValuesHint")}
                </div>
                <textarea {...valuesProps} key={valuesProps.key} rows={12} spellCheck={false} />
                <ErrorText id={fields.allowedValues.errorId} errors={fields.allowedValues.errors} />
              </div>
            ) : null}
            {indicator.type === "number" ? (
              <>
                <TextField field={fields.minValue} label={t("indicators.minValue")} type="number" step="any" />
                <TextField field={fields.maxValue} label={t("indicators.maxValue")} type="number" step="any" />
              </>
            ) : null}
          </div>
        </div>
        <div className="actions-row">
          <button type="submit">{tc("actions.save")}</button>
          <Link to="/admin/indicators">{tc("actions.back")}</Link>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
