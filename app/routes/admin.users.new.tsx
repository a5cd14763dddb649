import { getCollectionProps, getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createUser, generatePassword, municipalityChoices } from "../admin/users.server.ts";
import { ONE_TIME_PASSWORD_DAYS } from "../auth/one-time-password.ts";
import { CreateUserSchema, PASSWORD_MODES } from "../admin/schemas.ts";
import { MunicipalitiesField, RolesField } from "../admin/user-form-parts.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors, SubmitButton, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage", "users");
  return json({ municipalities: await municipalityChoices() });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "users");
  const form = await readForm(request, grant.user);
  const submission = parseWithZod(form, { schema: CreateUserSchema });
  if (submission.status !== "success") return json({ result: submission.reply({ hideFields: ["password"] }), created: null }, { status: 400 });
  const v = submission.value;
  const generated = v.passwordMode === "generate";
  const password = generated ? generatePassword() : v.password!;
  const outcome = await createUser(
    { request, actor: grant.user },
    { username: v.username, displayName: v.displayName, password, generated, roles: v.roles, municipalityIds: v.municipalityIds },
  );
  if (!outcome.ok) {
    return json({ result: submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors, hideFields: ["password"] }), created: null }, { status: 400 });
  }
  if (!generated) return redirect(`/admin/users/${outcome.userId}?created=1`);
  // The generated password is shown this once and stored nowhere but as a hash.
  return json(
    { result: submission.reply({ resetForm: true }), created: { id: outcome.userId, username: v.username, password } },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function NewUser() {
  const { municipalities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const [form, fields] = useForm({
    id: "new-user",
    lastResult: actionData?.result,
    defaultValue: { passwordMode: "generate", roles: [], municipalityIds: [] },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateUserSchema }),
    // Re-checked while typing/ticking: a fixed error goes away before the submit click, not under it.
    shouldRevalidate: "onInput",
  });
  const created = actionData?.created;
  return (
    <>
      <h1>{t("users.new")}</h1>
      {created ? (
        <section className="one-time-secret" role="status" aria-labelledby="created-title">
          <h2 id="created-title">{t("users.created", { username: created.username })}</h2>
          <p>{t("password.generatedOnce")}</p>
          <p>
            <code>{created.password}</code>
          </p>
          <p>{t("password.oneTime", { days: ONE_TIME_PASSWORD_DAYS })}</p>
          <p>
            <Link to={`/admin/users/${created.id}`}>{t("users.openCreated")}</Link>
          </p>
        </section>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors errors={form.errors} id={form.errorId} />
        <div className="grid-2">
          <div>
            <TextField field={fields.username} label={t("users.username")} hint={t("users.usernameHint")} autoComplete="off" spellCheck={false} autoCapitalize="none" />
            <TextField field={fields.displayName} label={t("users.displayName")} autoComplete="off" />
          </div>
          <fieldset aria-describedby={fields.passwordMode.errors?.length ? fields.passwordMode.errorId : undefined}>
            <legend>{t("password.initial")}</legend>
            <p className="muted">{t("password.oneTimeHint", { days: ONE_TIME_PASSWORD_DAYS })}</p>
            {getCollectionProps(fields.passwordMode, { type: "radio", options: [...PASSWORD_MODES] }).map(({ key, ...input }) => (
              <label key={key ?? input.value} className="checkbox-row" htmlFor={input.id}>
                <input {...input} />
                {t(`password.mode.${input.value}`)}
              </label>
            ))}
            <ErrorText id={fields.passwordMode.errorId} errors={fields.passwordMode.errors} />
            <TextField field={fields.password} label={t("password.typed")} hint={t("password.typedHint")} type="password" autoComplete="new-password" />
          </fieldset>
        </div>
        <RolesField field={fields.roles} />
        <MunicipalitiesField field={fields.municipalityIds} municipalities={municipalities} />
        <div className="actions-row">
          <SubmitButton>{tc("actions.create")}</SubmitButton>
          <Link to="/admin/users">{tc("actions.cancel")}</Link>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
