import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createCase, municipalityOptions } from "../cases/cases.server.ts";
import { createCaseSchema } from "../cases/case-schemas.ts";
import { CASE_GROUPS } from "../cases/case-fields.ts";
import { todayInputValue } from "../cases/format.ts";
import { IDENTITY_FIELDS, type IdentityData } from "../identity/identity.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { pageTitle } from "../i18n/title.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const municipalities = await municipalityOptions(grant, { activeOnly: true });
  return json({ title: pageTitle(request, "cases:new.title"), municipalities, canWriteIdentity: hasPermission(grant.user, "write", "identity") });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const form = await readForm(request, grant.user);
  const municipalities = await municipalityOptions(grant, { activeOnly: true });
  const submission = parseWithZod(form, { schema: createCaseSchema(municipalities.map((m) => m.id)) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { municipalityId, group, imStart, ...identity } = submission.value;
  // Identity fields are only taken from users allowed to write identity data.
  const identityData: IdentityData | null = hasPermission(grant.user, "write", "identity") ? identity : null;
  const created = await createCase(request, grant, { municipalityId, group, imStart }, identityData);
  return redirect(`/cases/${created.id}`);
}

const IDENTITY_INPUT_TYPES: Partial<Record<(typeof IDENTITY_FIELDS)[number], "date" | "tel">> = { dateOfBirth: "date", phone: "tel" };
const AUTOCOMPLETE_OFF = "off";

export default function NewCase() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation();
  const [form, fields] = useForm({
    id: "new-case",
    lastResult,
    defaultValue: { municipalityId: data.municipalities.length === 1 ? data.municipalities[0]!.id : "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createCaseSchema() }),
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <h1>{t("new.title")}</h1>
      <p className="muted">{t("new.pseudonymHint")}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors errors={form.errors} id={form.errorId} />
        <div className="grid-2">
          <fieldset>
            <legend>{t("new.caseData")}</legend>
            <SelectField
              field={fields.municipalityId}
              label={t("fields.municipality")}
              placeholder={t("form.choose")}
              options={data.municipalities.map((m) => ({ value: m.id, label: m.name }))}
            />
            <SelectField field={fields.group} label={t("fields.group")} placeholder={t("form.choose")} options={CASE_GROUPS.map((g) => ({ value: g, label: t(`groups.${g}`) }))} />
            <TextField field={fields.imStart} label={t("fields.imStart")} type="date" max={todayInputValue()} />
          </fieldset>
          {data.canWriteIdentity ? (
            <fieldset>
              <legend>{t("new.identityData")}</legend>
              <p className="muted">{t("identity.encryptedHint")}</p>
              {IDENTITY_FIELDS.map((f) => (
                <TextField key={f} field={fields[f]} label={t(`identity.fields.${f}`)} type={IDENTITY_INPUT_TYPES[f] ?? "text"} autoComplete={AUTOCOMPLETE_OFF} />
              ))}
            </fieldset>
          ) : null}
        </div>
        <div className="actions-row">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("new.submit")}
          </button>
          <Link to="/cases" className="button secondary">
            {tc("actions.cancel")}
          </Link>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
